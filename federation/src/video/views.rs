//! Views and viewers, as PeerTube 6.3 counts and federates them:
//! - a view counts once per viewer and hour, after 10 s of watching (or half of a shorter video);
//!   views of our videos are buffered in Redis and added to the videos by a periodic flush;
//! - a viewer is someone watching now: kept two minutes after their last report, so `viewers`
//!   moves at once;
//! - both go out as `View` activities from our server actor: to the origin of a remote video,
//!   to the followers of everyone involved in ours (a viewer carries `expires`); received Views
//!   of our videos are counted and forwarded.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::activities::audience::involved_followers;
use crate::activities::view::View;
use crate::bootstrap::SERVER_ACTOR_NAME;
use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::follow::ActorFollow;
use crate::models::video::{Video, VideoFull};
use crate::outbox::{deliver, forward};
use crate::protocol::{public, url};
use crate::state::AppState;

/// How long a viewer counts after their last report (PeerTube's `VIEWER_COUNTER`).
const VIEWER_LIFETIME: chrono::Duration = chrono::Duration::minutes(2);
/// A watching viewer is told to other servers again after this long.
const VIEWER_REFEDERATE_SECS: u64 = 90;

/// Whether a report at `current_time` seconds makes a view of a video of `duration` seconds:
/// 10 s, or more than half of a shorter video (PeerTube's `hasEnoughWatchTime`).
fn watched_enough(duration: i32, current_time: i64) -> bool {
    let duration = i64::from(duration.max(0));
    if duration >= 10 {
        current_time >= 10
    } else {
        current_time * 2 > duration
    }
}

/// A viewer's report from this instance's player (`POST /api/v1/videos/{id}/views`).
pub async fn local_report(
    state: &AppState,
    video: &VideoFull,
    session: &str,
    current_time: i64,
) -> Result<(), FederationError> {
    let v = &video.video;
    let viewer_id = format!("{session}-{}", v.uuid);
    let expires = Utc::now() + VIEWER_LIFETIME;
    add_viewer(state, v.id, &viewer_id, expires).await?;
    let tell_viewer = first_within(
        state,
        &format!("video-viewer-federated-{viewer_id}"),
        VIEWER_REFEDERATE_SECS,
    )
    .await?;
    let counted = watched_enough(v.duration, current_time)
        && first_within(state, &format!("video-view-{}-{session}", v.id), 3600).await?;
    if counted && v.is_local {
        buffer_view(state, v.id).await?;
    }
    if !tell_viewer && !counted {
        return Ok(());
    }
    let mut conn = state.conn().await?;
    let full = video.clone();
    let state = state.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        if tell_viewer {
            send_view(conn, &state, &full, &viewer_id, Some(expires)).await?;
        }
        if counted {
            let id = uuid::Uuid::new_v4().to_string();
            send_view(conn, &state, &full, &id, None).await?;
        }
        Ok(())
    })
    .await
}

/// A View received from another server: a viewer (with `expires`) or a counted view; forwarded
/// when the video is ours.
pub async fn remote(
    state: &AppState,
    video: &Video,
    view: &View,
    sender: &Actor,
    raw: &serde_json::Value,
) -> Result<(), FederationError> {
    match view.expires {
        Some(expires) => add_viewer(state, video.id, view.id.as_str(), expires).await?,
        // Views of remote videos come back in their origin's Update(Video).
        None if video.is_local => buffer_view(state, video.id).await?,
        None => {}
    }
    if !video.is_local {
        return Ok(());
    }
    let mut conn = state.conn().await?;
    let Some(full) = VideoFull::load(&mut conn, video.clone()).await? else {
        return Ok(());
    };
    let server = server_actor(&mut conn).await?;
    let involved = [
        server.id,
        full.channel.actor.id,
        full.channel.owner.actor.id,
    ];
    let exceptions = [Some(&sender.inbox_url), sender.shared_inbox_url.as_ref()];
    let inboxes: Vec<String> = ActorFollow::followers_shared_inboxes(&mut conn, &involved)
        .await?
        .into_iter()
        .filter(|i| !exceptions.contains(&Some(i)))
        .collect();
    forward(&mut conn, raw, server.id, inboxes).await
}

async fn server_actor(conn: &mut AsyncPgConnection) -> Result<Actor, FederationError> {
    Actor::find_local_by_name(conn, SERVER_ACTOR_NAME)
        .await?
        .ok_or_else(|| FederationError::Internal("no server actor".into()))
}

