//! Likes and dislikes of remote videos as their origin counts them: the `totalItems` of the
//! video's `likes` and `dislikes` collections, read whenever the video is created or updated
//! here (PeerTube's rate sync on every Create and Update).

use serde::Deserialize;

use crate::fetch;
use crate::models::video::Video;
use crate::protocol::HttpUrl;
use crate::protocol::lenient::opt_integer;
use crate::state::AppState;

/// What we read of a rates collection.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Totals {
    #[serde(default, deserialize_with = "opt_integer")]
    total_items: Option<i64>,
}

async fn total(state: &AppState, url: Option<&HttpUrl>) -> Option<i64> {
    let url = url?;
    match fetch::fetch_object::<Totals>(state, url.as_str()).await {
        Ok(t) => t.total_items.filter(|n| *n >= 0),
        Err(e) => {
            tracing::info!(%url, error = %e, "cannot read a remote video's rates");
            None
        }
    }
}

/// Stores the origin's counts of remote video `video_id`; what cannot be read stays as it was.
pub async fn sync(
    state: &AppState,
    video_id: i64,
    likes: Option<&HttpUrl>,
    dislikes: Option<&HttpUrl>,
) {
    let (likes, dislikes) = tokio::join!(total(state, likes), total(state, dislikes));
    if likes.is_none() && dislikes.is_none() {
        return;
    }
    let stored = async {
        let mut conn = state.conn().await?;
        Video::set_remote_rates(&mut conn, video_id, likes, dislikes).await?;
        Ok::<_, crate::FederationError>(())
    };
    if let Err(e) = stored.await {
        tracing::warn!(video_id, error = %e, "cannot store a remote video's rates");
    }
}
