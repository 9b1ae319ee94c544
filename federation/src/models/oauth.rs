//! OAuth clients and bearer tokens (PeerTube's password and refresh_token grants).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::{oauth_clients, oauth_tokens};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = oauth_clients)]
pub struct OAuthClient {
    pub id: i64,
    pub client_id: String,
    pub client_secret: String,
    pub grants: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = oauth_tokens)]
pub struct OAuthToken {
    pub id: i64,
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub oauth_client_id: i64,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct NewOAuthToken {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub oauth_client_id: i64,
    pub user_id: i64,
}

impl OAuthClient {
    /// The single local client, created at first start.
    pub async fn local(conn: &mut AsyncPgConnection) -> QueryResult<Option<OAuthClient>> {
        oauth_clients::table
            .order(oauth_clients::id.asc())
            .select(OAuthClient::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        client_id: &str,
        client_secret: &str,
    ) -> QueryResult<Option<OAuthClient>> {
        oauth_clients::table
            .filter(oauth_clients::client_id.eq(client_id))
            .filter(oauth_clients::client_secret.eq(client_secret))
            .select(OAuthClient::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        client_id: &str,
        client_secret: &str,
    ) -> QueryResult<OAuthClient> {
        diesel::insert_into(oauth_clients::table)
            .values((
                oauth_clients::client_id.eq(client_id),
                oauth_clients::client_secret.eq(client_secret),
                oauth_clients::grants.eq(vec!["password".to_string(), "refresh_token".to_string()]),
            ))
            .returning(OAuthClient::as_returning())
            .get_result(conn)
            .await
    }
}

impl OAuthToken {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewOAuthToken,
    ) -> QueryResult<OAuthToken> {
        diesel::insert_into(oauth_tokens::table)
            .values(new)
            .returning(OAuthToken::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn find_by_access(
        conn: &mut AsyncPgConnection,
        token: &str,
    ) -> QueryResult<Option<OAuthToken>> {
        oauth_tokens::table
            .filter(oauth_tokens::access_token.eq(token))
            .select(OAuthToken::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Takes a refresh token out of the table: it is single-use, and with it dies the access
    /// token issued alongside.
    pub async fn take_by_refresh(
        conn: &mut AsyncPgConnection,
        token: &str,
    ) -> QueryResult<Option<OAuthToken>> {
        diesel::delete(oauth_tokens::table.filter(oauth_tokens::refresh_token.eq(token)))
            .returning(OAuthToken::as_returning())
            .get_result(conn)
            .await
            .optional()
    }

    pub async fn delete_by_access(conn: &mut AsyncPgConnection, token: &str) -> QueryResult<usize> {
        diesel::delete(oauth_tokens::table.filter(oauth_tokens::access_token.eq(token)))
            .execute(conn)
            .await
    }

    /// Logs a user out everywhere (password change, block, deletion).
    pub async fn delete_for_user(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<usize> {
        diesel::delete(oauth_tokens::table.filter(oauth_tokens::user_id.eq(user_id)))
            .execute(conn)
            .await
    }
}

impl OAuthToken {
    /// Ends every session of a user but one (a password change keeps the caller's).
    pub async fn delete_for_user_except(
        conn: &mut AsyncPgConnection,
        user_id: i64,
        keep_id: i64,
    ) -> QueryResult<usize> {
        diesel::delete(
            oauth_tokens::table
                .filter(oauth_tokens::user_id.eq(user_id))
                .filter(oauth_tokens::id.ne(keep_id)),
        )
        .execute(conn)
        .await
    }
}

impl OAuthToken {
    /// Deletes tokens whose refresh token has expired: neither half can be used any more.
    pub async fn delete_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
        diesel::delete(
            oauth_tokens::table.filter(oauth_tokens::refresh_token_expires_at.lt(diesel::dsl::now)),
        )
        .execute(conn)
        .await
    }
}
