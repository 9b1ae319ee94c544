-- HLS, as PeerTube models it: a video's streaming playlist (type 1, HLS) owns its renditions'
-- fragmented MP4s, which are rows of video_files with `streaming_playlist_id` set instead of
-- `video_id` (so every query of a video's web video files stays what it was).
CREATE TABLE video_streaming_playlists (
    id BIGSERIAL PRIMARY KEY,
    video_id BIGINT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    -- PeerTube's VideoStreamingPlaylistType: 1 HLS.
    type SMALLINT NOT NULL DEFAULT 1,
    -- `{rnd}-master.m3u8` and `{rnd}-segments-sha256.json`, under
    -- streaming-playlists/hls/{videoUuid}/ (local videos).
    playlist_filename TEXT NOT NULL,
    segments_sha256_filename TEXT,
    -- Remote videos: the origin's URLs.
    playlist_url TEXT,
    segments_sha256_url TEXT,
    -- The P2P swarm ids of the renditions, sha1("2" + masterUrl + "+V" + i), for the tracker.
    p2p_media_loader_infohashes TEXT[] NOT NULL DEFAULT '{}',
    p2p_media_loader_peer_version INTEGER NOT NULL DEFAULT 2,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (video_id, type)
);

ALTER TABLE video_files
    ALTER COLUMN video_id DROP NOT NULL,
    ADD COLUMN streaming_playlist_id BIGINT
        REFERENCES video_streaming_playlists (id) ON DELETE CASCADE,
    -- Remote files: the origin's ffprobe metadata URL.
    ADD COLUMN metadata_url TEXT,
    ADD CONSTRAINT video_files_one_owner
        CHECK ((video_id IS NULL) <> (streaming_playlist_id IS NULL));
CREATE INDEX video_files_streaming_playlist ON video_files (streaming_playlist_id);
