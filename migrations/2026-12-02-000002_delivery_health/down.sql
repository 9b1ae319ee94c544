DROP TABLE follow_resends;
DROP INDEX jobs_group_pending;
ALTER TABLE jobs DROP COLUMN group_key;
DROP TABLE host_health;
