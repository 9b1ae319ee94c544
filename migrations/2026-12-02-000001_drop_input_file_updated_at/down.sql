ALTER TABLE videos ADD COLUMN input_file_updated_at TIMESTAMPTZ;
