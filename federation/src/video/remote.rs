//! Remote videos: a received `Video` object checked as PeerTube checks it (facts c, "Received
//! videos"), then stored in the same tables as local ones (`is_local = false`) with files,
//! torrents and images pointing at the origin.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use crate::error::FederationError;
use crate::models::video::Video;
use crate::models::video_file::VideoFile;
use crate::schema::{video_files, videos};
use crate::video::{privacy, storage};

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
    pub privacy: i16,
    pub nsfw: bool,
    pub comments_policy: i16,
    pub download_enabled: bool,
    pub wait_transcoding: bool,
    pub state: i16,
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
    /// `attributedTo` of type Group (the channel) and Person (the account).
    pub channel_url: Option<String>,
    pub account_url: Option<String>,
}

fn invalid(why: &str) -> FederationError {
    FederationError::BadRequest(format!("invalid Video object: {why}"))
}

fn date(v: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(v.as_str()?)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `PT{n}S`: PeerTube strips only the first run of non-digits, so other forms are refused.
fn duration(v: &Value) -> Option<i32> {
    let s = v.as_str()?;
    let digits = s.strip_prefix("PT")?.strip_suffix('S')?;
    digits.parse().ok()
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

fn query_param(uri: &str, key: &str) -> Option<String> {
    let query = uri.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 3 <= bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks a Video object; invalid `url` entries are dropped silently, as PeerTube does.
pub fn parse(object: &Value) -> Result<RemoteVideo, FederationError> {
    if object["type"] != "Video" {
        return Err(invalid("type is not Video"));
    }
    let url = object["id"]
        .as_str()
        .filter(|s| s.starts_with("http"))
        .ok_or_else(|| invalid("id"))?;
    let name = object["name"]
        .as_str()
        .filter(|n| (3..=120).contains(&n.chars().count()))
        .ok_or_else(|| invalid("name"))?;
    let duration = duration(&object["duration"]).ok_or_else(|| invalid("duration"))?;
    let uuid = object["uuid"]
        .as_str()
        .and_then(|u| Uuid::parse_str(u).ok())
        .ok_or_else(|| invalid("uuid"))?;
    let views = int(&object["views"]).ok_or_else(|| invalid("views"))?;
    let published = date(&object["published"]).ok_or_else(|| invalid("published"))?;
    let updated = date(&object["updated"]).ok_or_else(|| invalid("updated"))?;
    let attributed = object["attributedTo"]
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| invalid("attributedTo"))?;
    let attributed_of = |kind: &str| {
        attributed
            .iter()
            .find(|a| a["type"] == kind)
            .and_then(|a| a["id"].as_str())
            .map(str::to_string)
    };
    let icons: Vec<&Value> = object["icon"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_else(|| object.get("icon").into_iter().collect());
    let jpegs: Vec<(i64, String)> = icons
        .iter()
        .filter(|i| i["mediaType"] == "image/jpeg")
        .filter_map(|i| {
            int(&i["height"])?;
            Some((int(&i["width"])?, i["url"].as_str()?.to_string()))
        })
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
        .map(|(_, u)| u.clone())
        .unwrap_or_default();
    let preview_url = jpegs
        .iter()
        .filter(|(w, _)| *w > 400)
        .max_by_key(|(w, _)| *w)
        .map(|(_, u)| u.clone());

    let links: Vec<&Value> = object["url"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut files = Vec::new();
    for l in &links {
        let media_type = l["mediaType"].as_str().unwrap_or("");
        let playable = media_type.starts_with("video/") || media_type == "audio/mp4";
        if !playable || l.get("rel").is_some() {
            continue;
        }
        let (Some(height), Some(size), Some(href)) =
            (int(&l["height"]), int(&l["size"]), l["href"].as_str())
        else {
            continue;
        };
        let codec_types: Vec<&str> = l["attachment"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|x| x["name"] == "ffprobe_codec_type")
                    .filter_map(|x| x["value"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        files.push(RemoteFile {
            url: href.to_string(),
            media_type: media_type.to_string(),
            height: height as i32,
            width: int(&l["width"]).map(|w| w as i32),
            size,
            fps: int(&l["fps"]).unwrap_or(-1) as i32,
            torrent_url: None,
            info_hash: None,
            has_audio: codec_types.is_empty() || codec_types.contains(&"audio"),
            has_video: if codec_types.is_empty() {
                media_type != "audio/mp4"
            } else {
                codec_types.contains(&"video")
            },
        });
    }
    // Infohash and torrent URL come from each file's magnet, matched by height.
    for l in &links {
        if l["mediaType"] != "application/x-bittorrent;x-scheme-handler/magnet" {
            continue;
        }
        let (Some(height), Some(magnet)) = (int(&l["height"]), l["href"].as_str()) else {
            continue;
        };
        let hash = query_param(magnet, "xt")
            .and_then(|xt| xt.strip_prefix("urn:btih:").map(str::to_ascii_lowercase))
            .filter(|h| h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if let Some(f) = files
            .iter_mut()
            .find(|f| i64::from(f.height) == height && f.info_hash.is_none())
        {
            f.info_hash = hash;
            f.torrent_url = query_param(magnet, "xs");
        }
    }
    let identifier = |v: &Value| v["identifier"].as_str().map(str::to_string);
    let comments_policy = int(&object["commentsPolicy"])
        .filter(|p| (1..=3).contains(p))
        .map(|p| p as i16)
        .unwrap_or_else(|| {
            if object["commentsEnabled"] == false {
                2
            } else {
                1
            }
        });
    Ok(RemoteVideo {
        url: url.to_string(),
        uuid,
        name: name.to_string(),
        description: object["content"].as_str().map(str::to_string),
        support: object["support"].as_str().map(str::to_string),
        category: identifier(&object["category"]).and_then(|c| c.parse().ok()),
        licence: identifier(&object["licence"]).and_then(|c| c.parse().ok()),
        language: identifier(&object["language"]),
        // PeerTube: any non-empty `to` makes it public; an empty one, unlisted.
        privacy: if object["to"].as_array().is_some_and(|t| !t.is_empty()) {
            privacy::PUBLIC
        } else {
            privacy::UNLISTED
        },
        nsfw: object["sensitive"].as_bool().unwrap_or(false),
        comments_policy,
        download_enabled: object["downloadEnabled"].as_bool().unwrap_or(true),
        wait_transcoding: object["waitTranscoding"].as_bool().unwrap_or(false),
        state: int(&object["state"]).map(|s| s as i16).unwrap_or(1),
        duration,
        aspect_ratio: object["aspectRatio"].as_f64().map(|r| r as f32),
        views,
        published,
        updated,
        originally_published_at: date(&object["originallyPublishedAt"]),
        tags: object["tag"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter(|x| x["type"] == "Hashtag")
                    .filter_map(|x| x["name"].as_str())
                    .map(|n| n.trim_start_matches('#').to_string())
                    .take(5)
                    .collect()
            })
            .unwrap_or_default(),
        thumbnail_url,
        preview_url,
        files,
        channel_url: attributed_of("Group"),
        account_url: attributed_of("Person"),
    })
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = videos)]
struct RemoteRow<'a> {
    uuid: Uuid,
    url: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    support: Option<&'a str>,
    category: Option<i32>,
    licence: Option<i32>,
    language: Option<&'a str>,
    privacy: i16,
    nsfw: bool,
    comments_policy: i16,
    download_enabled: bool,
    wait_transcoding: bool,
    state: i16,
    duration: i32,
    aspect_ratio: Option<f32>,
    views: i64,
    channel_id: i64,
    is_local: bool,
    thumbnail_url: Option<&'a str>,
    preview_url: Option<&'a str>,
    published_at: DateTime<Utc>,
    originally_published_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    last_fetched_at: DateTime<Utc>,
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
        let row = RemoteRow {
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
        let existing: Option<Video> = videos::table
            .filter(videos::url.eq(&remote.url))
            .select(Video::as_select())
            .first(conn)
            .await
            .optional()?;
        let video = match existing {
            Some(v) if !v.is_local => {
                diesel::update(videos::table.find(v.id))
                    .set(&row)
                    .returning(Video::as_returning())
                    .get_result(conn)
                    .await?
            }
            Some(_) => {
                return Err(FederationError::Forbidden(
                    "cannot overwrite a local video".into(),
                ));
            }
            None => {
                let video: Video = diesel::insert_into(videos::table)
                    .values(&row)
                    .returning(Video::as_returning())
                    .get_result(conn)
                    .await?;
                // Image names are ours; the files are fetched from the origin on first request.
                diesel::update(videos::table.find(video.id))
                    .set((
                        videos::thumbnail_filename.eq(storage::new_image_filename()),
                        videos::preview_filename.eq(remote
                            .preview_url
                            .as_ref()
                            .map(|_| storage::new_image_filename())),
                    ))
                    .returning(Video::as_returning())
                    .get_result(conn)
                    .await?
            }
        };
        Video::set_tags(conn, video.id, &remote.tags).await?;
        let old: Vec<VideoFile> = VideoFile::for_video(conn, video.id).await?;
        diesel::delete(video_files::table.filter(video_files::video_id.eq(video.id)))
            .execute(conn)
            .await?;
        let mut added = Vec::new();
        for f in &remote.files {
            diesel::insert_into(video_files::table)
                .values((
                    video_files::video_id.eq(video.id),
                    video_files::resolution.eq(f.height),
                    video_files::size.eq(f.size),
                    video_files::extension.eq(if f.media_type == "video/webm" {
                        ".webm"
                    } else {
                        ".mp4"
                    }),
                    video_files::fps.eq(f.fps),
                    video_files::width.eq(f.width),
                    video_files::height.eq(Some(f.height)),
                    video_files::file_url.eq(&f.url),
                    video_files::torrent_url.eq(&f.torrent_url),
                    video_files::info_hash.eq(&f.info_hash),
                    video_files::has_audio.eq(f.has_audio),
                    video_files::has_video.eq(f.has_video),
                ))
                .execute(conn)
                .await?;
            if let Some(h) = &f.info_hash {
                added.push(h.clone());
            }
        }
        let removed = old
            .iter()
            .filter_map(|f| f.info_hash.clone())
            .filter(|h| !added.contains(h))
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
        assert_eq!(query_param(m, "xs").as_deref(), Some("http://a/b.torrent"));
        assert_eq!(query_param(m, "dn").as_deref(), Some("A b"));
        assert_eq!(duration(&Value::String("PT10S".into())), Some(10));
        assert_eq!(duration(&Value::String("PT1M".into())), None);
    }
}
