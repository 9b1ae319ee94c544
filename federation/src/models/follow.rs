//! Follows between actors (server to server, user to channel, remote to local).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::schema::{actor_follows, actors};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowState {
    Pending,
    Accepted,
    Rejected,
}

impl FollowState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actor_follows)]
pub struct ActorFollow {
    pub id: i64,
    pub actor_id: i64,
    pub target_actor_id: i64,
    pub state: String,
    pub score: i32,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which side of a follow a collection lists.
#[derive(Debug, Clone, Copy)]
pub enum FollowSide {
    /// Actors following the given one.
    Followers,
    /// Actors the given one follows.
    Following,
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
        let accepted = actor_follows::state.eq(FollowState::Accepted.as_str());
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
}
