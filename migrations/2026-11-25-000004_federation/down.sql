DROP INDEX IF EXISTS actor_follows_score;
DROP INDEX IF EXISTS actors_inbox;
DROP TABLE IF EXISTS inbox_activities;
