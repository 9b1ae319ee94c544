//! A remote video's HLS playlists, read from its Video object as PeerTube reads them: the
//! `application/x-mpegURL` link, its `sha256` segment hashes and its renditions' file,
//! metadata, torrent and magnet links; the swarm ids are computed here from the playlist's
//! URL rather than trusted from the object. Stored with the video (`remote::store`).

use diesel_async::AsyncPgConnection;

use super::infohashes;
use super::remote::{RemoteFile, attach_magnets, file_of};
use crate::error::FederationError;
use crate::models::video_file::{NewRemoteHlsFile, VideoFile};
use crate::models::video_streaming_playlist::{
    NewStreamingPlaylist, StreamingPlaylist, StreamingPlaylistFull,
};
use crate::protocol::link::{Link, LinkTag};

/// One rendition of a remote playlist.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteRendition {
    pub file: RemoteFile,
    /// The origin's ffprobe metadata of it.
    pub metadata_url: Option<String>,
}

/// A remote HLS playlist, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RemotePlaylist {
    pub playlist_url: String,
    pub segments_sha256_url: Option<String>,
    pub renditions: Vec<RemoteRendition>,
    pub swarm_ids: Vec<String>,
}

fn is_http(href: &str) -> bool {
    url::Url::parse(href).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// The HLS playlists of a Video object's `url` list.
pub fn playlists_of(links: &[Link]) -> Vec<RemotePlaylist> {
    links
        .iter()
        .filter(|l| l.media_type.as_deref() == Some("application/x-mpegURL") && is_http(&l.href))
        .map(|l| {
            let tags: Vec<Link> = l
                .tag
                .iter()
                .filter_map(|t| match t {
                    LinkTag::Link(link) => Some(link.clone()),
                    LinkTag::Infohash(_) => None,
                })
                .collect();
            let segments_sha256_url = tags
                .iter()
                .find(|t| {
                    t.name.as_deref() == Some("sha256")
                        && t.media_type.as_deref() == Some("application/json")
                })
                .map(|t| t.href.clone());
            // PeerTube counts the video links of the tag for the swarm ids, valid or not.
            let video_links = tags
                .iter()
                .filter(|t| {
                    t.media_type
                        .as_deref()
                        .is_some_and(|m| m.starts_with("video/") || m == "audio/mp4")
                        && t.rel.is_empty()
                })
                .count();
            let mut files: Vec<RemoteFile> = tags.iter().filter_map(file_of).collect();
            attach_magnets(&mut files, &tags);
            let renditions = files
                .into_iter()
                .map(|file| {
                    let metadata_url = tags
                        .iter()
                        .find(|t| {
                            t.media_type.as_deref() == Some("application/json")
                                && t.has_rel("metadata")
                                && t.has_rel(&file.media_type)
                                && t.height == Some(file.height)
                                && t.fps.unwrap_or(-1) == file.fps
                        })
                        .map(|t| t.href.clone());
                    RemoteRendition { file, metadata_url }
                })
                .collect();
            RemotePlaylist {
                swarm_ids: infohashes::hls_swarm_ids(&l.href, video_links),
                playlist_url: l.href.clone(),
                segments_sha256_url,
                renditions,
            }
        })
        .collect()
}

/// The infohashes a store added and removed (renditions' torrents and swarm ids).
#[derive(Debug, Default)]
pub struct Changed {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

fn hashes_of(p: &StreamingPlaylistFull) -> impl Iterator<Item = String> + '_ {
    p.files
        .iter()
        .filter_map(|f| f.info_hash.clone())
        .chain(p.playlist.p2p_media_loader_infohashes.iter().cloned())
}

/// Replaces the video's playlists and their renditions, inside the caller's transaction.
pub async fn store(
    conn: &mut AsyncPgConnection,
    video_id: i64,
    playlists: &[RemotePlaylist],
) -> Result<Changed, FederationError> {
    let old = StreamingPlaylistFull::for_video(conn, video_id).await?;
    StreamingPlaylist::delete_for_video(conn, video_id).await?;
    let mut changed = Changed::default();
    for p in playlists {
        // The master playlist's name stands for the file ours would have.
        let name = p.playlist_url.rsplit('/').next().unwrap_or_default();
        let row = StreamingPlaylist::insert(
            conn,
            &NewStreamingPlaylist {
                video_id,
                playlist_filename: name,
                segments_sha256_filename: p
                    .segments_sha256_url
                    .as_deref()
                    .and_then(|u| u.rsplit('/').next()),
                playlist_url: Some(&p.playlist_url),
                segments_sha256_url: p.segments_sha256_url.as_deref(),
                p2p_media_loader_infohashes: &p.swarm_ids,
            },
        )
        .await?;
        changed.added.extend(p.swarm_ids.iter().cloned());
        for r in &p.renditions {
            let f = &r.file;
            VideoFile::insert_remote_hls(
                conn,
                &NewRemoteHlsFile {
                    streaming_playlist_id: row.id,
                    resolution: f.height,
                    size: f.size,
                    extension: ".mp4",
                    fps: f.fps,
                    width: f.width,
                    height: Some(f.height),
                    file_url: &f.url,
                    torrent_url: f.torrent_url.as_deref(),
                    info_hash: f.info_hash.as_deref(),
                    metadata_url: r.metadata_url.as_deref(),
                    has_audio: f.has_audio,
                    has_video: f.has_video,
                },
            )
            .await?;
            changed.added.extend(f.info_hash.iter().cloned());
        }
    }
    changed.removed = old
        .iter()
        .flat_map(hashes_of)
        .filter(|h| !changed.added.contains(h))
        .collect();
    Ok(changed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::protocol::video::VideoObject;

    /// PeerTube's captured Video object: its HLS link, with what PeerTube itself would read.
    #[test]
    fn peertubes_hls_link_is_read_whole() {
        let captured =
            ferrotube_test_support::reference::load("live-captures/ap-video-object.json");
        let object: VideoObject = serde_json::from_value(captured).unwrap();
        let playlists = playlists_of(&object.url);
        assert_eq!(playlists.len(), 1);
        let p = &playlists[0];
        assert!(p.playlist_url.ends_with("-master.m3u8"));
        assert!(
            p.segments_sha256_url
                .as_deref()
                .unwrap()
                .ends_with("-segments-sha256.json")
        );
        // Recomputed from the URL, equal to what PeerTube tagged.
        assert_eq!(p.swarm_ids, ["5e87a6b1b1bbe0479ab4690c16010763fe92214b"]);
        let r = &p.renditions[0];
        assert_eq!(
            (r.file.height, r.file.width, r.file.fps),
            (360, Some(640), 25)
        );
        assert_eq!(r.file.size, 242_605);
        assert!(r.file.url.ends_with("-360-fragmented.mp4"));
        assert_eq!(
            r.file.info_hash.as_deref(),
            Some("5a019d07cb32ac2b9284ac091970fe67e31cf946")
        );
        assert!(
            r.file
                .torrent_url
                .as_deref()
                .unwrap()
                .ends_with("-360-hls.torrent")
        );
        assert!(r.metadata_url.as_deref().unwrap().ends_with("/metadata/9"));
        assert!(r.file.has_audio && r.file.has_video);
    }
}
