DROP TABLE upload_sessions;
DROP TABLE video_files;
DROP TABLE video_tags;
DROP TABLE videos;
DROP TABLE video_generation;
DROP FUNCTION bump_video_generation();
