//! `segments-sha256.json`: for each fragmented MP4, the SHA-256 of every segment's byte range
//! as its variant playlist gives them (`{file: {"start-end": hash}}`, inclusive ends), so a
//! P2P player can check a segment it got from a peer.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::ser::{Serialize, SerializeMap, Serializer};
use sha2::{Digest, Sha256};

use crate::MediaError;

/// A segment: `length` bytes from `offset` of the rendition's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub offset: u64,
    pub length: u64,
}

impl ByteRange {
    /// The JSON key: first and last byte, both included.
    pub fn key(&self) -> String {
        format!(
            "{}-{}",
            self.offset,
            (self.offset + self.length).saturating_sub(1)
        )
    }
}

/// The segments of a variant playlist: its `#EXT-X-BYTERANGE:<length>@<offset>` lines (the
/// initialisation section of `#EXT-X-MAP` is not a segment).
pub fn byte_ranges(variant_playlist: &str) -> Vec<ByteRange> {
    variant_playlist
        .lines()
        .filter_map(|line| {
            let (length, offset) = line
                .trim_end()
                .strip_prefix("#EXT-X-BYTERANGE:")?
                .split_once('@')?;
            Some(ByteRange {
                offset: offset.parse().ok()?,
                length: length.parse().ok()?,
            })
        })
        .collect()
}

/// The hashes of one rendition's segments, in playlist order.
#[derive(Debug, Clone, PartialEq)]
pub struct FileHashes {
    /// The fragmented MP4's name, the JSON key.
    pub filename: String,
    /// `("start-end", hex sha256)` per segment.
    pub ranges: Vec<(String, String)>,
}

/// Hashes every range of `file` (reading one segment at a time, off the async runtime).
pub async fn hash_ranges(
    file: &Path,
    ranges: &[ByteRange],
) -> Result<Vec<(String, String)>, MediaError> {
    let path: PathBuf = file.to_path_buf();
    let ranges = ranges.to_vec();
    tokio::task::spawn_blocking(move || {
        let f = File::open(&path).map_err(MediaError::io("opening a rendition"))?;
        let mut buf = Vec::new();
        ranges
            .iter()
            .map(|r| {
                let len = usize::try_from(r.length).map_err(|_| {
                    MediaError::Unreadable(format!("segment of {} bytes", r.length))
                })?;
                buf.resize(len, 0);
                f.read_exact_at(&mut buf, r.offset)
                    .map_err(MediaError::io("reading a segment"))?;
                Ok((r.key(), format!("{:x}", Sha256::digest(&buf))))
            })
            .collect()
    })
    .await
    .map_err(|e| MediaError::Io("hashing segments", std::io::Error::other(e)))?
}

/// The whole `segments-sha256.json` document, files and ranges in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentsSha256(pub Vec<FileHashes>);

impl Serialize for SegmentsSha256 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in &self.0 {
            map.serialize_entry(&f.filename, &Ranges(&f.ranges))?;
        }
        map.end()
    }
}

struct Ranges<'a>(&'a [(String, String)]);

impl Serialize for Ranges<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (range, hash) in self.0 {
            map.serialize_entry(range, hash)?;
        }
        map.end()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const VARIANT: &str = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n\
        #EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n\
        #EXT-X-MAP:URI=\"a-360-fragmented.mp4\",BYTERANGE=\"1353@0\"\n\
        #EXTINF:4.000000,\n#EXT-X-BYTERANGE:94876@1353\na-360-fragmented.mp4\n\
        #EXTINF:4.000000,\n#EXT-X-BYTERANGE:96613@96229\na-360-fragmented.mp4\n\
        #EXTINF:2.000000,\n#EXT-X-BYTERANGE:49763@192842\na-360-fragmented.mp4\n#EXT-X-ENDLIST\n";

    #[test]
    fn ranges_are_the_segments_with_inclusive_ends() {
        let keys: Vec<String> = byte_ranges(VARIANT).iter().map(ByteRange::key).collect();
        // PeerTube's capture of the same playlist.
        assert_eq!(keys, ["1353-96228", "96229-192841", "192842-242604"]);
    }

    #[tokio::test]
    async fn hashes_each_range_and_keeps_the_order() {
        let path = std::env::temp_dir().join(format!("ft-seg-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        let ranges = [
            ByteRange {
                offset: 5,
                length: 5,
            },
            ByteRange {
                offset: 0,
                length: 5,
            },
        ];
        let hashes = hash_ranges(&path, &ranges).await.unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(hashes[0].0, "5-9");
        assert_eq!(hashes[0].1, format!("{:x}", Sha256::digest(b"56789")));
        let doc = SegmentsSha256(vec![FileHashes {
            filename: "f.mp4".into(),
            ranges: hashes,
        }]);
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.starts_with("{\"f.mp4\":{\"5-9\":"), "{json}");
        assert!(hash_ranges(&path, &ranges).await.is_err());
    }
}
