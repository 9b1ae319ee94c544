ALTER TABLE videos DROP COLUMN last_fetched_at;