/// A View by our server actor: to a remote video's origin account, or to the followers of
/// everyone involved in our video.
async fn send_view(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    full: &VideoFull,
    viewer: &str,
    expires: Option<DateTime<Utc>>,
) -> Result<(), FederationError> {
    let server = server_actor(conn).await?;
    let v = &full.video;
    let origin = &full.channel.owner.actor;
    let (to, inboxes) = if v.is_local {
        let mut to = vec![public()];
        for f in involved_followers(&state.urls, full) {
            to.push(url(&f)?);
        }
        let involved = [server.id, full.channel.actor.id, origin.id];
        (
            to,
            ActorFollow::followers_shared_inboxes(conn, &involved).await?,
        )
    } else {
        let inbox = origin
            .shared_inbox_url
            .clone()
            .unwrap_or_else(|| origin.inbox_url.clone());
        (vec![url(&origin.url)?], vec![inbox])
    };
    let view = View {
        kind: Default::default(),
        id: url(&format!("{}/views/videos/{}/{viewer}", server.url, v.id))?,
        actor: url(&server.url)?.into(),
        object: url(&v.url)?.into(),
        to,
        cc: Vec::new(),
        expires,
        result: None,
    };
    deliver(conn, &view, server.id, inboxes).await
}

/// `SET key NX EX secs`: true the first time within `secs`.
async fn first_within(state: &AppState, key: &str, secs: u64) -> Result<bool, FederationError> {
    let mut redis = state.redis.clone();
    let set: Option<String> = redis::cmd("SET")
        .arg(state.redis_key(key))
        .arg(1)
        .arg("NX")
        .arg("EX")
        .arg(secs)
        .query_async(&mut redis)
        .await?;
    Ok(set.is_some())
}

fn viewers_key(state: &AppState, video_id: i64) -> String {
    state.redis_key(&format!("video-viewers-{video_id}"))
}

/// Records (or extends) a viewer until `expires`.
async fn add_viewer(
    state: &AppState,
    video_id: i64,
    viewer: &str,
    expires: DateTime<Utc>,
) -> Result<(), FederationError> {
    let key = viewers_key(state, video_id);
    let mut redis = state.redis.clone();
    let _: () = redis::pipe()
        .cmd("ZADD")
        .arg(&key)
        .arg(expires.timestamp_millis())
        .arg(viewer)
        .ignore()
        .cmd("PEXPIREAT")
        .arg(&key)
        .arg(expires.timestamp_millis())
        .arg("GT")
        .ignore()
        .query_async(&mut redis)
        .await?;
    Ok(())
}

/// Viewers watching each video now, in one round trip.
pub async fn viewers(state: &AppState, video_ids: &[i64]) -> Result<Vec<i64>, FederationError> {
    if video_ids.is_empty() {
        return Ok(Vec::new());
    }
    let now = Utc::now().timestamp_millis();
    let mut pipe = redis::pipe();
    for id in video_ids {
        pipe.cmd("ZCOUNT")
            .arg(viewers_key(state, *id))
            .arg(now)
            .arg("+inf");
    }
    let mut redis = state.redis.clone();
    Ok(pipe.query_async(&mut redis).await?)
}

async fn buffer_view(state: &AppState, video_id: i64) -> Result<(), FederationError> {
    let mut redis = state.redis.clone();
    let _: i64 = redis::cmd("HINCRBY")
        .arg(state.redis_key("video-views-buffer"))
        .arg(video_id)
        .arg(1)
        .query_async(&mut redis)
        .await?;
    Ok(())
}

/// Moves buffered views into the videos table; returns how many were added.
pub async fn flush(state: &AppState) -> Result<i64, FederationError> {
    let mut redis = state.redis.clone();
    let key = state.redis_key("video-views-buffer");
    let taking = state.redis_key("video-views-buffer-flushing");
    // RENAME makes the taken batch private to this flush; new views start a fresh buffer.
    let renamed: Result<String, _> = redis::cmd("RENAME")
        .arg(&key)
        .arg(&taking)
        .query_async(&mut redis)
        .await;
    if renamed.is_err() {
        return Ok(0);
    }
    let entries: Vec<(i64, i64)> = redis::cmd("HGETALL")
        .arg(&taking)
        .query_async(&mut redis)
        .await?;
    let mut conn = state.conn().await?;
    let mut total = 0;
    for (video_id, n) in entries {
        Video::add_views(&mut conn, video_id, n).await?;
        total += n;
    }
    let _: i64 = redis::cmd("DEL")
        .arg(&taking)
        .query_async(&mut redis)
        .await?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::watched_enough;

    #[test]
    fn a_view_needs_ten_seconds_or_half_a_short_video() {
        assert!(!watched_enough(60, 9));
        assert!(watched_enough(60, 10));
        assert!(watched_enough(6, 4));
        assert!(!watched_enough(6, 3));
    }
}
