-- The durable job queue. Every slow or retried piece of work (federation deliveries,
-- transcoding, torrents, housekeeping) is a row here, so nothing is lost when a process or
-- Redis dies. Workers claim rows with FOR UPDATE SKIP LOCKED and hold them with a lease.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    -- PeerTube's job type (`activitypub-http-unicast`, `video-transcoding`, …).
    job_type TEXT NOT NULL,
    payload JSONB NOT NULL DEFAULT '{}',
    -- `delayed` rows wait for run_at (a delay or a retry back-off); `waiting` ones are due.
    state TEXT NOT NULL DEFAULT 'waiting'
        CHECK (state IN ('waiting', 'delayed', 'active', 'completed', 'failed')),
    -- Lower runs first, as BullMQ's priorities.
    priority INTEGER NOT NULL DEFAULT 0,
    -- Attempts started; a run cut short by a dead process is given back.
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
    -- Times the job's worker died under it, to fail a job that keeps killing its process.
    stalls INTEGER NOT NULL DEFAULT 0,
    run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The lease of an active job: its worker renews it; once passed, another worker reclaims it.
    locked_until TIMESTAMPTZ,
    -- Identifies one claim, so a worker that lost its lease cannot overwrite the next run.
    lock_token UUID,
    progress SMALLINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    error TEXT,
    dedup_key TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_on TIMESTAMPTZ,
    finished_on TIMESTAMPTZ
);

-- A job not started yet is not enqueued twice under the same key: when it runs it sees the
-- latest data anyway. A running job does not count, as it may have read older data.
CREATE UNIQUE INDEX jobs_dedup ON jobs (job_type, dedup_key)
    WHERE state IN ('waiting', 'delayed');
-- What workers claim next.
CREATE INDEX jobs_ready ON jobs (priority, run_at, id) WHERE state IN ('waiting', 'delayed');
-- Leases to watch.
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE state = 'active';
-- The admin list and the purge of old finished jobs.
CREATE INDEX jobs_listing ON jobs (state, job_type, created_at);
CREATE INDEX jobs_finished ON jobs (finished_on) WHERE state IN ('completed', 'failed');

-- Idle workers LISTEN on `ferrotube_jobs`: a job that becomes runnable (enqueued, retried,
-- reclaimed) wakes them at commit, whoever wrote the row.
CREATE FUNCTION jobs_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('ferrotube_jobs', NEW.job_type);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE OF state ON jobs
    FOR EACH ROW WHEN (NEW.state IN ('waiting', 'delayed'))
    EXECUTE FUNCTION jobs_notify();
