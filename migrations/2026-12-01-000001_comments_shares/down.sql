CREATE TABLE inbox_activities (
    activity_id TEXT PRIMARY KEY,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX inbox_activities_received ON inbox_activities (received_at);
DROP TABLE video_shares;
DROP TABLE video_comments;
