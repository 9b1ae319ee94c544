//! Lists of follows: the ActivityPub followers/following collections, the REST follow lists
//! (with both actors) and a user's channel subscriptions.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{ActorFollow, FollowSide, FollowState};
use crate::models::actor::Actor;
use crate::schema::{actor_follows, actors, servers, video_channels};

/// One follow with both actors and their hosts, for the REST lists.
#[derive(Debug, Clone)]
pub struct FollowView {
    pub follow: ActorFollow,
    pub follower: Actor,
    pub follower_host: Option<String>,
    pub following: Actor,
    pub following_host: Option<String>,
}

impl ActorFollow {
    /// Accepted follows of one side of `actor_id`, newest first, as actor URLs.
    pub async fn accepted_urls(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        side: FollowSide,
        start: i64,
        count: i64,
    ) -> QueryResult<(i64, Vec<String>)> {
        let accepted = actor_follows::state.eq(FollowState::Accepted);
        match side {
            FollowSide::Followers => {
                let base = actor_follows::table
                    .filter(actor_follows::target_actor_id.eq(actor_id))
                    .filter(accepted);
                let total = base.count().get_result(conn).await?;
                let urls = base
                    .inner_join(actors::table.on(actors::id.eq(actor_follows::actor_id)))
                    .order(actor_follows::created_at.desc())
                    .offset(start)
                    .limit(count)
                    .select(actors::url)
                    .load(conn)
                    .await?;
                Ok((total, urls))
            }
            FollowSide::Following => {
                let base = actor_follows::table
                    .filter(actor_follows::actor_id.eq(actor_id))
                    .filter(accepted);
                let total = base.count().get_result(conn).await?;
                let urls = base
                    .inner_join(actors::table.on(actors::id.eq(actor_follows::target_actor_id)))
                    .order(actor_follows::created_at.desc())
                    .offset(start)
                    .limit(count)
                    .select(actors::url)
                    .load(conn)
                    .await?;
                Ok((total, urls))
            }
        }
    }

    /// A page of an actor's follows (any state unless `state`), newest first unless
    /// `ascending`.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        side: FollowSide,
        state: Option<FollowState>,
        (start, count): (i64, i64),
        ascending: bool,
    ) -> QueryResult<(i64, Vec<FollowView>)> {
        let mut base = actor_follows::table.into_boxed();
        let mut counted = actor_follows::table.into_boxed();
        match side {
            FollowSide::Following => {
                base = base.filter(actor_follows::actor_id.eq(actor_id));
                counted = counted.filter(actor_follows::actor_id.eq(actor_id));
            }
            FollowSide::Followers => {
                base = base.filter(actor_follows::target_actor_id.eq(actor_id));
                counted = counted.filter(actor_follows::target_actor_id.eq(actor_id));
            }
        }
        if let Some(s) = state {
            base = base.filter(actor_follows::state.eq(s));
            counted = counted.filter(actor_follows::state.eq(s));
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

    /// Channels (`video_channels.id`) followed by an actor, newest follow first: a user's
    /// subscriptions.
    pub async fn subscribed_channel_ids(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
        (start, count): (i64, i64),
        ascending: bool,
    ) -> QueryResult<(i64, Vec<i64>)> {
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
}
