//! Follows between actors (server to server, user to channel, remote to local): the row, its
//! writes and the actors' counters that follow them. `listing` holds the lists (REST,
//! collections, subscriptions), `delivery` what deliveries need (followers' inboxes, the score).

mod delivery;
mod listing;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Re-exported beside the table that stores it.
pub use super::enums::FollowState;
pub use listing::FollowView;

use crate::schema::actor_follows;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actor_follows)]
pub struct ActorFollow {
    pub id: i64,
    pub actor_id: i64,
    pub target_actor_id: i64,
    pub state: FollowState,
    pub score: i32,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which side of an actor's follows a list shows.
#[derive(Debug, Clone, Copy)]
pub enum FollowSide {
    /// Actors following the given one (follows of it).
    Followers,
    /// Actors the given one follows (follows it makes).
    Following,
}

impl ActorFollow {
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
                actor_follows::state.eq(state),
                actor_follows::url.eq(url),
            ))
            .on_conflict((actor_follows::actor_id, actor_follows::target_actor_id))
            .do_update()
            .set((
                actor_follows::state.eq(state),
                actor_follows::url.eq(url),
                actor_follows::updated_at.eq(now),
            ))
            .returning(ActorFollow::as_returning())
            .get_result(conn)
            .await?;
        Self::recount(conn, &[follower_id, target_id]).await?;
        Ok(row)
    }

    pub async fn set_state(
        conn: &mut AsyncPgConnection,
        follow: &ActorFollow,
        state: FollowState,
    ) -> QueryResult<()> {
        diesel::update(actor_follows::table.find(follow.id))
            .set((
                actor_follows::state.eq(state),
                actor_follows::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        Self::recount(conn, &[follow.actor_id, follow.target_actor_id]).await
    }

    pub async fn remove(conn: &mut AsyncPgConnection, follow: &ActorFollow) -> QueryResult<()> {
        diesel::delete(actor_follows::table.find(follow.id))
            .execute(conn)
            .await?;
        Self::recount(conn, &[follow.actor_id, follow.target_actor_id]).await
    }

    /// The other actors of `actor_id`'s follows, either way: whose counters change when it goes.
    pub async fn counterparts(
        conn: &mut AsyncPgConnection,
        actor_id: i64,
    ) -> QueryResult<Vec<i64>> {
        Ok(actor_follows::table
            .filter(
                actor_follows::actor_id
                    .eq(actor_id)
                    .or(actor_follows::target_actor_id.eq(actor_id)),
            )
            .select((actor_follows::actor_id, actor_follows::target_actor_id))
            .load::<(i64, i64)>(conn)
            .await?
            .into_iter()
            .flat_map(|(a, b)| [a, b])
            .filter(|id| *id != actor_id)
            .collect())
    }
}
