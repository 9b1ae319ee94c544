-- Videos, their files (web videos with torrents), tags and resumable upload sessions.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE videos (
    id BIGSERIAL PRIMARY KEY,
    uuid UUID NOT NULL UNIQUE,
    url TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT,
    support TEXT,
    category INTEGER,
    licence INTEGER,
    language TEXT,
    -- VideoPrivacy: 1 public, 2 unlisted, 3 private, 4 internal, 5 password.
    privacy SMALLINT NOT NULL,
    nsfw BOOLEAN NOT NULL DEFAULT FALSE,
    -- 1 enabled, 2 disabled, 3 requires approval.
    comments_policy SMALLINT NOT NULL DEFAULT 1,
    download_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    wait_transcoding BOOLEAN NOT NULL DEFAULT TRUE,
    -- VideoState: 1 published, 2 to transcode, 7 transcoding failed, …
    state SMALLINT NOT NULL,
    -- Why processing failed, shown to the owner.
    state_error TEXT,
    duration INTEGER NOT NULL DEFAULT 0,
    aspect_ratio REAL,
    views BIGINT NOT NULL DEFAULT 0,
    likes BIGINT NOT NULL DEFAULT 0,
    dislikes BIGINT NOT NULL DEFAULT 0,
    channel_id BIGINT NOT NULL REFERENCES video_channels (id) ON DELETE CASCADE,
    is_local BOOLEAN NOT NULL,
    thumbnail_filename TEXT,
    preview_filename TEXT,
    -- Remote videos: the origin's images, fetched into the files above on first request.
    thumbnail_url TEXT,
    preview_url TEXT,
    published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    originally_published_at TIMESTAMPTZ,
    input_file_updated_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX videos_channel ON videos (channel_id);
CREATE INDEX videos_published ON videos (published_at DESC, id DESC);
CREATE INDEX videos_created ON videos (created_at DESC, id DESC);
CREATE INDEX videos_views ON videos (views DESC, id DESC);
CREATE INDEX videos_name_trgm ON videos USING gin (lower(name) gin_trgm_ops);
CREATE INDEX videos_description_trgm ON videos USING gin (lower(description) gin_trgm_ops);

-- Bumped by every change to videos (or their tags), so list totals can be cached exactly:
-- a cached total is good while the generation it was counted at is current.
CREATE TABLE video_generation (
    id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    n BIGINT NOT NULL DEFAULT 0
);
INSERT INTO video_generation DEFAULT VALUES;

CREATE FUNCTION bump_video_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE video_generation SET n = n + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER videos_generation AFTER INSERT OR UPDATE OR DELETE ON videos
    FOR EACH STATEMENT EXECUTE FUNCTION bump_video_generation();

CREATE TABLE video_tags (
    video_id BIGINT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position SMALLINT NOT NULL DEFAULT 0,
    PRIMARY KEY (video_id, name)
);
CREATE INDEX video_tags_name ON video_tags (lower(name));
CREATE INDEX video_tags_name_trgm ON video_tags USING gin (lower(name) gin_trgm_ops);
CREATE TRIGGER video_tags_generation AFTER INSERT OR UPDATE OR DELETE ON video_tags
    FOR EACH STATEMENT EXECUTE FUNCTION bump_video_generation();

CREATE TABLE video_files (
    id BIGSERIAL PRIMARY KEY,
    video_id BIGINT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    resolution INTEGER NOT NULL,
    size BIGINT NOT NULL,
    extension TEXT NOT NULL,
    fps INTEGER NOT NULL DEFAULT -1,
    width INTEGER,
    height INTEGER,
    -- `{rnd}-{res}.{ext}` under storage; NULL for remote files.
    filename TEXT,
    torrent_filename TEXT,
    info_hash TEXT,
    -- Absolute URLs of remote files and torrents.
    file_url TEXT,
    torrent_url TEXT,
    -- ffprobe's JSON, served at /api/v1/videos/{id}/metadata/{fileId}.
    metadata JSONB,
    has_audio BOOLEAN NOT NULL DEFAULT TRUE,
    has_video BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX video_files_video ON video_files (video_id);
CREATE UNIQUE INDEX video_files_filename ON video_files (filename) WHERE filename IS NOT NULL;
CREATE INDEX video_files_torrent ON video_files (torrent_filename);
CREATE INDEX video_files_info_hash ON video_files (info_hash);

-- A resumable upload (uploadx protocol): bytes land in `path` until `received` = `size`.
CREATE TABLE upload_sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    metadata JSONB NOT NULL,
    filename TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    path TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX upload_sessions_user ON upload_sessions (user_id, fingerprint);
