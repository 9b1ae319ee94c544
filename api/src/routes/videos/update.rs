//! `PUT /api/v1/videos/{id}` (owner, or UPDATE_ANY_VIDEO). A new name or a move between
//! public and private files rewrites the torrents (web videos' and HLS renditions'), and a
//! move gives the HLS swarms new ids, as PeerTube does.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use diesel_async::AsyncConnection;
use ferrotube_federation::AppState;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::models::video::{Video, VideoChanges};
use ferrotube_federation::queue::BackgroundJob;
use ferrotube_federation::video::jobs::federate::FederateVideo;
use ferrotube_federation::video::jobs::torrent::BuildTorrent;
use ferrotube_federation::video::lifecycle::create::upload_channel;
use ferrotube_federation::video::lifecycle::hls;
use ferrotube_federation::video::{federate, privacy, state as video_state};

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body;
use crate::videos::access::ensure_can_manage;
use crate::videos::meta::read_meta;

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<String>,
    Body(mut body): Body,
) -> ApiResult<StatusCode> {
    let meta = read_meta(&mut body, false);
    body.finish()?;
    let mut conn = state.conn().await?;
    let video = super::load(&mut conn, &id).await?;
    ensure_can_manage(&auth, &video, UserRight::UpdateAnyVideo)?;
    if let Some(channel_id) = meta.channel_id.filter(|c| *c != video.video.channel_id) {
        let owner = video
            .owner_user_id()
            .ok_or_else(|| ApiError::forbidden("Cannot move this video"))?;
        let owner = ferrotube_federation::models::user::User::find(&mut conn, owner)
            .await?
            .ok_or_else(|| ApiError::forbidden("Cannot move this video"))?;
        upload_channel(&state, &owner, channel_id).await?;
    }
    let old = &video.video;
    let rename = meta.name.as_ref().is_some_and(|n| *n != old.name);
    let moves = meta
        .privacy
        .is_some_and(|p| privacy::in_public_folder(p) != privacy::in_public_folder(old.privacy));
    let changes = VideoChanges {
        name: meta.name.clone(),
        description: meta.description.clone(),
        support: meta.support.clone(),
        category: meta.category,
        licence: meta.licence,
        language: meta.language.clone(),
        privacy: meta.privacy,
        nsfw: meta.nsfw,
        comments_policy: meta.comments_policy,
        download_enabled: meta.download_enabled,
        wait_transcoding: meta.wait_transcoding,
        channel_id: meta.channel_id,
        originally_published_at: meta.originally_published_at,
        updated_at: Some(Utc::now()),
        ..VideoChanges::default()
    };
    let video_id = old.id;
    let hls_files = video
        .streaming_playlists
        .iter()
        .flat_map(|p| p.files.iter());
    let files: Vec<i64> = video
        .files
        .iter()
        .chain(hls_files)
        .filter(|f| f.filename.is_some())
        .map(|f| f.id)
        .collect();
    let tags = meta.tags.clone();
    // What other instances must hear: a Delete when it stops being federable, a Create when it
    // becomes so, else an Update.
    let was_federable = federate::is_federable(&video);
    let new_privacy = meta.privacy.unwrap_or(old.privacy);
    let now_federable = old.is_local
        && old.state == video_state::PUBLISHED
        && privacy::in_public_folder(new_privacy);
    let urls = state.urls.clone();
    let has_hls = !video.streaming_playlists.is_empty();
    conn.transaction::<_, ApiError, _>(async move |conn| {
        if was_federable && !now_federable {
            federate::send_delete(conn, &urls, &video, true).await?;
        }
        Video::update(conn, video_id, &changes).await?;
        if let Some(tags) = tags {
            Video::set_tags(conn, video_id, &tags).await?;
        }
        if rename || moves {
            for file_id in files {
                BuildTorrent { video_id, file_id }.enqueue(conn).await?;
            }
        }
        if now_federable {
            let job = FederateVideo {
                video_id,
                is_new: !was_federable,
            };
            job.enqueue(conn).await?;
        }
        Ok(())
    })
    .await?;
    if moves && has_hls {
        // The master playlist's URL moved between the public and the private path.
        let reloaded = super::load(&mut conn, &video_id.to_string()).await?;
        drop(conn);
        hls::refresh_swarm_ids(&state, &reloaded).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
