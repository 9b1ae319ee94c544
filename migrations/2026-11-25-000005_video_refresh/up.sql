-- When a remote video was last fetched from its origin: stale ones are refreshed on read.
ALTER TABLE videos ADD COLUMN last_fetched_at TIMESTAMPTZ;

-- Likes and dislikes of local videos by remote actors, by activity (ids stay fetchable).
CREATE TABLE video_rates (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    video_id BIGINT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('like', 'dislike')),
    url TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (actor_id, video_id)
);
CREATE INDEX video_rates_video ON video_rates (video_id, kind);
