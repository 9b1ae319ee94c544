-- When a remote video was last fetched from its origin: stale ones are refreshed on read.
ALTER TABLE videos ADD COLUMN last_fetched_at TIMESTAMPTZ;
