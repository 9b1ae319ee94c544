//! `POST /api/v1/videos/upload`: the legacy multipart upload PeerTube's CLI uses. The file
//! streams to the tmp folder; nothing is held whole in memory.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use ferrotube_federation::limits::IMAGE_MAX_SIZE;
use ferrotube_federation::video::lifecycle::create::{Upload, create_local_video, extension_of};
use ferrotube_federation::video::lifecycle::quota;
use ferrotube_federation::video::storage;
use ferrotube_federation::{AppState, FederationError};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::fields::Fields;
use crate::videos::meta::read_meta;

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Federation(ferrotube_federation::FederationError::Internal(
        e.to_string(),
    ))
}

fn bad_multipart(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Malformed multipart body: {e}"))
}

pub fn video_created(video: &ferrotube_federation::models::video::Video) -> Value {
    json!({
        "video": {
            "id": video.id,
            "shortUUID": ferrotube_federation::video::short_uuid::encode(&video.uuid),
            "uuid": video.uuid,
        }
    })
}

pub async fn handler(
    State(state): State<AppState>,
    auth: AuthUser,
    mut multipart: Multipart,
) -> ApiResult<Json<Value>> {
    let user = &auth.user;
    // Bytes the uploader may still store, to stop a too-large upload while it streams.
    let room = {
        let mut conn = state.conn().await?;
        quota::room(&mut conn, user).await?
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut upload: Option<Upload> = None;
    let mut images: Vec<(String, std::path::PathBuf)> = Vec::new();
    // Whatever is written lands under a random name; the Upload guard removes it on failure.
    let mut stray: Vec<std::path::PathBuf> = Vec::new();
    let result: ApiResult<()> = async {
        while let Some(mut field) = multipart.next_field().await.map_err(bad_multipart)? {
            let name = field.name().unwrap_or_default().to_string();
            match name.as_str() {
                "videofile" | "thumbnailfile" | "previewfile" => {
                    let original = field.file_name().unwrap_or("upload").to_string();
                    if name == "videofile" && extension_of(&original).is_none() {
                        return Err(FederationError::UnsupportedVideoType.into());
                    }
                    let path = storage::tmp_path(
                        &state.config.storage,
                        &format!("{}-{name}", uuid::Uuid::new_v4()),
                    );
                    stray.push(path.clone());
                    let mut file = tokio::fs::File::create(&path).await.map_err(internal)?;
                    let mut written: i64 = 0;
                    while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
                        written += chunk.len() as i64;
                        if name == "videofile" && room.is_some_and(|r| written > r) {
                            return Err(FederationError::QuotaReached.into());
                        }
                        if name != "videofile" && written as u64 > IMAGE_MAX_SIZE {
                            return Err(ApiError::new(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                "The image is too large (4 MB at most).",
                            ));
                        }
                        file.write_all(&chunk).await.map_err(internal)?;
                    }
                    file.flush().await.map_err(internal)?;
                    if name == "videofile" {
                        upload = Some(Upload::new(path, original));
                    } else {
                        images.push((name, path));
                    }
                }
                _ => {
                    let text = field.text().await.map_err(bad_multipart)?;
                    pairs.push((name, text));
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        for p in &stray {
            let _ = tokio::fs::remove_file(p).await;
        }
        return Err(e);
    }
    let Some(mut upload) = upload else {
        for p in &stray {
            let _ = tokio::fs::remove_file(p).await;
        }
        return Err(ApiError::invalid_params(
            Some("/api/v1/videos/upload".into()),
            vec![ferrotube_federation::problem::InvalidParam::new(
                "body",
                "videofile",
                None,
                "Invalid value",
            )],
        ));
    };
    for (name, path) in images {
        match name.as_str() {
            "thumbnailfile" => upload.thumbnail = Some(path),
            _ => upload.preview = Some(path),
        }
    }
    let mut fields =
        Fields::from_pairs(pairs, "body").with_instance("/api/v1/videos/upload".into());
    let meta = read_meta(&mut fields, true);
    fields.finish()?;
    let video = create_local_video(&state, user, meta, upload).await?;
    Ok(Json(video_created(&video)))
}
