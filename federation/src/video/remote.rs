//! Remote videos: a received `Video` object checked as PeerTube checks it (facts c, "Received
//! videos"), then stored in the same tables as local ones (`is_local = false`) with files,
//! HLS playlists (`remote_playlist`), torrents and images pointing at the origin.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::error::FederationError;
use crate::models::actor::ActorType;
use crate::models::enums::{CommentsPolicy, VideoPrivacy, VideoState};
use crate::models::video::{RemoteVideoRow, Video};
use crate::models::video_file::{RemoteVideoFileRow, VideoFile};
use crate::models::video_tag::VideoTag;
use crate::protocol::link::Link;
use crate::protocol::video::VideoObject;
use crate::video::storage;

/// One playable file of a remote video.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteFile {
    pub url: String,
    pub media_type: String,
    pub height: i32,
    pub width: Option<i32>,
    pub size: i64,
    pub fps: i32,
    pub torrent_url: Option<String>,
    pub info_hash: Option<String>,
    pub has_audio: bool,
    pub has_video: bool,
}

/// A remote Video object, checked.
#[derive(Debug, Clone)]
pub struct RemoteVideo {
    pub url: String,
    pub uuid: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub support: Option<String>,
    pub category: Option<i32>,
    pub licence: Option<i32>,
    pub language: Option<String>,
    pub privacy: VideoPrivacy,
    pub nsfw: bool,
    pub comments_policy: CommentsPolicy,
    pub download_enabled: bool,
    pub wait_transcoding: bool,
    pub state: VideoState,
    pub duration: i32,
    pub aspect_ratio: Option<f32>,
    pub views: i64,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub originally_published_at: Option<DateTime<Utc>>,
    pub tags: Vec<String>,
    pub thumbnail_url: String,
    pub preview_url: Option<String>,
    pub files: Vec<RemoteFile>,
    pub streaming_playlists: Vec<super::remote_playlist::RemotePlaylist>,
    /// `attributedTo` of type Group (the channel) and Person (the account).
    pub channel_url: Option<String>,
    pub account_url: Option<String>,
}

fn invalid(why: &str) -> FederationError {
    FederationError::BadRequest(format!("invalid Video object: {why}"))
}

/// `PT{n}S`: PeerTube strips only the first run of non-digits, so other forms are refused.
fn duration(s: &str) -> Option<i32> {
    s.strip_prefix("PT")?.strip_suffix('S')?.parse().ok()
}

