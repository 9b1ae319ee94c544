//! Diesel table definitions, kept by hand in step with `migrations/`.

diesel::table! {
    servers (id) {
        id -> Int8,
        host -> Text,
        redundancy_allowed -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    actors (id) {
        id -> Int8,
        actor_type -> Text,
        preferred_username -> Text,
        url -> Text,
        public_key_pem -> Nullable<Text>,
        private_key_pem -> Nullable<Text>,
        inbox_url -> Text,
        shared_inbox_url -> Nullable<Text>,
        outbox_url -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        following_url -> Nullable<Text>,
        playlists_url -> Nullable<Text>,
        followers_count -> Int4,
        following_count -> Int4,
        server_id -> Nullable<Int8>,
        remote_created_at -> Nullable<Timestamptz>,
        last_fetched_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        username -> Text,
        email -> Text,
        pending_email -> Nullable<Text>,
        email_verified -> Nullable<Bool>,
        email_public -> Bool,
        password_hash -> Text,
        role -> Int2,
        video_quota -> Int8,
        video_quota_daily -> Int8,
        nsfw_policy -> Text,
        p2p_enabled -> Bool,
        videos_history_enabled -> Bool,
        auto_play_video -> Bool,
        auto_play_next_video -> Bool,
        auto_play_next_video_playlist -> Bool,
        video_languages -> Nullable<Array<Text>>,
        theme -> Text,
        no_instance_config_warning_modal -> Bool,
        no_welcome_modal -> Bool,
        no_account_setup_warning_modal -> Bool,
        admin_flags -> Int4,
        blocked -> Bool,
        blocked_reason -> Nullable<Text>,
        last_login_date -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    accounts (id) {
        id -> Int8,
        actor_id -> Int8,
        display_name -> Text,
        description -> Nullable<Text>,
        user_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    video_channels (id) {
        id -> Int8,
        actor_id -> Int8,
        account_id -> Int8,
        display_name -> Text,
        description -> Nullable<Text>,
        support -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    oauth_clients (id) {
        id -> Int8,
        client_id -> Text,
        client_secret -> Text,
        grants -> Array<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    oauth_tokens (id) {
        id -> Int8,
        access_token -> Text,
        access_token_expires_at -> Timestamptz,
        refresh_token -> Text,
        refresh_token_expires_at -> Timestamptz,
        oauth_client_id -> Int8,
        user_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    actor_follows (id) {
        id -> Int8,
        actor_id -> Int8,
        target_actor_id -> Int8,
        state -> Text,
        score -> Int4,
        url -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(actors -> servers (server_id));
diesel::joinable!(accounts -> actors (actor_id));
diesel::joinable!(accounts -> users (user_id));
diesel::joinable!(video_channels -> actors (actor_id));
diesel::joinable!(video_channels -> accounts (account_id));
diesel::joinable!(oauth_tokens -> users (user_id));
diesel::joinable!(oauth_tokens -> oauth_clients (oauth_client_id));

diesel::allow_tables_to_appear_in_same_query!(
    servers,
    actors,
    users,
    accounts,
    video_channels,
    oauth_clients,
    oauth_tokens,
    actor_follows,
);
