-- Foundation: servers, actors (local and remote), accounts, channels, users, OAuth, follows.

CREATE TABLE servers (
    id BIGSERIAL PRIMARY KEY,
    host TEXT NOT NULL UNIQUE,
    redundancy_allowed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE actors (
    id BIGSERIAL PRIMARY KEY,
    actor_type TEXT NOT NULL
        CHECK (actor_type IN ('Person', 'Application', 'Group', 'Service', 'Organization')),
    preferred_username TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE,
    public_key_pem TEXT,
    private_key_pem TEXT,
    inbox_url TEXT NOT NULL,
    shared_inbox_url TEXT,
    outbox_url TEXT,
    followers_url TEXT,
    following_url TEXT,
    playlists_url TEXT,
    followers_count INTEGER NOT NULL DEFAULT 0,
    following_count INTEGER NOT NULL DEFAULT 0,
    -- NULL for local actors.
    server_id BIGINT REFERENCES servers (id) ON DELETE CASCADE,
    remote_created_at TIMESTAMPTZ,
    last_fetched_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Accounts and channels share one name namespace, per server (case-insensitive as PeerTube).
CREATE UNIQUE INDEX actors_local_name ON actors (lower(preferred_username)) WHERE server_id IS NULL;
CREATE UNIQUE INDEX actors_remote_name ON actors (lower(preferred_username), server_id)
    WHERE server_id IS NOT NULL;
CREATE INDEX actors_server ON actors (server_id);
CREATE INDEX actors_shared_inbox ON actors (shared_inbox_url);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    pending_email TEXT,
    email_verified BOOLEAN,
    email_public BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT NOT NULL,
    role SMALLINT NOT NULL CHECK (role IN (0, 1, 2)),
    video_quota BIGINT NOT NULL DEFAULT -1,
    video_quota_daily BIGINT NOT NULL DEFAULT -1,
    nsfw_policy TEXT NOT NULL DEFAULT 'do_not_list',
    p2p_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    videos_history_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    auto_play_video BOOLEAN NOT NULL DEFAULT TRUE,
    auto_play_next_video BOOLEAN NOT NULL DEFAULT FALSE,
    auto_play_next_video_playlist BOOLEAN NOT NULL DEFAULT TRUE,
    video_languages TEXT[],
    theme TEXT NOT NULL DEFAULT 'instance-default',
    no_instance_config_warning_modal BOOLEAN NOT NULL DEFAULT FALSE,
    no_welcome_modal BOOLEAN NOT NULL DEFAULT FALSE,
    no_account_setup_warning_modal BOOLEAN NOT NULL DEFAULT FALSE,
    admin_flags INTEGER NOT NULL DEFAULT 0,
    blocked BOOLEAN NOT NULL DEFAULT FALSE,
    blocked_reason TEXT,
    last_login_date TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    description TEXT,
    -- NULL for remote accounts and for the server's Application account.
    user_id BIGINT UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE video_channels (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    description TEXT,
    support TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX video_channels_account ON video_channels (account_id);

CREATE TABLE oauth_clients (
    id BIGSERIAL PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    client_secret TEXT NOT NULL,
    grants TEXT[] NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE oauth_tokens (
    id BIGSERIAL PRIMARY KEY,
    access_token TEXT NOT NULL UNIQUE,
    access_token_expires_at TIMESTAMPTZ NOT NULL,
    refresh_token TEXT NOT NULL UNIQUE,
    refresh_token_expires_at TIMESTAMPTZ NOT NULL,
    oauth_client_id BIGINT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id);

CREATE TABLE actor_follows (
    id BIGSERIAL PRIMARY KEY,
    -- The follower.
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    -- PeerTube's delivery health score: +10 per success, -10 per failure, removed at 0.
    score INTEGER NOT NULL DEFAULT 1000,
    url TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (actor_id, target_actor_id)
);
CREATE INDEX actor_follows_target ON actor_follows (target_actor_id, state);
