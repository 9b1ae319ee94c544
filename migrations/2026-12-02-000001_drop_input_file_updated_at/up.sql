-- Never written nor read: ferrotube does not replace source files, so REST's
-- `inputFileUpdatedAt` is always null. Dropping it keeps `videos` within diesel's 32 columns.
ALTER TABLE videos DROP COLUMN input_file_updated_at;
