-- Avatars and banners of actors, local and remote, one row per size PeerTube makes (avatars
-- 1500/600/120/48 px squares, banners 1920x317 and 600x100). Ours are files under
-- storage.avatars; a remote one keeps the origin's URL and is fetched into the same folder
-- the first time someone asks for it (its row names the file it will have).
CREATE TABLE actor_images (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    -- PeerTube's ActorImageType: 1 avatar, 2 banner.
    kind SMALLINT NOT NULL CHECK (kind IN (1, 2)),
    -- `{rnd}.{ext}`, served at /lazy-static/{avatars,banners}/{filename}.
    filename TEXT NOT NULL UNIQUE,
    -- Remote images may come without dimensions (Mastodon's icon has none).
    width INT,
    height INT,
    -- Where the origin serves a remote image; NULL for ours.
    file_url TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX actor_images_actor ON actor_images (actor_id, kind);
