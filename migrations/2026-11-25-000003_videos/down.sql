DROP TABLE upload_sessions;
DROP TABLE video_files;
DROP TABLE video_tags;
DROP TABLE videos;
