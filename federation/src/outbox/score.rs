//! PeerTube's follow score: +10 per successful delivery to a follower's inbox, −10 per
//! failure (start 1000, max 10000); `score_purge_job` removes follows at 0 or below.

use diesel_async::AsyncPgConnection;

use crate::models::follow::ActorFollow;

const SUCCESS: i32 = 10;
const FAILURE: i32 = -10;
const MAX: i32 = 10_000;

pub async fn record(
    conn: &mut AsyncPgConnection,
    inbox: &str,
    success: bool,
) -> diesel::QueryResult<()> {
    let delta = if success { SUCCESS } else { FAILURE };
    ActorFollow::add_score_by_inbox(conn, inbox, delta, MAX).await
}
