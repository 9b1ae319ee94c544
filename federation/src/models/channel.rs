//! Video channels: Groups owned by an account.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::account::AccountFull;
use super::actor::Actor;
use super::actor_image::ActorImages;
use super::lower;
use super::server::Server;
use crate::schema::{actors, servers, video_channels};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = video_channels)]
pub struct VideoChannel {
    pub id: i64,
    pub actor_id: i64,
    pub account_id: i64,
    pub display_name: String,
    pub description: Option<String>,
    pub support: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = video_channels)]
pub struct NewVideoChannel {
    pub actor_id: i64,
    pub account_id: i64,
    pub display_name: String,
    pub description: Option<String>,
    pub support: Option<String>,
}

#[derive(Debug, AsChangeset, Default)]
#[diesel(table_name = video_channels)]
pub struct VideoChannelChanges {
    pub display_name: Option<String>,
    pub description: Option<Option<String>>,
    pub support: Option<Option<String>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A remote channel's row, as its checked Group document gives it (`remote::actor`).
#[derive(Debug, Insertable)]
#[diesel(table_name = video_channels)]
pub struct RemoteChannelRow<'a> {
    pub actor_id: i64,
    pub account_id: i64,
    pub display_name: &'a str,
    pub description: Option<&'a str>,
    pub support: Option<&'a str>,
}

/// A channel with its actor, server and owning account.
#[derive(Debug, Clone)]
pub struct ChannelFull {
    pub channel: VideoChannel,
    pub actor: Actor,
    pub server: Option<Server>,
    pub owner: AccountFull,
    /// The channel's avatars and banners.
    pub images: ActorImages,
}

pub const CHANNEL_SORTS: &[&str] = &["createdAt", "name", "updatedAt"];

type Row = (VideoChannel, Actor, Option<Server>);

macro_rules! channel_query {
    () => {
        video_channels::table
            .inner_join(actors::table.left_join(servers::table))
            .select((
                VideoChannel::as_select(),
                Actor::as_select(),
                Option::<Server>::as_select(),
            ))
    };
}

/// Which channels a list shows.
#[derive(Debug, Clone, Copy)]
pub enum ChannelScope {
    All,
    Account(i64),
}

