//! Builds the single-file v1 `.torrent` PeerTube makes for every video file (web video or HLS
//! fMP4), byte-compatible with its `create-torrent` output apart from the creation date.
//!
//! Pieces are hashed on every core with positioned reads, so a 1 GB file costs about one
//! `sha1sum` divided by the number of cores.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use lava_torrent::bencode::BencodeElem;
use lava_torrent::torrent::v1::Torrent;
use sha1::{Digest, Sha1};

use crate::error::TrackerError;

/// What PeerTube puts in a video file's torrent.
#[derive(Debug, Clone)]
pub struct TorrentSpec {
    /// The video's name (the torrent name is derived from it).
    pub name: String,
    /// Height in pixels (`0` for audio-only files), written as `{res}p`.
    pub resolution: u32,
    /// The file's extension with its dot, e.g. `.mp4`.
    pub extension: String,
    /// The file to hash.
    pub file_path: PathBuf,
    /// The WebSeed URL; `None` for non-public videos (PeerTube then writes an empty `url-list`).
    pub file_url: Option<String>,
    /// `ws[s]://{hostname}:{port}/tracker/socket` (port always written).
    pub ws_announce: String,
    /// `{URL}/tracker/announce`.
    pub http_announce: String,
}

/// A built torrent: the `.torrent` bytes and what the server stores about it.
#[derive(Debug, Clone)]
pub struct BuiltTorrent {
    pub bytes: Vec<u8>,
    /// Lower-case hex SHA-1 of the bencoded `info` dictionary.
    pub info_hash_hex: String,
    pub piece_length: u64,
    /// The file's length in bytes.
    pub length: u64,
}

/// Builds the torrent dated now. Blocking (it reads the whole file): run it off the async
/// runtime, e.g. in `tokio::task::spawn_blocking`.
pub fn build_torrent(spec: &TorrentSpec) -> Result<BuiltTorrent, TrackerError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    build_torrent_at(spec, i64::try_from(now).unwrap_or(i64::MAX))
}

/// [`build_torrent`] with a given `creation date` (Unix seconds), for reproducible output.
pub fn build_torrent_at(
    spec: &TorrentSpec,
    creation_date: i64,
) -> Result<BuiltTorrent, TrackerError> {
    let file = File::open(&spec.file_path).map_err(|e| io_error(spec, e))?;
    let length = file.metadata().map_err(|e| io_error(spec, e))?.len();
    let piece_length = piece_length_for(length);
    let pieces = hash_pieces(&file, length, piece_length).map_err(|e| io_error(spec, e))?;

    let url_list = spec
        .file_url
        .iter()
        .map(|u| BencodeElem::String(u.clone()))
        .collect();
    let extra_fields = HashMap::from([
        (
            "created by".to_owned(),
            BencodeElem::String("PeerTube".to_owned()),
        ),
        (
            "creation date".to_owned(),
            BencodeElem::Integer(creation_date),
        ),
        (
            "encoding".to_owned(),
            BencodeElem::String("UTF-8".to_owned()),
        ),
        ("url-list".to_owned(), BencodeElem::List(url_list)),
    ]);
    let torrent = Torrent {
        announce: Some(spec.ws_announce.clone()),
        announce_list: Some(vec![
            vec![spec.ws_announce.clone()],
            vec![spec.http_announce.clone()],
        ]),
        length: to_integer(length)?,
        files: None,
        name: info_name(&spec.name, spec.resolution, &spec.extension),
        piece_length: to_integer(piece_length)?,
        pieces: pieces.into_iter().map(|p| p.to_vec()).collect(),
        extra_fields: Some(extra_fields),
        extra_info_fields: None,
    };
    let info_hash_hex = torrent.info_hash();
    let bytes = torrent
        .encode()
        .map_err(|e| TrackerError::Torrent(e.to_string()))?;
    Ok(BuiltTorrent {
        bytes,
        info_hash_hex,
        piece_length,
        length,
    })
}