/// A magnet's query parameter (`xt`, `xs`, …), decoded.
fn magnet_param(magnet: &str, key: &str) -> Option<String> {
    url::Url::parse(magnet)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// A playable file of the `url` list (PeerTube drops links without an integer height and size).
pub(super) fn file_of(link: &Link) -> Option<RemoteFile> {
    let media_type = link.media_type.as_deref()?;
    let playable = media_type.starts_with("video/") || media_type == "audio/mp4";
    if !playable || !link.rel.is_empty() {
        return None;
    }
    let (height, size) = (link.height?, link.size?);
    let codec_types: Vec<&str> = link.attachment_values("ffprobe_codec_type").collect();
    Some(RemoteFile {
        url: link.href.clone(),
        media_type: media_type.to_string(),
        height,
        width: link.width,
        size,
        fps: link.fps.unwrap_or(-1),
        torrent_url: None,
        info_hash: None,
        has_audio: codec_types.is_empty() || codec_types.contains(&"audio"),
        has_video: if codec_types.is_empty() {
            media_type != "audio/mp4"
        } else {
            codec_types.contains(&"video")
        },
    })
}

/// Infohash and torrent URL come from each file's magnet, matched by height.
pub(super) fn attach_magnets(files: &mut [RemoteFile], links: &[Link]) {
    for link in links {
        if link.media_type.as_deref() != Some("application/x-bittorrent;x-scheme-handler/magnet") {
            continue;
        }
        let Some(height) = link.height else {
            continue;
        };
        let hash = magnet_param(&link.href, "xt")
            .and_then(|xt| xt.strip_prefix("urn:btih:").map(str::to_ascii_lowercase))
            .filter(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if let Some(f) = files
            .iter_mut()
            .find(|f| f.height == height && f.info_hash.is_none())
        {
            f.info_hash = hash;
            f.torrent_url = magnet_param(&link.href, "xs");
        }
    }
}

impl TryFrom<VideoObject> for RemoteVideo {
    type Error = FederationError;

    /// Checks a Video object as PeerTube does; invalid `url` entries are dropped silently.
    fn try_from(object: VideoObject) -> Result<Self, FederationError> {
        if !(3..=120).contains(&object.name.chars().count()) {
            return Err(invalid("name"));
        }
        let duration = duration(&object.duration).ok_or_else(|| invalid("duration"))?;
        let uuid = Uuid::parse_str(&object.uuid).map_err(|_| invalid("uuid"))?;
        if object.attributed_to.is_empty() {
            return Err(invalid("attributedTo"));
        }
        let jpegs: Vec<(i32, &str)> = object
            .icon
            .iter()
            .filter(|i| i.media_type.as_deref() == Some("image/jpeg"))
            .filter_map(|i| Some((i.width?, i.height.map(|_| i.url.as_str())?)))
            .collect();
        if jpegs.is_empty() {
            return Err(invalid("no image/jpeg icon"));
        }
        // Thumbnail: the smallest icon wider than 150 px; preview: the largest wider than 400.
        let thumbnail_url = jpegs
            .iter()
            .filter(|(w, _)| *w > 150)
            .min_by_key(|(w, _)| *w)
            .or_else(|| jpegs.iter().max_by_key(|(w, _)| *w))
            .map(|(_, u)| u.to_string())
            .unwrap_or_default();
        let preview_url = jpegs
            .iter()
            .filter(|(w, _)| *w > 400)
            .max_by_key(|(w, _)| *w)
            .map(|(_, u)| u.to_string());
        let mut files: Vec<RemoteFile> = object.url.iter().filter_map(file_of).collect();
        attach_magnets(&mut files, &object.url);
        let streaming_playlists = super::remote_playlist::playlists_of(&object.url);
        let comments_policy = object
            .comments_policy
            .and_then(CommentsPolicy::from_id)
            .unwrap_or(if object.comments_enabled == Some(false) {
                CommentsPolicy::Disabled
            } else {
                CommentsPolicy::Enabled
            });
        let channel_url = object.attributed(ActorType::Group).map(ToString::to_string);
        let account_url = object
            .attributed(ActorType::Person)
            .map(ToString::to_string);
        Ok(RemoteVideo {
            url: object.id.to_string(),
            uuid,
            name: object.name,
            description: object.content,
            support: object.support,
            category: object.category.and_then(|c| c.identifier.parse().ok()),
            licence: object.licence.and_then(|c| c.identifier.parse().ok()),
            language: object.language.map(|l| l.identifier),
            // PeerTube: any non-empty `to` makes it public; an empty one, unlisted.
            privacy: if object.to.is_empty() {
                VideoPrivacy::Unlisted
            } else {
                VideoPrivacy::Public
            },
            nsfw: object.sensitive,
            comments_policy,
            download_enabled: object.download_enabled.unwrap_or(true),
            wait_transcoding: object.wait_transcoding,
            // PeerTube: a state it does not know is published.
            state: object
                .state
                .and_then(VideoState::from_id)
                .unwrap_or(VideoState::Published),
            duration,
            aspect_ratio: object.aspect_ratio.map(|r| r as f32),
            views: object.views,
            published: object.published,
            updated: object.updated,
            originally_published_at: object.originally_published_at,
            tags: object
                .tag
                .into_iter()
                .map(|t| t.name.trim_start_matches('#').to_string())
                .take(5)
                .collect(),
            thumbnail_url,
            preview_url,
            files,
            streaming_playlists,
            channel_url,
            account_url,
        })
    }
}

/// What changed in the files' infohashes, for the tracker.
pub struct Stored {
    pub video: Video,
    pub added_hashes: Vec<String>,
    pub removed_hashes: Vec<String>,
}

/// Creates or updates the remote video by its URL, replacing its tags and files.
pub async fn store(
    conn: &mut AsyncPgConnection,
    remote: &RemoteVideo,
    channel_id: i64,
) -> Result<Stored, FederationError> {
    let remote = remote.clone();
    conn.transaction::<_, FederationError, _>(async move |conn| {
        let row = RemoteVideoRow {
            uuid: remote.uuid,
            url: &remote.url,
            name: &remote.name,
            description: remote.description.as_deref(),
            support: remote.support.as_deref(),
            category: remote.category,
            licence: remote.licence,
            language: remote.language.as_deref(),
            privacy: remote.privacy,
            nsfw: remote.nsfw,
            comments_policy: remote.comments_policy,
            download_enabled: remote.download_enabled,
            wait_transcoding: remote.wait_transcoding,
            state: remote.state,
            duration: remote.duration,
            aspect_ratio: remote.aspect_ratio,
            views: remote.views,
            channel_id,
            is_local: false,
            thumbnail_url: Some(&remote.thumbnail_url),
            preview_url: remote.preview_url.as_deref(),
            published_at: remote.published,
            originally_published_at: remote.originally_published_at,
            updated_at: remote.updated,
            last_fetched_at: Utc::now(),
        };
        let existing = Video::find_by_url(conn, &remote.url).await?;
        let video = match existing {
            Some(v) if !v.is_local => Video::update_remote(conn, v.id, &row).await?,
            Some(_) => {
                return Err(FederationError::Forbidden(
                    "cannot overwrite a local video".into(),
                ));
            }
            None => {
                let video = Video::insert_remote(conn, &row).await?;
                // Image names are ours; the files are fetched from the origin on first request.
                let thumbnail = storage::new_image_filename();
                let preview = remote
                    .preview_url
                    .as_ref()
                    .map(|_| storage::new_image_filename());
                Video::set_image_filenames(conn, video.id, thumbnail, preview).await?
            }
        };
        VideoTag::set(conn, video.id, &remote.tags).await?;
        let old: Vec<VideoFile> = VideoFile::for_video(conn, video.id).await?;
        VideoFile::delete_for_video(conn, video.id).await?;
        let mut added = Vec::new();
        for f in &remote.files {
            let file = RemoteVideoFileRow {
                video_id: video.id,
                resolution: f.height,
                size: f.size,
                extension: if f.media_type == "video/webm" {
                    ".webm"
                } else {
                    ".mp4"
                },
                fps: f.fps,
                width: f.width,
                height: Some(f.height),
                file_url: &f.url,
                torrent_url: f.torrent_url.as_deref(),
                info_hash: f.info_hash.as_deref(),
                has_audio: f.has_audio,
                has_video: f.has_video,
            };
            VideoFile::insert_remote(conn, &file).await?;
            if let Some(h) = &f.info_hash {
                added.push(h.clone());
            }
        }
        let hls =
            super::remote_playlist::store(conn, video.id, &remote.streaming_playlists).await?;
        added.extend(hls.added);
        let removed = old
            .iter()
            .filter_map(|f| f.info_hash.clone())
            .filter(|h| !added.contains(h))
            .chain(hls.removed)
            .collect();
        Ok(Stored {
            video,
            added_hashes: added,
            removed_hashes: removed,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magnet_params_decode() {
        let m = "magnet:?xs=http%3A%2F%2Fa%2Fb.torrent&xt=urn:btih:ABCDEF&dn=A+b";
        assert_eq!(magnet_param(m, "xs").as_deref(), Some("http://a/b.torrent"));
        assert_eq!(magnet_param(m, "dn").as_deref(), Some("A b"));
        assert_eq!(duration("PT10S"), Some(10));
        assert_eq!(duration("PT1M"), None);
    }
}
