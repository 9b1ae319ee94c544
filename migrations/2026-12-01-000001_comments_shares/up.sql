-- Comments on videos, local and remote, as PeerTube keeps them: a thread is a root comment
-- (no parent) and its replies; a deleted comment keeps its row (a Tombstone) with deleted_at.
CREATE TABLE video_comments (
    id BIGSERIAL PRIMARY KEY,
    -- The ActivityPub id: {video}/comments/{id} for ours, the origin's URL for others.
    url TEXT UNIQUE,
    text TEXT NOT NULL,
    video_id BIGINT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    in_reply_to_comment_id BIGINT REFERENCES video_comments (id) ON DELETE CASCADE,
    origin_comment_id BIGINT REFERENCES video_comments (id) ON DELETE CASCADE,
    held_for_review BOOLEAN NOT NULL DEFAULT false,
    -- A remote comment's approval activity URL, as its origin published it.
    reply_approval TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);
CREATE INDEX video_comments_video_thread ON video_comments (video_id, origin_comment_id, created_at);
CREATE INDEX video_comments_reply_to ON video_comments (in_reply_to_comment_id);
CREATE INDEX video_comments_account ON video_comments (account_id);

-- Announces of videos (ours by the server actor and channels, and remote ones): the `shares`
-- collection of a video.
CREATE TABLE video_shares (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    video_id BIGINT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (actor_id, video_id)
);
CREATE INDEX video_shares_video ON video_shares (video_id, created_at);

-- Activities are all processed, as PeerTube processes them (it reuses ids on purpose).
DROP TABLE inbox_activities;
