//! Actors: every ActivityPub identity, local or remote (Person, Group, Application, …).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::lower;
use crate::keys::KeyPair;
use crate::schema::{actors, servers};
use crate::urls::InstanceUrls;

/// Re-exported beside the table that stores it.
pub use super::enums::ActorType;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actors)]
pub struct Actor {
    pub id: i64,
    pub actor_type: ActorType,
    pub preferred_username: String,
    pub url: String,
    pub public_key_pem: Option<String>,
    pub private_key_pem: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub playlists_url: Option<String>,
    pub followers_count: i32,
    pub following_count: i32,
    pub server_id: Option<i64>,
    pub remote_created_at: Option<DateTime<Utc>>,
    pub last_fetched_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = actors)]
pub struct NewActor {
    pub actor_type: ActorType,
    pub preferred_username: String,
    pub url: String,
    pub public_key_pem: Option<String>,
    pub private_key_pem: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub playlists_url: Option<String>,
    pub server_id: Option<i64>,
}

/// A remote actor's row, as its checked document gives it (`remote::actor`).
#[derive(Debug, Insertable)]
#[diesel(table_name = actors)]
pub struct RemoteActorRow<'a> {
    pub actor_type: ActorType,
    pub preferred_username: &'a str,
    pub url: &'a str,
    pub public_key_pem: Option<&'a str>,
    pub inbox_url: &'a str,
    pub shared_inbox_url: Option<&'a str>,
    pub outbox_url: Option<&'a str>,
    pub followers_url: Option<&'a str>,
    pub following_url: Option<&'a str>,
    pub playlists_url: Option<&'a str>,
    pub server_id: Option<i64>,
    pub remote_created_at: Option<DateTime<Utc>>,
    /// Now; also the row's `updated_at` when it already exists.
    pub last_fetched_at: DateTime<Utc>,
}

impl NewActor {
    /// A local actor with PeerTube's URL layout: `{URL}/accounts/{name}` or
    /// `{URL}/video-channels/{name}` and the usual sub-collections.
    pub fn local(urls: &InstanceUrls, kind: ActorType, name: &str, keys: KeyPair) -> Self {
        let url = match kind {
            ActorType::Group => urls.channel(name),
            _ => urls.account(name),
        };
        Self {
            actor_type: kind,
            preferred_username: name.into(),
            public_key_pem: Some(keys.public_pem),
            private_key_pem: Some(keys.private_pem),
            inbox_url: format!("{url}/inbox"),
            shared_inbox_url: Some(urls.shared_inbox()),
            outbox_url: Some(format!("{url}/outbox")),
            followers_url: Some(format!("{url}/followers")),
            following_url: Some(format!("{url}/following")),
            playlists_url: Some(format!("{url}/playlists")),
            server_id: None,
            url,
        }
    }
}

impl Actor {
    pub fn is_local(&self) -> bool {
        self.server_id.is_none()
    }

    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewActor) -> QueryResult<Actor> {
        diesel::insert_into(actors::table)
            .values(new)
            .returning(Actor::as_returning())
            .get_result(conn)
            .await
    }

    /// Inserts a remote actor, or refreshes the one at its URL (whose type, server and
    /// creation date stay). The row returned may be a local actor's: the caller refuses it.
    pub async fn upsert_remote(
        conn: &mut AsyncPgConnection,
        row: &RemoteActorRow<'_>,
    ) -> QueryResult<Actor> {
        diesel::insert_into(actors::table)
            .values(row)
            .on_conflict(actors::url)
            .do_update()
            .set((
                actors::preferred_username.eq(row.preferred_username),
                actors::public_key_pem.eq(row.public_key_pem),
                actors::inbox_url.eq(row.inbox_url),
                actors::shared_inbox_url.eq(row.shared_inbox_url),
                actors::outbox_url.eq(row.outbox_url),
                actors::followers_url.eq(row.followers_url),
                actors::following_url.eq(row.following_url),
                actors::playlists_url.eq(row.playlists_url),
                actors::last_fetched_at.eq(Some(row.last_fetched_at)),
                actors::updated_at.eq(row.last_fetched_at),
            ))
            .returning(Actor::as_returning())
            .get_result(conn)
            .await
    }

    /// Deletes an actor (its account or channel cascade with it).
    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(actors::table.find(id)).execute(conn).await
    }

    /// Deletes these actors (their accounts and channels cascade with them).
    pub async fn delete_many(conn: &mut AsyncPgConnection, ids: &[i64]) -> QueryResult<usize> {
        diesel::delete(actors::table.filter(actors::id.eq_any(ids)))
            .execute(conn)
            .await
    }

    /// Deletes a remote actor; a local one stays.
    pub async fn delete_remote(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<usize> {
        diesel::delete(
            actors::table
                .filter(actors::id.eq(id))
                .filter(actors::server_id.is_not_null()),
        )
        .execute(conn)
        .await
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<Actor>> {
        actors::table
            .find(id)
            .select(Actor::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Marks a profile change (names, images): PeerTube dates an `Update` of an actor by its
    /// `updatedAt`, so each change gets a new activity id. Returns the new date.
    pub async fn touch(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<DateTime<Utc>> {
        diesel::update(actors::table.find(id))
            .set(actors::updated_at.eq(Utc::now()))
            .returning(actors::updated_at)
            .get_result(conn)
            .await
    }

    /// A stored actor (local or remote) by its URL, without any fetch.
    pub async fn find_by_url(
        conn: &mut AsyncPgConnection,
        url: &str,
    ) -> QueryResult<Option<Actor>> {
        actors::table
            .filter(actors::url.eq(url))
            .select(Actor::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// A stored actor by `name` and host (`None`: local).
    pub async fn find_by_handle(
        conn: &mut AsyncPgConnection,
        name: &str,
        host: Option<&str>,
    ) -> QueryResult<Option<Actor>> {
        match host {
            None => Self::find_local_by_name(conn, name).await,
            Some(h) => actors::table
                .inner_join(servers::table)
                .filter(actors::preferred_username.eq(name))
                .filter(servers::host.eq(h))
                .select(Actor::as_select())
                .first(conn)
                .await
                .optional(),
        }
    }

    /// A local actor by its exact name (accounts and channels share the namespace).
    pub async fn find_local_by_name(
        conn: &mut AsyncPgConnection,
        name: &str,
    ) -> QueryResult<Option<Actor>> {
        actors::table
            .filter(actors::server_id.is_null())
            .filter(actors::preferred_username.eq(name))
            .select(Actor::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Whether a local name is already used, ignoring case as the unique index does.
    pub async fn local_name_taken(conn: &mut AsyncPgConnection, name: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            actors::table
                .filter(actors::server_id.is_null())
                .filter(lower(actors::preferred_username).eq(name.to_lowercase())),
        ))
        .get_result(conn)
        .await
    }

    /// The first free local name among `base`, `base-1` … `base-29`, as PeerTube picks them.
    pub async fn available_local_name(
        conn: &mut AsyncPgConnection,
        base: &str,
    ) -> QueryResult<Option<String>> {
        if !Self::local_name_taken(conn, base).await? {
            return Ok(Some(base.to_string()));
        }
        for i in 1..30 {
            let name = format!("{base}-{i}");
            if !Self::local_name_taken(conn, &name).await? {
                return Ok(Some(name));
            }
        }
        Ok(None)
    }
}
