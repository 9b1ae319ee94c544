//! One handler per static path family; each checks what the file belongs to before serving.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use ferrotube_federation::AppState;
use ferrotube_federation::models::actor_image::{ActorImage, ActorImageKind};
use ferrotube_federation::models::video::{Video, VideoFull};
use ferrotube_federation::models::video_file::VideoFile;
use ferrotube_federation::remote::actor_image;
use ferrotube_federation::video::lazy::{Image, ensure_remote_image};
use ferrotube_federation::video::storage;

use super::file::{Serve, serve};
use super::private::{self, FileQuery};
use crate::auth::MaybeUser;
use crate::videos::access::can_see;

async fn video_of_file(state: &AppState, name: &str) -> Option<(VideoFull, VideoFile)> {
    if !storage::is_safe_filename(name) {
        return None;
    }
    let mut conn = state.conn().await.ok()?;
    let file = VideoFile::find_by_filename(&mut conn, name).await.ok()??;
    let video = Video::find(&mut conn, file.video_id?).await.ok()??;
    let full = VideoFull::load(&mut conn, video).await.ok()??;
    Some((full, file))
}

/// `/static/web-videos/{file}`: files of public and unlisted videos, to anyone.
pub async fn web_video(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    if !storage::is_safe_filename(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let privacy = match state.conn().await {
        Ok(mut conn) => VideoFile::privacy_by_filename(&mut conn, &name)
            .await
            .ok()
            .flatten(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    match privacy {
        Some(p) if p.in_public_folder() => {
            let path = storage::video_file_path(&state.config.storage, &name);
            serve(&path, &method, &headers, Serve::default()).await
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/static/web-videos/private/{file}`: files of private and internal videos, to those who
/// may see the video (OAuth token or video file token).
pub async fn private_web_video(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<FileQuery>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let Some((video, _)) = video_of_file(&state, &name).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if video.video.privacy.in_public_folder() {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Err(status) = private::check(&state, user.as_ref(), &query, &video).await {
        return status.into_response();
    }
    let path = storage::video_file_path(&state.config.storage, &name);
    serve(&path, &method, &headers, Serve::default()).await
}

/// A file of a folder where any name we generated may be served (images, torrents).
async fn plain(
    dir: std::path::PathBuf,
    name: &str,
    method: &Method,
    headers: &HeaderMap,
    attachment: Option<&str>,
) -> Response {
    if !storage::is_safe_filename(name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    serve(&dir.join(name), method, headers, Serve { attachment }).await
}

pub async fn thumbnail(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    image(&state, &name, Image::Thumbnail, &method, &headers).await
}

pub async fn preview(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    image(&state, &name, Image::Preview, &method, &headers).await
}

/// Local images are served as they are; those of remote videos are fetched on first use.
async fn image(
    state: &AppState,
    name: &str,
    kind: Image,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let dir = match kind {
        Image::Thumbnail => state.config.storage.thumbnails_dir(),
        Image::Preview => state.config.storage.previews_dir(),
    };
    let missing = storage::is_safe_filename(name) && !dir.join(name).exists();
    if missing && let Err(e) = ensure_remote_image(state, name, kind).await {
        tracing::info!(error = %e, name, "cannot fetch a remote image");
    }
    plain(dir, name, method, headers, None).await
}

pub async fn avatar(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    actor_image(&state, &name, ActorImageKind::Avatar, &method, &headers).await
}

pub async fn banner(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    actor_image(&state, &name, ActorImageKind::Banner, &method, &headers).await
}

/// Avatars and banners: ours from disk, remote ones fetched from their origin on first use.
/// A name that is no image of that kind is a 404, even when a file of the other kind has it.
async fn actor_image(
    state: &AppState,
    name: &str,
    kind: ActorImageKind,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let known = {
        let Ok(mut conn) = state.conn().await else {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        };
        ActorImage::find_by_filename(&mut conn, kind, name).await
    };
    if !matches!(known, Ok(Some(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match actor_image::ensure_on_disk(state, kind, name).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::info!(error = %e, name, "cannot fetch a remote actor image");
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    plain(
        state.config.storage.avatars_dir(),
        name,
        method,
        headers,
        None,
    )
    .await
}

/// Torrents of every video are served: those of non-public videos carry no WebSeed.
pub async fn torrent(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    plain(
        state.config.storage.torrents_dir(),
        &name,
        &method,
        &headers,
        None,
    )
    .await
}

pub async fn torrent_download(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let attachment = name.clone();
    plain(
        state.config.storage.torrents_dir(),
        &name,
        &method,
        &headers,
        Some(&attachment),
    )
    .await
}

/// `/download/web-videos/{uuid}-{res}.{ext}`: an attachment, when downloads are enabled.
pub async fn web_video_download(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let parsed = name.rsplit_once('.').and_then(|(stem, _)| {
        let (uuid, res) = stem.rsplit_once('-')?;
        Some((uuid::Uuid::parse_str(uuid).ok()?, res.parse::<i32>().ok()?))
    });
    let Some((uuid, resolution)) = parsed else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found = async {
        let mut conn = state.conn().await.ok()?;
        let video = Video::find_by_uuid(&mut conn, uuid).await.ok()??;
        VideoFull::load(&mut conn, video).await.ok()?
    }
    .await;
    let Some(video) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let owner = user
        .as_ref()
        .is_some_and(|u| crate::videos::access::is_owner(&u.user, &video));
    if !can_see(user.as_ref().map(|u| &u.user), &video) || (!video.video.download_enabled && !owner)
    {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Some(filename) = video
        .files
        .iter()
        .find(|f| f.resolution == resolution)
        .and_then(|f| f.filename.clone())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = storage::video_file_path(&state.config.storage, &filename);
    let attachment = format!(
        "{}-{resolution}.{}",
        video.video.name,
        name.rsplit('.').next().unwrap_or("mp4")
    );
    serve(
        &path,
        &method,
        &headers,
        Serve {
            attachment: Some(&attachment),
        },
    )
    .await
}
