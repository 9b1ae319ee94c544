//! Follow bookkeeping shared by the inbox, the follow job and the REST API: rows of
//! `actor_follows`, the actors' counters, and the Follow/Accept/Reject/Undo bodies PeerTube
//! sends (activity ids per PeerTube's layout).

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};

use crate::models::actor::Actor;
use crate::models::follow::{ActorFollow, FollowState};
use crate::protocol::context;
use crate::schema::actor_follows;
use crate::urls::InstanceUrls;

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

/// `{follower}/follows/{targetDbId}`, PeerTube's Follow id.
pub fn follow_id(follower: &Actor, target: &Actor) -> String {
    format!("{}/follows/{}", follower.url, target.id)
}

/// The Follow object as PeerTube sends it and rebuilds it inside Accept/Reject.
pub fn follow_object(id: &str, follower_url: &str, target_url: &str) -> Value {
    json!({ "type": "Follow", "id": id, "actor": follower_url, "object": target_url })
}

pub fn follow_activity(id: &str, follower_url: &str, target_url: &str) -> Value {
    let mut v = follow_object(id, follower_url, target_url);
    v["@context"] = context::base();
    v
}

/// Accept of follow `follow_db_id`: `{URL}/accepts/follows/{id}`, sent by the followed actor.
pub fn accept_activity(
    urls: &InstanceUrls,
    follow_db_id: i64,
    target_url: &str,
    follow: Value,
) -> Value {
    json!({
        "@context": context::base(),
        "type": "Accept",
        "id": format!("{}/accepts/follows/{follow_db_id}", urls.base),
        "actor": target_url,
        "object": follow,
    })
}

/// Reject: `{URL}/rejects/follows/{ISO date}`.
pub fn reject_activity(urls: &InstanceUrls, target_url: &str, follow: Value) -> Value {
    json!({
        "@context": context::base(),
        "type": "Reject",
        "id": format!("{}/rejects/follows/{}", urls.base, crate::time::iso(&Utc::now())),
        "actor": target_url,
        "object": follow,
    })
}

/// Undo of a Follow: `{follow id}/undo`, audience P as PeerTube sends it.
pub fn undo_follow_activity(follow_id: &str, follower: &Actor, target_url: &str) -> Value {
    let mut cc = Vec::new();
    if let Some(f) = &follower.followers_url {
        cc.push(Value::String(f.clone()));
    }
    json!({
        "@context": context::base(),
        "type": "Undo",
        "id": format!("{follow_id}/undo"),
        "actor": follower.url,
        "object": follow_object(follow_id, &follower.url, target_url),
        "to": [context::PUBLIC],
        "cc": cc,
    })
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
