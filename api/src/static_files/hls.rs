//! HLS files, laid out as PeerTube's: `/static/streaming-playlists/hls/{videoUuid}/{file}`
//! (master and variant playlists, fragmented MP4s read by range, segment hashes), the same
//! under `/private/` for non-public videos, and the renditions' downloads.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ferrotube_federation::AppState;
use ferrotube_federation::models::video::{Video, VideoFull};
use ferrotube_federation::video::storage;
use uuid::Uuid;

use super::file::{Serve, serve};
use super::private::{self, FileQuery};
use crate::auth::MaybeUser;
use crate::videos::access::{can_see, is_owner};

/// A local video by the UUID of its HLS folder, when the file name is one we could have made.
async fn local_video(state: &AppState, uuid: &str, name: &str) -> Result<Video, Response> {
    let (Ok(uuid), true) = (Uuid::parse_str(uuid), storage::is_safe_filename(name)) else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    let mut conn = match state.conn().await {
        Ok(c) => c,
        Err(_) => return Err(StatusCode::SERVICE_UNAVAILABLE.into_response()),
    };
    match Video::find_by_uuid(&mut conn, uuid).await {
        Ok(Some(v)) if v.is_local => Ok(v),
        Ok(_) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(_) => Err(StatusCode::SERVICE_UNAVAILABLE.into_response()),
    }
}

/// `/static/streaming-playlists/hls/{uuid}/{file}`: files of public and unlisted videos.
pub async fn public(
    State(state): State<AppState>,
    Path((uuid, name)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let video = match local_video(&state, &uuid, &name).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !video.privacy.in_public_folder() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = storage::hls_file_path(&state.config.storage, &video.uuid, &name);
    serve(&path, &method, &headers, Serve::default()).await
}

/// `/static/streaming-playlists/hls/private/{uuid}/{file}`: files of private and internal
/// videos, to those allowed. A playlist asked for with `reinjectVideoFileToken` lists its
/// URLs with the token, so a player that cannot add it to each request still plays.
pub async fn private(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<FileQuery>,
    Path((uuid, name)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let video = match local_video(&state, &uuid, &name).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if video.privacy.in_public_folder() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let full = match state.conn().await {
        Ok(mut conn) => VideoFull::load(&mut conn, video).await.ok().flatten(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let Some(full) = full else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Err(status) = private::check(&state, user.as_ref(), &query, &full).await {
        return status.into_response();
    }
    let path = storage::hls_file_path(&state.config.storage, &full.video.uuid, &name);
    match &query.video_file_token {
        Some(token) if query.reinject() && name.ends_with(".m3u8") => {
            let Ok(text) = tokio::fs::read_to_string(&path).await else {
                return StatusCode::NOT_FOUND.into_response();
            };
            let mut q = format!("videoFileToken={token}");
            if name.ends_with("-master.m3u8") {
                // The variant playlists must pass the token on to their segments too.
                q.push_str("&reinjectVideoFileToken=true");
            }
            let body = with_query(&text, &q);
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/vnd.apple.mpegurl"),
                )],
                body,
            )
                .into_response()
        }
        _ => serve(&path, &method, &headers, Serve::default()).await,
    }
}

/// Every playlist, segment and fMP4 reference of `playlist` with `?query` added, as PeerTube
/// rewrites them.
fn with_query(playlist: &str, query: &str) -> String {
    let mut out = String::with_capacity(playlist.len() + 64);
    let mut rest = playlist;
    while let Some(at) = rest.find('.') {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let ext = ["m3u8", "mp4", "ts"]
            .into_iter()
            .find(|e| after[1..].starts_with(e));
        match ext {
            Some(e) => {
                out.push('.');
                out.push_str(e);
                out.push('?');
                out.push_str(query);
                rest = &after[1 + e.len()..];
            }
            None => {
                out.push('.');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `/download/streaming-playlists/hls/videos/{uuid}-{res}-fragmented.mp4`: a rendition as an
/// attachment, when downloads are enabled.
pub async fn download(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let parsed = name.strip_suffix("-fragmented.mp4").and_then(|stem| {
        let (uuid, res) = stem.rsplit_once('-')?;
        Some((Uuid::parse_str(uuid).ok()?, res.parse::<i32>().ok()?))
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
    let Some(video) = found.filter(|v| v.video.is_local) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let owner = user.as_ref().is_some_and(|u| is_owner(&u.user, &video));
    if !can_see(user.as_ref().map(|u| &u.user), &video) || (!video.video.download_enabled && !owner)
    {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Some(filename) = video
        .hls()
        .and_then(|p| p.files.iter().find(|f| f.resolution == resolution))
        .and_then(|f| f.filename.clone())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = storage::hls_file_path(&state.config.storage, &video.video.uuid, &filename);
    let attachment = format!("{}-{resolution}-fragmented.mp4", video.video.name);
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

#[cfg(test)]
mod tests {
    use super::with_query;

    #[test]
    fn the_token_goes_into_every_reference() {
        let master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.64001e\"\na-360.m3u8\n";
        assert_eq!(
            with_query(master, "videoFileToken=t"),
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.64001e\"\na-360.m3u8?videoFileToken=t\n"
        );
        let variant = "#EXT-X-MAP:URI=\"a-360-fragmented.mp4\",BYTERANGE=\"1@0\"\n#EXTINF:4.000000,\na-360-fragmented.mp4\n";
        assert_eq!(
            with_query(variant, "q"),
            "#EXT-X-MAP:URI=\"a-360-fragmented.mp4?q\",BYTERANGE=\"1@0\"\n#EXTINF:4.000000,\na-360-fragmented.mp4?q\n"
        );
    }
}