impl VideoChannel {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewVideoChannel,
    ) -> QueryResult<VideoChannel> {
        diesel::insert_into(video_channels::table)
            .values(new)
            .returning(VideoChannel::as_returning())
            .get_result(conn)
            .await
    }

    /// Creates or refreshes a remote channel by its actor (its owner stays).
    pub async fn upsert_remote(
        conn: &mut AsyncPgConnection,
        row: &RemoteChannelRow<'_>,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::insert_into(video_channels::table)
            .values(row)
            .on_conflict(video_channels::actor_id)
            .do_update()
            .set((
                video_channels::display_name.eq(row.display_name),
                video_channels::description.eq(row.description),
                video_channels::support.eq(row.support),
                video_channels::updated_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// The id of the channel an actor is, if it is one.
    pub async fn id_by_actor(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
    ) -> QueryResult<Option<i64>> {
        video_channels::table
            .filter(video_channels::actor_id.eq(actor_id))
            .select(video_channels::id)
            .first(conn)
            .await
            .optional()
    }

    /// The id of a local channel by its exact name.
    pub async fn local_id_by_name(
        conn: &mut AsyncPgConnection,
        name: &str,
    ) -> QueryResult<Option<i64>> {
        video_channels::table
            .inner_join(actors::table)
            .filter(actors::server_id.is_null())
            .filter(actors::preferred_username.eq(name))
            .select(video_channels::id)
            .first(conn)
            .await
            .optional()
    }

    /// Ids of channels whose name or display name contains `search` (ignoring case), newest
    /// first, at most `limit`.
    pub async fn search_ids(
        conn: &mut AsyncPgConnection,
        search: &str,
        limit: i64,
    ) -> QueryResult<Vec<i64>> {
        let pattern = format!(
            "%{}%",
            search
                .to_lowercase()
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        video_channels::table
            .inner_join(actors::table)
            .filter(
                lower(actors::preferred_username)
                    .like(pattern.clone())
                    .or(lower(video_channels::display_name).like(pattern)),
            )
            .order(video_channels::created_at.desc())
            .select(video_channels::id)
            .limit(limit)
            .load(conn)
            .await
    }

    /// The actors of an account's channels.
    pub async fn actor_ids_of_account(
        conn: &mut AsyncPgConnection,
        account_id: i64,
    ) -> QueryResult<Vec<i64>> {
        video_channels::table
            .filter(video_channels::account_id.eq(account_id))
            .select(video_channels::actor_id)
            .load(conn)
            .await
    }

    pub async fn count_for_account(
        conn: &mut AsyncPgConnection,
        account_id: i64,
    ) -> QueryResult<i64> {
        video_channels::table
            .filter(video_channels::account_id.eq(account_id))
            .count()
            .get_result(conn)
            .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: i64,
        changes: &VideoChannelChanges,
    ) -> QueryResult<()> {
        diesel::update(video_channels::table.find(id))
            .set(changes)
            .execute(conn)
            .await
            .map(|_| ())
    }
}

impl ChannelFull {
    /// Attaches owners and images with one query each for the whole page.
    async fn complete(conn: &mut AsyncPgConnection, rows: Vec<Row>) -> QueryResult<Vec<Self>> {
        let actor_ids: Vec<i64> = rows.iter().map(|(_, actor, _)| actor.id).collect();
        let mut images = ActorImages::of_actors(conn, &actor_ids).await?;
        let mut ids: Vec<i64> = rows.iter().map(|(c, _, _)| c.account_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let owners: std::collections::HashMap<i64, AccountFull> =
            AccountFull::load_many(conn, &ids)
                .await?
                .into_iter()
                .map(|a| (a.account.id, a))
                .collect();
        Ok(rows
            .into_iter()
            // Every channel has an owner (foreign key); a missing one is a broken row.
            .filter_map(|(channel, actor, server)| {
                let owner = owners.get(&channel.account_id)?.clone();
                Some(Self {
                    images: images.remove(&actor.id).unwrap_or_default(),
                    channel,
                    actor,
                    server,
                    owner,
                })
            })
            .collect())
    }

    pub async fn load_many(conn: &mut AsyncPgConnection, ids: &[i64]) -> QueryResult<Vec<Self>> {
        let rows: Vec<Row> = channel_query!()
            .filter(video_channels::id.eq_any(ids))
            .load(conn)
            .await?;
        Self::complete(conn, rows).await
    }

    pub fn is_local(&self) -> bool {
        self.actor.is_local()
    }

    pub async fn load(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Option<Self>> {
        let rows: Vec<Row> = channel_query!()
            .filter(video_channels::id.eq(id))
            .load(conn)
            .await?;
        Ok(Self::complete(conn, rows).await?.pop())
    }

    /// By `name` (local) or `name@host` (remote).
    pub async fn load_by_handle(
        conn: &mut AsyncPgConnection,
        name: &str,
        host: Option<&str>,
    ) -> QueryResult<Option<Self>> {
        let query = channel_query!().filter(actors::preferred_username.eq(name));
        let rows: Vec<Row> = match host {
            None => query.filter(actors::server_id.is_null()).load(conn).await?,
            Some(h) => query.filter(servers::host.eq(h)).load(conn).await?,
        };
        Ok(Self::complete(conn, rows).await?.pop())
    }

    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: ChannelScope,
        start: i64,
        count: i64,
        sort: &str,
    ) -> QueryResult<(i64, Vec<Self>)> {
        let mut total_q = video_channels::table.into_boxed();
        let mut query = channel_query!().into_boxed();
        if let ChannelScope::Account(id) = scope {
            total_q = total_q.filter(video_channels::account_id.eq(id));
            query = query.filter(video_channels::account_id.eq(id));
        }
        let total = total_q.count().get_result(conn).await?;
        query = match sort {
            "name" => query.order(actors::preferred_username.asc()),
            "-name" => query.order(actors::preferred_username.desc()),
            "updatedAt" => query.order(video_channels::updated_at.asc()),
            "-updatedAt" => query.order(video_channels::updated_at.desc()),
            "createdAt" => query.order(video_channels::created_at.asc()),
            _ => query.order(video_channels::created_at.desc()),
        };
        let rows: Vec<Row> = query
            .then_order_by(video_channels::id.asc())
            .offset(start)
            .limit(count)
            .load(conn)
            .await?;
        Ok((total, Self::complete(conn, rows).await?))
    }
}
