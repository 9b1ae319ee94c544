//! `PUT /api/v1/videos/{id}` (owner, or UPDATE_ANY_VIDEO). A new name or a move between
//! public and private files rewrites the torrents (web videos' and HLS renditions'), and a
//! move gives the HLS swarms new ids, as PeerTube does.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use diesel_async::AsyncConnection;
use ferrotube_federation::AppState;
use ferrotube_federation::models::enums::VideoState;
use ferrotube_federation::models::user::UserRight;
use ferrotube_federation::models::video::{Video, VideoChanges};
use ferrotube_federation::models::video_tag::VideoTag;
use ferrotube_federation::queue::BackgroundJob;
use ferrotube_federation::video::federate;
use ferrotube_federation::video::jobs::federate::FederateVideo;
use ferrotube_federation::video::jobs::torrent::BuildTorrent;
use ferrotube_federation::video::lifecycle::create::upload_channel;

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
        .is_some_and(|p| p.in_public_folder() != old.privacy.in_public_folder());
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
    let has_files = video
        .files
        .iter()
        .chain(
            video
                .streaming_playlists
                .iter()
                .flat_map(|p| p.files.iter()),
        )
        .any(|f| f.filename.is_some());
    let tags = meta.tags.clone();
    // What other instances must hear: a Delete when it stops being federable, a Create when it
    // becomes so, else an Update.
    let was_federable = federate::is_federable(&video);
    let new_privacy = meta.privacy.unwrap_or(old.privacy);
    let now_federable =
        old.is_local && old.state == VideoState::Published && new_privacy.in_public_folder();
    let urls = state.urls.clone();
    conn.transaction::<_, ApiError, _>(async move |conn| {
        if was_federable && !now_federable {
            federate::send_delete(conn, &urls, &video, true).await?;
        }
        Video::update(conn, video_id, &changes).await?;
        if let Some(tags) = tags {
            VideoTag::set(conn, video_id, &tags).await?;
        }
        // New torrents first, then one Create or Update naming them (PeerTube's order); a
        // video with nothing to rebuild federates at once.
        let rebuild = (rename || moves) && has_files;
        if rebuild {
            let then = now_federable.then_some(!was_federable);
            match then {
                Some(is_new) => BuildTorrent::all_then_federate(video_id, is_new),
                None => BuildTorrent {
                    video_id,
                    file_id: None,
                    then_federate: None,
                },
            }
            .enqueue(conn)
            .await?;
        } else if now_federable {
            let job = FederateVideo {
                video_id,
                is_new: !was_federable,
            };
            job.enqueue(conn).await?;
        }
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
