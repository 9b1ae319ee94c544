-- Delivery health of each remote host (`host[:port]` of its inboxes), shared by every process:
-- the per-host circuit breaker of the delivery job. PeerTube tries each delivery once; we retry,
-- and this keeps a dead host from occupying the workers meanwhile.
CREATE TABLE host_health (
    host TEXT PRIMARY KEY,
    -- Failed deliveries since the last answer.
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    -- Times the breaker opened in this outage: each pause is twice the previous one.
    trips INTEGER NOT NULL DEFAULT 0,
    -- The first failure after the last answer: the outage's start.
    failing_since TIMESTAMPTZ,
    last_failure_at TIMESTAMPTZ,
    last_error TEXT,
    -- While in the future, deliveries to the host wait (the breaker is open); once passed, one
    -- delivery probes the host.
    open_until TIMESTAMPTZ,
    -- Set after a long outage: deliveries are dropped until the host answers again.
    unreachable_since TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Jobs of one group (the deliveries to one host) are postponed and resumed together.
ALTER TABLE jobs ADD COLUMN group_key TEXT;
CREATE INDEX jobs_group_pending ON jobs (group_key)
    WHERE group_key IS NOT NULL AND state IN ('waiting', 'delayed');

-- Follows of ours still pending get their Follow sent again (PeerTube answers a repeated
-- Follow with a new Accept): how often it was re-sent, and when last.
CREATE TABLE follow_resends (
    follow_id BIGINT PRIMARY KEY REFERENCES actor_follows (id) ON DELETE CASCADE,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_sent_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
