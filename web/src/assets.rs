//! The built player (`player/dist/`): read once at start, then served from memory under
//! [`ASSETS_PREFIX`] with immutable cache headers (the names carry a content hash).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Extension;
use axum::extract::Path as UrlPath;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;

use crate::site::Site;

/// Where the player's files are served.
pub const ASSETS_PREFIX: &str = "/client/player";

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// `manifest.json`, written by `player/build.mjs`.
#[derive(Debug, Deserialize)]
struct Manifest {
    #[serde(rename = "player.js")]
    script: String,
    #[serde(rename = "player.css")]
    stylesheet: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AssetsError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Manifest {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("the manifest names {0}, which is not in the bundle")]
    Missing(String),
}

struct Asset {
    body: Bytes,
    content_type: HeaderValue,
}

/// The player bundle: the URLs pages link to, and the files themselves.
pub struct PlayerAssets {
    /// `/client/player/player-<hash>.js`
    pub script_url: String,
    /// `/client/player/player-<hash>.css`
    pub stylesheet_url: String,
    files: HashMap<String, Asset>,
}

fn content_type(name: &str) -> HeaderValue {
    let ext = name.rsplit('.').next().unwrap_or("");
    HeaderValue::from_static(match ext {
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "map" | "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    })
}

impl PlayerAssets {
    /// Reads the manifest and every file of the bundle (all hash-named but the manifest).
    pub fn load(dir: &Path) -> Result<Self, AssetsError> {
        let read = |path: PathBuf| {
            std::fs::read(&path).map_err(|source| AssetsError::Read { path, source })
        };
        let manifest_path = dir.join("manifest.json");
        let manifest: Manifest =
            serde_json::from_slice(&read(manifest_path.clone())?).map_err(|source| {
                AssetsError::Manifest {
                    path: manifest_path,
                    source,
                }
            })?;
        let entries = std::fs::read_dir(dir).map_err(|source| AssetsError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files = HashMap::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "manifest.json" || !entry.path().is_file() {
                continue;
            }
            let body = Bytes::from(read(entry.path())?);
            let content_type = content_type(&name);
            files.insert(name, Asset { body, content_type });
        }
        for name in [&manifest.script, &manifest.stylesheet] {
            if !files.contains_key(name.as_str()) {
                return Err(AssetsError::Missing(name.clone()));
            }
        }
        Ok(Self {
            script_url: format!("{ASSETS_PREFIX}/{}", manifest.script),
            stylesheet_url: format!("{ASSETS_PREFIX}/{}", manifest.stylesheet),
            files,
        })
    }

    /// The bundle, or `None` with a warning: pages then play with the browser's own `<video>`.
    pub fn load_or_warn(dir: &Path) -> Option<Self> {
        match Self::load(dir) {
            Ok(assets) => {
                tracing::info!(dir = %dir.display(), script = %assets.script_url, "player bundle loaded");
                Some(assets)
            }
            Err(error) => {
                tracing::warn!(
                    dir = %dir.display(),
                    %error,
                    "no player bundle (run scripts/build-player, or set client.player_dist): \
                     pages play with the browser's own <video>, without peer-to-peer"
                );
                None
            }
        }
    }
}

/// `GET /client/player/{file}`
pub async fn serve(
    Extension(site): Extension<Arc<Site>>,
    UrlPath(file): UrlPath<String>,
) -> Response {
    let Some(asset) = site.assets.as_ref().and_then(|a| a.files.get(&file)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type.clone()),
            (header::CACHE_CONTROL, IMMUTABLE),
        ],
        asset.body.clone(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_a_bundle_and_refuses_a_broken_one() {
        let dir = std::env::temp_dir().join(format!("ferrotube-assets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok();
        assert!(PlayerAssets::load(&dir).is_err());
        std::fs::write(
            dir.join("manifest.json"),
            r#"{"player.js": "player-AB.js", "player.css": "player-CD.css"}"#,
        )
        .ok();
        std::fs::write(dir.join("player-AB.js"), "console.log(1)").ok();
        assert!(matches!(
            PlayerAssets::load(&dir),
            Err(AssetsError::Missing(name)) if name == "player-CD.css"
        ));
        std::fs::write(dir.join("player-CD.css"), "body{}").ok();
        let assets = PlayerAssets::load(&dir);
        assert!(assets.is_ok());
        if let Ok(a) = assets {
            assert_eq!(a.script_url, "/client/player/player-AB.js");
            assert_eq!(a.files.len(), 2);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
