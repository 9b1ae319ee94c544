//! Likes and dislikes of local videos by remote actors: stored per actor, counted on the video,
//! and followed by an Update(Video) to followers, as PeerTube does.

use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde_json::Value;

use crate::error::FederationError;
use crate::models::actor::Actor;
use crate::models::video::Video;
use crate::queue::BackgroundJob;
use crate::state::AppState;

/// The local video an activity's object names (its URL), if any.
async fn local_video(state: &AppState, object: &Value) -> Result<Option<Video>, FederationError> {
    let Some(url) = object
        .as_str()
        .or_else(|| object.get("id").and_then(Value::as_str))
    else {
        return Ok(None);
    };
    let mut conn = state.conn().await?;
    Ok(Video::find_by_url(&mut conn, url)
        .await?
        .filter(|v| v.is_local))
}

async fn recount_and_federate(
    conn: &mut diesel_async::AsyncPgConnection,
    video_id: i64,
) -> Result<(), FederationError> {
    diesel::sql_query(
        "UPDATE videos SET \
         likes = (SELECT count(*) FROM video_rates WHERE video_id = $1 AND kind = 'like'), \
         dislikes = (SELECT count(*) FROM video_rates WHERE video_id = $1 AND kind = 'dislike') \
         WHERE id = $1",
    )
    .bind::<BigInt, _>(video_id)
    .execute(conn)
    .await?;
    super::jobs::federate::FederateVideo::update(video_id)
        .enqueue(conn)
        .await?;
    Ok(())
}

/// Like or Dislike (`kind`) of a local video by `signer`.
pub async fn rate(
    state: &AppState,
    signer: &Actor,
    activity: &Value,
    kind: &str,
) -> Result<(), FederationError> {
    let Some(video) = local_video(state, activity.get("object").unwrap_or(&Value::Null)).await?
    else {
        return Err(FederationError::NotFound(
            "rating of an unknown or remote video".into(),
        ));
    };
    let url = activity
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let (actor_id, video_id, kind) = (signer.id, video.id, kind.to_string());
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        diesel::sql_query(
            "INSERT INTO video_rates (actor_id, video_id, kind, url) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (actor_id, video_id) DO UPDATE SET kind = EXCLUDED.kind, url = EXCLUDED.url",
        )
        .bind::<BigInt, _>(actor_id)
        .bind::<BigInt, _>(video_id)
        .bind::<Text, _>(&kind)
        .bind::<diesel::sql_types::Nullable<Text>, _>(url.as_deref())
        .execute(conn)
        .await?;
        recount_and_federate(conn, video_id).await
    })
    .await
}

/// Undo of a Like or Dislike: the signer's rating of the video goes.
pub async fn unrate(
    state: &AppState,
    signer: &Actor,
    undone: &Value,
) -> Result<(), FederationError> {
    let Some(video) = local_video(state, undone.get("object").unwrap_or(&Value::Null)).await?
    else {
        return Ok(());
    };
    let (actor_id, video_id) = (signer.id, video.id);
    let mut conn = state.conn().await?;
    conn.transaction::<_, FederationError, _>(async move |conn| {
        diesel::sql_query("DELETE FROM video_rates WHERE actor_id = $1 AND video_id = $2")
            .bind::<BigInt, _>(actor_id)
            .bind::<BigInt, _>(video_id)
            .execute(conn)
            .await?;
        recount_and_federate(conn, video_id).await
    })
    .await
}
