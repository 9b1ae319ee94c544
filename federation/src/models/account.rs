//! Accounts: a Person (a user's account or a remote one) or the server's Application.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::actor::Actor;
use super::actor_image::ActorImages;
use super::server::Server;
use crate::schema::{accounts, actors, servers};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub actor_id: i64,
    pub display_name: String,
    pub description: Option<String>,
    pub user_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub actor_id: i64,
    pub display_name: String,
    pub description: Option<String>,
    pub user_id: Option<i64>,
}

/// An account with its actor, its avatars and, for remote ones, its server.
#[derive(Debug, Clone)]
pub struct AccountFull {
    pub account: Account,
    pub actor: Actor,
    pub server: Option<Server>,
    pub images: ActorImages,
}

/// Sort keys PeerTube accepts on account lists.
pub const ACCOUNT_SORTS: &[&str] = &["createdAt"];

type Row = (Account, Actor, Option<Server>);

macro_rules! full_query {
    () => {
        accounts::table
            .inner_join(actors::table.left_join(servers::table))
            .select((
                Account::as_select(),
                Actor::as_select(),
                Option::<Server>::as_select(),
            ))
    };
}

/// Attaches the actors' images with one query for the whole page.
async fn complete(conn: &mut AsyncPgConnection, rows: Vec<Row>) -> QueryResult<Vec<AccountFull>> {
    let ids: Vec<i64> = rows.iter().map(|(_, actor, _)| actor.id).collect();
    let mut images = ActorImages::of_actors(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(account, actor, server)| AccountFull {
            images: images.remove(&actor.id).unwrap_or_default(),
            account,
            actor,
            server,
        })
        .collect())
}

async fn complete_one(
    conn: &mut AsyncPgConnection,
    row: Option<Row>,
) -> QueryResult<Option<AccountFull>> {
    Ok(complete(conn, row.into_iter().collect()).await?.pop())
}

impl Account {
    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewAccount) -> QueryResult<Account> {
        diesel::insert_into(accounts::table)
            .values(new)
            .returning(Account::as_returning())
            .get_result(conn)
            .await
    }

    /// Creates or refreshes the account of remote actor `actor_id`.
    pub async fn upsert_remote(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        display_name: &str,
        description: Option<&str>,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::insert_into(accounts::table)
            .values((
                accounts::actor_id.eq(actor_id),
                accounts::display_name.eq(display_name),
                accounts::description.eq(description),
            ))
            .on_conflict(accounts::actor_id)
            .do_update()
            .set((
                accounts::display_name.eq(display_name),
                accounts::description.eq(description),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// The account of an actor, if it has one.
    pub async fn find_by_actor(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
    ) -> QueryResult<Option<Account>> {
        accounts::table
            .filter(accounts::actor_id.eq(actor_id))
            .select(Account::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// A local user's account.
    pub async fn find_by_user(
        conn: &mut AsyncPgConnection,
        user_id: i64,
    ) -> QueryResult<Option<Account>> {
        accounts::table
            .filter(accounts::user_id.eq(user_id))
            .select(Account::as_select())
            .first(conn)
            .await
            .optional()
    }
}

impl AccountFull {
    pub fn is_local(&self) -> bool {
        self.actor.is_local()
    }

    pub async fn load(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<Self>> {
        let row = full_query!()
            .filter(accounts::id.eq(id))
            .first::<Row>(conn)
            .await
            .optional()?;
        complete_one(conn, row).await
    }

    pub async fn load_many(conn: &mut AsyncPgConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        let rows: Vec<Row> = full_query!()
            .filter(accounts::id.eq_any(ids))
            .load(conn)
            .await?;
        complete(conn, rows).await
    }

    pub async fn load_by_user(
        conn: &mut AsyncPgConnection,
        user_id: i64,
    ) -> QueryResult<Option<Self>> {
        let row = full_query!()
            .filter(accounts::user_id.eq(user_id))
            .first::<Row>(conn)
            .await
            .optional()?;
        complete_one(conn, row).await
    }

    /// By `name` (local) or `name@host` (remote; our own host counts as local).
    pub async fn load_by_handle(
        conn: &mut AsyncPgConnection,
        name: &str,
        host: Option<&str>,
    ) -> QueryResult<Option<Self>> {
        let query = full_query!().filter(actors::preferred_username.eq(name));
        let row = match host {
            None => {
                query
                    .filter(actors::server_id.is_null())
                    .first::<Row>(conn)
                    .await
            }
            Some(h) => query.filter(servers::host.eq(h)).first::<Row>(conn).await,
        };
        complete_one(conn, row.optional()?).await
    }

    pub async fn list(
        conn: &mut AsyncPgConnection,
        start: i64,
        count: i64,
        descending: bool,
    ) -> QueryResult<(i64, Vec<Self>)> {
        let total = accounts::table.count().get_result(conn).await?;
        let query = full_query!().offset(start).limit(count);
        let rows: Vec<Row> = if descending {
            query
                .order((accounts::created_at.desc(), accounts::id.desc()))
                .load(conn)
                .await?
        } else {
            query
                .order((accounts::created_at.asc(), accounts::id.asc()))
                .load(conn)
                .await?
        };
        Ok((total, complete(conn, rows).await?))
    }

    pub async fn count_local_persons(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        accounts::table
            .filter(accounts::user_id.is_not_null())
            .count()
            .get_result(conn)
            .await
    }
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = accounts)]
pub struct AccountChanges {
    pub display_name: Option<String>,
    pub description: Option<Option<String>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Account {
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: i64,
        changes: &AccountChanges,
    ) -> QueryResult<()> {
        diesel::update(accounts::table.find(id))
            .set(changes)
            .execute(conn)
            .await
            .map(|_| ())
    }
}
