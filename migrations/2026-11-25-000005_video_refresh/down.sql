DROP TABLE video_rates;
ALTER TABLE videos DROP COLUMN last_fetched_at;
