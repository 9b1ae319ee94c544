-- Ids of received activities: a redelivered activity is acknowledged, not processed again.
CREATE TABLE inbox_activities (
    activity_id TEXT PRIMARY KEY,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX inbox_activities_received ON inbox_activities (received_at);
CREATE INDEX actors_inbox ON actors (inbox_url);
CREATE INDEX actor_follows_score ON actor_follows (score) WHERE score <= 0;
