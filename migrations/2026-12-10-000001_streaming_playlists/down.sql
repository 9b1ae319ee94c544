DELETE FROM video_files WHERE video_id IS NULL;
ALTER TABLE video_files
    DROP CONSTRAINT video_files_one_owner,
    DROP COLUMN metadata_url,
    DROP COLUMN streaming_playlist_id,
    ALTER COLUMN video_id SET NOT NULL;
DROP TABLE video_streaming_playlists;
