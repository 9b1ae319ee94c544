// @generated automatically by Diesel CLI.

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

diesel::table! {
    actor_images (id) {
        id -> Int8,
        actor_id -> Int8,
        kind -> Int2,
        filename -> Text,
        width -> Nullable<Int4>,
        height -> Nullable<Int4>,
        file_url -> Nullable<Text>,
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
    follow_resends (follow_id) {
        follow_id -> Int8,
        attempts -> Int4,
        last_sent_at -> Timestamptz,
    }
}

diesel::table! {
    host_health (host) {
        host -> Text,
        consecutive_failures -> Int4,
        trips -> Int4,
        failing_since -> Nullable<Timestamptz>,
        last_failure_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        open_until -> Nullable<Timestamptz>,
        unreachable_since -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        job_type -> Text,
        payload -> Jsonb,
        state -> Text,
        priority -> Int4,
        attempts -> Int4,
        max_attempts -> Int4,
        stalls -> Int4,
        run_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        lock_token -> Nullable<Uuid>,
        progress -> Int2,
        error -> Nullable<Text>,
        dedup_key -> Nullable<Text>,
        created_at -> Timestamptz,
        processed_on -> Nullable<Timestamptz>,
        finished_on -> Nullable<Timestamptz>,
        group_key -> Nullable<Text>,
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
    servers (id) {
        id -> Int8,
        host -> Text,
        redundancy_allowed -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    upload_sessions (id) {
        id -> Text,
        user_id -> Int8,
        fingerprint -> Text,
        metadata -> Jsonb,
        filename -> Text,
        mime_type -> Text,
        size -> Int8,
        received -> Int8,
        path -> Text,
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
    video_comments (id) {
        id -> Int8,
        url -> Nullable<Text>,
        text -> Text,
        video_id -> Int8,
        account_id -> Nullable<Int8>,
        in_reply_to_comment_id -> Nullable<Int8>,
        origin_comment_id -> Nullable<Int8>,
        held_for_review -> Bool,
        reply_approval -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    video_files (id) {
        id -> Int8,
        video_id -> Nullable<Int8>,
        resolution -> Int4,
        size -> Int8,
        extension -> Text,
        fps -> Int4,
        width -> Nullable<Int4>,
        height -> Nullable<Int4>,
        filename -> Nullable<Text>,
        torrent_filename -> Nullable<Text>,
        info_hash -> Nullable<Text>,
        file_url -> Nullable<Text>,
        torrent_url -> Nullable<Text>,
        metadata -> Nullable<Jsonb>,
        has_audio -> Bool,
        has_video -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        streaming_playlist_id -> Nullable<Int8>,
        metadata_url -> Nullable<Text>,
    }
}

diesel::table! {
    video_generation (id) {
        id -> Bool,
        n -> Int8,
    }
}

diesel::table! {
    video_rates (id) {
        id -> Int8,
        actor_id -> Int8,
        video_id -> Int8,
        kind -> Text,
        url -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    video_shares (id) {
        id -> Int8,
        url -> Text,
        actor_id -> Int8,
        video_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    video_streaming_playlists (id) {
        id -> Int8,
        video_id -> Int8,
        #[sql_name = "type"]
        type_ -> Int2,
        playlist_filename -> Text,
        segments_sha256_filename -> Nullable<Text>,
        playlist_url -> Nullable<Text>,
        segments_sha256_url -> Nullable<Text>,
        p2p_media_loader_infohashes -> Array<Text>,
        p2p_media_loader_peer_version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    video_tags (video_id, name) {
        video_id -> Int8,
        name -> Text,
        position -> Int2,
    }
}

diesel::table! {
    videos (id) {
        id -> Int8,
        uuid -> Uuid,
        url -> Text,
        name -> Text,
        description -> Nullable<Text>,
        support -> Nullable<Text>,
        category -> Nullable<Int4>,
        licence -> Nullable<Int4>,
        language -> Nullable<Text>,
        privacy -> Int2,
        nsfw -> Bool,
        comments_policy -> Int2,
        download_enabled -> Bool,
        wait_transcoding -> Bool,
        state -> Int2,
        state_error -> Nullable<Text>,
        duration -> Int4,
        aspect_ratio -> Nullable<Float4>,
        views -> Int8,
        likes -> Int8,
        dislikes -> Int8,
        channel_id -> Int8,
        is_local -> Bool,
        thumbnail_filename -> Nullable<Text>,
        preview_filename -> Nullable<Text>,
        thumbnail_url -> Nullable<Text>,
        preview_url -> Nullable<Text>,
        published_at -> Timestamptz,
        originally_published_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_fetched_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(accounts -> actors (actor_id));
diesel::joinable!(accounts -> users (user_id));
diesel::joinable!(actor_images -> actors (actor_id));
diesel::joinable!(actors -> servers (server_id));
diesel::joinable!(follow_resends -> actor_follows (follow_id));
diesel::joinable!(oauth_tokens -> oauth_clients (oauth_client_id));
diesel::joinable!(oauth_tokens -> users (user_id));
diesel::joinable!(upload_sessions -> users (user_id));
diesel::joinable!(video_channels -> accounts (account_id));
diesel::joinable!(video_channels -> actors (actor_id));
diesel::joinable!(video_comments -> accounts (account_id));
diesel::joinable!(video_comments -> videos (video_id));
diesel::joinable!(video_files -> video_streaming_playlists (streaming_playlist_id));
diesel::joinable!(video_files -> videos (video_id));
diesel::joinable!(video_rates -> actors (actor_id));
diesel::joinable!(video_rates -> videos (video_id));
diesel::joinable!(video_shares -> actors (actor_id));
diesel::joinable!(video_shares -> videos (video_id));
diesel::joinable!(video_streaming_playlists -> videos (video_id));
diesel::joinable!(video_tags -> videos (video_id));
diesel::joinable!(videos -> video_channels (channel_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    actor_follows,
    actor_images,
    actors,
    follow_resends,
    host_health,
    jobs,
    oauth_clients,
    oauth_tokens,
    servers,
    upload_sessions,
    users,
    video_channels,
    video_comments,
    video_files,
    video_generation,
    video_rates,
    video_shares,
    video_streaming_playlists,
    video_tags,
    videos,
);
