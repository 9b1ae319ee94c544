//! Follow bookkeeping shared by the inbox, the follow job and the REST API: rows of
//! `actor_follows` and the actors' counters.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::models::actor::Actor;
use crate::models::follow::{ActorFollow, FollowState};
use crate::schema::actor_follows;

/// Recomputes `followers_count` and `following_count` of these actors from accepted follows.
pub async fn recount(conn: &mut AsyncPgConnection, actor_ids: &[i64]) -> QueryResult<()> {
    if actor_ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "UPDATE actors SET \
           followers_count = (SELECT count(*) FROM actor_follows f \
                              WHERE f.target_actor_id = actors.id AND f.state = 'accepted'), \
           following_count = (SELECT count(*) FROM actor_follows f \
                              WHERE f.actor_id = actors.id AND f.state = 'accepted') \
         WHERE id = ANY($1)",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(actor_ids)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    follower_id: i64,
    target_id: i64,
) -> QueryResult<Option<ActorFollow>> {
    actor_follows::table
        .filter(actor_follows::actor_id.eq(follower_id))
        .filter(actor_follows::target_actor_id.eq(target_id))
        .select(ActorFollow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Creates the follow or sets its state and activity URL; counters follow.
pub async fn upsert(
    conn: &mut AsyncPgConnection,
    follower_id: i64,
    target_id: i64,
    state: FollowState,
    url: Option<&str>,
) -> QueryResult<ActorFollow> {
    let now = Utc::now();
    let row = diesel::insert_into(actor_follows::table)
        .values((
            actor_follows::actor_id.eq(follower_id),
            actor_follows::target_actor_id.eq(target_id),
            actor_follows::state.eq(state.as_str()),
            actor_follows::url.eq(url),
        ))
        .on_conflict((actor_follows::actor_id, actor_follows::target_actor_id))
        .do_update()
        .set((
            actor_follows::state.eq(state.as_str()),
            actor_follows::url.eq(url),
            actor_follows::updated_at.eq(now),
        ))
        .returning(ActorFollow::as_returning())
        .get_result(conn)
        .await?;
    recount(conn, &[follower_id, target_id]).await?;
    Ok(row)
}

pub async fn set_state(
    conn: &mut AsyncPgConnection,
    follow: &ActorFollow,
    state: FollowState,
) -> QueryResult<()> {
    diesel::update(actor_follows::table.find(follow.id))
        .set((
            actor_follows::state.eq(state.as_str()),
            actor_follows::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    recount(conn, &[follow.actor_id, follow.target_actor_id]).await
}

pub async fn remove(conn: &mut AsyncPgConnection, follow: &ActorFollow) -> QueryResult<()> {
    diesel::delete(actor_follows::table.find(follow.id))
        .execute(conn)
        .await?;
    recount(conn, &[follow.actor_id, follow.target_actor_id]).await
}

/// One follow with both actors and their hosts, for the REST lists.
#[derive(Debug, Clone)]
pub struct FollowView {
    pub follow: ActorFollow,
    pub follower: Actor,
    pub follower_host: Option<String>,
    pub following: Actor,
    pub following_host: Option<String>,
}

/// Which follows of an actor a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Listing {
    /// Follows this actor makes.
    Following,
    /// Follows of this actor.
    Followers,
}

/// A page of an actor's follows (any state), newest first unless `ascending`.
pub async fn list(
    conn: &mut AsyncPgConnection,
    actor_id: i64,
    which: Listing,
    state: Option<&str>,
    (start, count): (i64, i64),
    ascending: bool,
) -> QueryResult<(i64, Vec<FollowView>)> {
    use crate::schema::{actors, servers};
    let mut base = actor_follows::table.into_boxed();
    let mut counted = actor_follows::table.into_boxed();
    match which {
        Listing::Following => {
            base = base.filter(actor_follows::actor_id.eq(actor_id));
            counted = counted.filter(actor_follows::actor_id.eq(actor_id));
        }
        Listing::Followers => {
            base = base.filter(actor_follows::target_actor_id.eq(actor_id));
            counted = counted.filter(actor_follows::target_actor_id.eq(actor_id));
        }
    }
    if let Some(s) = state {
        base = base.filter(actor_follows::state.eq(s.to_string()));
        counted = counted.filter(actor_follows::state.eq(s.to_string()));
    }
    let total: i64 = counted.count().get_result(conn).await?;
    base = if ascending {
        base.order((actor_follows::created_at.asc(), actor_follows::id.asc()))
    } else {
        base.order((actor_follows::created_at.desc(), actor_follows::id.desc()))
    };
    let rows: Vec<ActorFollow> = base
        .offset(start)
        .limit(count)
        .select(ActorFollow::as_select())
        .load(conn)
        .await?;
    let ids: Vec<i64> = rows
        .iter()
        .flat_map(|f| [f.actor_id, f.target_actor_id])
        .collect();
    let found: Vec<(Actor, Option<String>)> = actors::table
        .left_join(servers::table)
        .filter(actors::id.eq_any(&ids))
        .select((Actor::as_select(), servers::host.nullable()))
        .load(conn)
        .await?;
    let by_id: std::collections::HashMap<i64, (Actor, Option<String>)> =
        found.into_iter().map(|(a, h)| (a.id, (a, h))).collect();
    let data = rows
        .into_iter()
        .filter_map(|follow| {
            let (follower, follower_host) = by_id.get(&follow.actor_id)?.clone();
            let (following, following_host) = by_id.get(&follow.target_actor_id)?.clone();
            Some(FollowView {
                follow,
                follower,
                follower_host,
                following,
                following_host,
            })
        })
        .collect();
    Ok((total, data))
}

/// A stored actor by `name` and host (`None`: local).
pub async fn actor_by_handle(
    conn: &mut AsyncPgConnection,
    name: &str,
    host: Option<&str>,
) -> QueryResult<Option<Actor>> {
    use crate::schema::{actors, servers};
    match host {
        None => Actor::find_local_by_name(conn, name).await,
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

/// Channels (`video_channels.id`) followed by an actor, newest follow first: a user's
/// subscriptions.
pub async fn subscribed_channel_ids(
    conn: &mut AsyncPgConnection,
    actor_id: i64,
    (start, count): (i64, i64),
    ascending: bool,
) -> QueryResult<(i64, Vec<i64>)> {
    use crate::schema::video_channels;
    let base = || {
        actor_follows::table
            .inner_join(
                video_channels::table
                    .on(video_channels::actor_id.eq(actor_follows::target_actor_id)),
            )
            .filter(actor_follows::actor_id.eq(actor_id))
    };
    let total: i64 = base().count().get_result(conn).await?;
    let ids = if ascending {
        base()
            .order((actor_follows::created_at.asc(), actor_follows::id.asc()))
            .offset(start)
            .limit(count)
            .select(video_channels::id)
            .load(conn)
            .await?
    } else {
        base()
            .order((actor_follows::created_at.desc(), actor_follows::id.desc()))
            .offset(start)
            .limit(count)
            .select(video_channels::id)
            .load(conn)
            .await?
    };
    Ok((total, ids))
}
