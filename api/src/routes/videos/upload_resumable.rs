//! `/api/v1/videos/upload-resumable`: PeerTube's resumable upload (the uploadx protocol).
//! Sessions live in PostgreSQL and bytes on disk, so an upload resumes after a restart.

use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use ferrotube_federation::models::upload_session::UploadSession;
use ferrotube_federation::video::lifecycle::create::{
    Upload, create_local_video, extension_of, upload_channel,
};
use ferrotube_federation::video::lifecycle::quota;
use ferrotube_federation::video::storage;
use ferrotube_federation::{AppState, FederationError};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::Value;
use sha1::{Digest, Sha1};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use super::upload::video_created;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Body as FieldsBody;
use crate::videos::meta::read_meta;

const PATH: &str = "/api/v1/videos/upload-resumable";

#[derive(Debug, Deserialize)]
pub struct UploadId {
    upload_id: Option<String>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Federation(ferrotube_federation::FederationError::Internal(
        e.to_string(),
    ))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `//host/…` as PeerTube answers, or a full URL behind a proxy that says its scheme.
fn location(headers: &HeaderMap, id: &str) -> String {
    let host = header_str(headers, "host").unwrap_or("localhost");
    match header_str(headers, "x-forwarded-proto") {
        Some(proto) => format!("{proto}://{host}{PATH}?upload_id={id}"),
        None => format!("//{host}{PATH}?upload_id={id}"),
    }
}

fn range_header(received: i64) -> Option<HeaderValue> {
    (received > 0)
        .then(|| HeaderValue::from_str(&format!("bytes=0-{}", received - 1)).ok())
        .flatten()
}

/// Starts (or finds again) an upload session.
pub async fn init(
    State(state): State<AppState>,
    auth: AuthUser,
    headers: HeaderMap,
    FieldsBody(mut body): FieldsBody,
) -> ApiResult<Response> {
    let size = header_str(&headers, "x-upload-content-length").and_then(|v| v.parse::<i64>().ok());
    let mime = header_str(&headers, "x-upload-content-type")
        .unwrap_or("application/octet-stream")
        .to_string();
    let filename = body.req_str("filename", |s| !s.is_empty() && s.len() <= 255);
    let meta = read_meta(&mut body, true);
    let metadata = Value::Object(body.raw_map().clone());
    body.finish()?;
    let Some(size) = size.filter(|s| *s > 0) else {
        return Err(ApiError::bad_request(
            "X-Upload-Content-Length header is missing or invalid",
        ));
    };
    if extension_of(&filename).is_none() {
        return Err(FederationError::UnsupportedVideoType.into());
    }
    if let Some(channel_id) = meta.channel_id {
        upload_channel(&state, &auth.user, channel_id).await?;
    }
    let mut conn = state.conn().await?;
    quota::check(&mut conn, &auth.user, size).await?;

    let fingerprint = hex::encode(Sha1::digest(
        format!("{}|{filename}|{size}|{mime}|{metadata}", auth.user.id).as_bytes(),
    ));
    if let Some(existing) =
        UploadSession::find_by_fingerprint(&mut conn, auth.user.id, &fingerprint).await?
    {
        let mut res = StatusCode::OK.into_response();
        let h = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&location(&headers, &existing.id)) {
            h.insert(header::LOCATION, v);
        }
        if let Some(r) = range_header(existing.received) {
            h.insert(header::RANGE, r);
        }
        return Ok(res);
    }
    let id = hex::encode(Sha1::digest(uuid::Uuid::new_v4().as_bytes()));
    let path = storage::tmp_path(&state.config.storage, &format!("resumable-{id}"));
    tokio::fs::File::create(&path).await.map_err(internal)?;
    let now = Utc::now();
    UploadSession::insert(
        &mut conn,
        &UploadSession {
            id: id.clone(),
            user_id: auth.user.id,
            fingerprint,
            metadata,
            filename,
            mime_type: mime,
            size,
            received: 0,
            path: path.to_string_lossy().into_owned(),
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    let mut res = StatusCode::CREATED.into_response();
    if let Ok(v) = HeaderValue::from_str(&location(&headers, &id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `Content-Range: bytes s-e/total` or `bytes */total`.
fn parse_content_range(v: &str) -> Option<(Option<(i64, i64)>, i64)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let total = total.trim().parse().ok()?;
    if range.trim() == "*" {
        return Some((None, total));
    }
    let (s, e) = range.split_once('-')?;
    Some((
        Some((s.trim().parse().ok()?, e.trim().parse().ok()?)),
        total,
    ))
}

struct Lock {
    state: AppState,
    key: String,
}

impl Lock {
    /// One writer per session; a second gets 503 with Retry-After as PeerTube answers.
    async fn take(state: &AppState, id: &str) -> ApiResult<Lock> {
        let key = state.redis_key(&format!("resumable-upload-{id}"));
        let mut redis = state.redis.clone();
        let taken: bool = redis::cmd("SET")
            .arg(&key)
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(3600)
            .query_async::<Option<String>>(&mut redis)
            .await
            .map_err(|e| ApiError::Federation(e.into()))?
            .is_some();
        if !taken {
            return Err(ApiError::TryLater);
        }
        Ok(Lock {
            state: state.clone(),
            key,
        })
    }

    async fn release(self) {
        let mut redis = self.state.redis.clone();
        let _ = redis::cmd("DEL")
            .arg(&self.key)
            .query_async::<i64>(&mut redis)
            .await;
    }
}

/// Receives one chunk; the last one creates the video.
pub async fn chunk(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<UploadId>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let id = q.upload_id.unwrap_or_default();
    let mut conn = state.conn().await?;
    let session = UploadSession::find(&mut conn, &id, auth.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Upload not found"))?;
    drop(conn);
    let range = header_str(&headers, "content-range").and_then(parse_content_range);
    let lock = Lock::take(&state, &session.id).await?;
    let result = write_chunk(&state, &auth, session, range, body).await;
    lock.release().await;
    result
}

async fn write_chunk(
    state: &AppState,
    auth: &AuthUser,
    session: UploadSession,
    range: Option<(Option<(i64, i64)>, i64)>,
    body: Body,
) -> ApiResult<Response> {
    let status_only = || {
        let mut res = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Some(r) = range_header(session.received) {
            res.headers_mut().insert(header::RANGE, r);
        }
        res
    };
    let (start, end) = match range {
        // No range, or `bytes */total`: the client asks where it stands.
        None | Some((None, _)) => return Ok(status_only()),
        Some((Some((s, e)), total)) => {
            if total != session.size || s > e || e >= total {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid Content-Range",
                ));
            }
            (s, e)
        }
    };
    if start != session.received {
        return Err(ApiError::conflict(format!(
            "Conflicting range: {} bytes received so far",
            session.received
        )));
    }
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&session.path)
        .await
        .map_err(|_| ApiError::not_found("Upload not found"))?;
    file.seek(std::io::SeekFrom::Start(start as u64))
        .await
        .map_err(internal)?;
    let expected = end - start + 1;
    let mut written: i64 = 0;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("Cannot read the chunk: {e}")))?;
        if written + chunk.len() as i64 > expected {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The chunk is longer than its Content-Range",
            ));
        }
        file.write_all(&chunk).await.map_err(internal)?;
        written += chunk.len() as i64;
    }
    // Flushed to the OS, not synced: a crashed process loses nothing (as uploadx, PeerTube's
    // library, which does not sync either).
    file.flush().await.map_err(internal)?;
    let received = start + written;
    let mut conn = state.conn().await?;
    UploadSession::set_received(&mut conn, &session.id, received).await?;
    if received < session.size {
        let mut res = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Some(r) = range_header(received) {
            res.headers_mut().insert(header::RANGE, r);
        }
        return Ok(res);
    }
    // Complete: the session ends whatever happens next; its file moves into the video or goes.
    UploadSession::delete(&mut conn, &session.id).await?;
    drop(conn);
    let upload = Upload::new(session.path.clone().into(), session.filename.clone());
    let map = match session.metadata {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let mut fields = crate::fields::Fields::from_json(map, "body").with_instance(PATH.into());
    let meta = read_meta(&mut fields, true);
    fields.finish()?;
    let video = create_local_video(state, &auth.user, meta, upload).await?;
    Ok(Json(video_created(&video)).into_response())
}

/// Cancels an upload.
pub async fn cancel(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<UploadId>,
) -> ApiResult<StatusCode> {
    let id = q.upload_id.unwrap_or_default();
    let mut conn = state.conn().await?;
    let session = UploadSession::find(&mut conn, &id, auth.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Upload not found"))?;
    UploadSession::delete(&mut conn, &session.id).await?;
    let _ = tokio::fs::remove_file(&session.path).await;
    Ok(StatusCode::NO_CONTENT)
}