/// `info.name`: the video name with the characters PeerTube forbids in file names replaced by
/// `-`, then ` {res}p{ext}`.
pub fn info_name(video_name: &str, resolution: u32, extension: &str) -> String {
    let clean: String = video_name
        .chars()
        .map(|c| match c {
            '/' | '\\' | '?' | '%' | '*' | ':' | '|' | '"' | '<' | '>' => '-',
            c => c,
        })
        .collect();
    format!("{clean} {resolution}p{extension}")
}

/// create-torrent's rule, about 1000 pieces: `max(16 KiB, 2^round(log2(size / 1024)))`.
pub fn piece_length_for(size: u64) -> u64 {
    let kib = if size < 1024 {
        1.0
    } else {
        size as f64 / 1024.0
    };
    // JavaScript's `x + 0.5 | 0` rounds halves up; the exponent is capped where a 32-bit shift
    // would overflow (files over about 1.5 TB).
    let exponent = (kib.log2() + 0.5).floor().clamp(0.0, 30.0) as u32;
    (1u64 << exponent).max(16 * 1024)
}

fn to_integer(v: u64) -> Result<i64, TrackerError> {
    i64::try_from(v).map_err(|_| TrackerError::Torrent(format!("{v} does not fit bencode")))
}

fn io_error(spec: &TorrentSpec, e: std::io::Error) -> TrackerError {
    TrackerError::Io(format!("{}: {e}", spec.file_path.display()))
}

/// Bytes each worker reads at once: a few pieces, large enough to keep reads efficient.
const BATCH_BYTES: u64 = 4 * 1024 * 1024;

/// A piece's index and SHA-1.
type IndexedHash = (usize, [u8; 20]);

/// SHA-1 of every piece, workers taking batches of consecutive pieces from a shared counter.
fn hash_pieces(file: &File, length: u64, piece_length: u64) -> std::io::Result<Vec<[u8; 20]>> {
    let piece_count = usize::try_from(length.div_ceil(piece_length)).unwrap_or(usize::MAX);
    if piece_count == 0 {
        return Ok(Vec::new());
    }
    let pieces_per_batch = usize::try_from((BATCH_BYTES / piece_length).max(1)).unwrap_or(1);
    let batches = piece_count.div_ceil(pieces_per_batch);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(batches);
    let next = AtomicUsize::new(0);

    let results: Vec<std::io::Result<Vec<IndexedHash>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    let mut buf = Vec::new();
                    loop {
                        let batch = next.fetch_add(1, Ordering::Relaxed);
                        if batch >= batches {
                            return Ok(out);
                        }
                        let first = batch * pieces_per_batch;
                        let last = (first + pieces_per_batch).min(piece_count);
                        let start = first as u64 * piece_length;
                        let end = (last as u64 * piece_length).min(length);
                        buf.resize(usize::try_from(end - start).unwrap_or(0), 0);
                        file.read_exact_at(&mut buf, start)?;
                        let piece_len = usize::try_from(piece_length).unwrap_or(usize::MAX);
                        for (i, chunk) in buf.chunks(piece_len).enumerate() {
                            out.push((first + i, Sha1::digest(chunk).into()));
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(std::io::Error::other("a piece hashing thread panicked"))
                })
            })
            .collect()
    });

    let mut pieces = vec![[0u8; 20]; piece_count];
    for result in results {
        for (index, hash) in result? {
            pieces[index] = hash;
        }
    }
    Ok(pieces)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn piece_lengths_follow_create_torrent() {
        assert_eq!(piece_length_for(0), 16384);
        assert_eq!(piece_length_for(226_946), 16384);
        assert_eq!(piece_length_for(1 << 30), 1 << 20);
        // log2(1.5 * 2^24) = 24.58 rounds up.
        assert_eq!(piece_length_for(3 << 33), 1 << 25);
        assert_eq!(piece_length_for(100 * 1024 * 1024), 128 * 1024);
    }

    #[test]
    fn info_name_replaces_forbidden_characters() {
        assert_eq!(
            info_name("a/b\\c?d%e*f:g|h\"i<j>k é", 720, ".webm"),
            "a-b-c-d-e-f-g-h-i-j-k é 720p.webm"
        );
    }
}
