-- Background jobs run by src/jobs (docs/decisions/0005-job-runner.md): one table for every kind of
-- batch work (deduplication today; payment cycles, dispatch and ageing next). An app server claims a
-- job with one atomic UPDATE and holds it through a lease that its heartbeat extends; a job whose lease
-- has expired (its server died) is claimed again by another server and resumes from its checkpoint.

CREATE TABLE jobs (
  id                      {{ID}},
  kind                    TEXT NOT NULL,            -- dedup, …: the handler that runs it
  params                  TEXT NOT NULL,            -- JSON given by the starter
  area_code               TEXT NULL,                -- area the job covers (the starter's scope; NULL = national)
  exclusive_key           TEXT NULL,                -- at most one queued or running job per key
  owner_id                BIGINT NULL,              -- the account that started it
  owner                   TEXT NOT NULL,
  state                   TEXT NOT NULL,            -- queued | running | succeeded | failed | cancelled
  progress_done           BIGINT NOT NULL DEFAULT 0,
  progress_total          BIGINT NOT NULL DEFAULT 0,  -- 0 = unknown
  stage                   TEXT NOT NULL,            -- a code (loading, scoring, …), never a sentence
  stage_params            TEXT NOT NULL,            -- JSON parameters of the stage
  checkpoint              TEXT NULL,                -- JSON resume state saved by the handler
  result                  TEXT NULL,                -- JSON returned by the handler
  error_code              TEXT NULL,                -- invalid_argument, internal, attempts_exhausted, …
  error_message           TEXT NULL,                -- for the log and operators, not for end users
  lease_owner             TEXT NULL,                -- node id of the server that runs or last ran it
  lease_until             BIGINT NULL,              -- lease expiry, milliseconds since 1970-01-01 UTC
  heartbeat_at            TEXT NULL,
  attempts                BIGINT NOT NULL DEFAULT 0,  -- claims so far
  max_attempts            BIGINT NOT NULL DEFAULT 3,
  cancel_requested        BIGINT NOT NULL DEFAULT 0,  -- 1: stop at the next chunk boundary
  created_at              TEXT NOT NULL,
  started_at              TEXT NULL,
  finished_at             TEXT NULL
);
CREATE INDEX jobs_claim ON jobs (state, lease_until);
CREATE INDEX jobs_kind ON jobs (kind, id);
CREATE UNIQUE INDEX jobs_exclusive ON jobs (exclusive_key) WHERE state IN ('queued', 'running');

-- A deduplication job's row (its id is what the API and the review queue know) points at the job
-- that runs it.
ALTER TABLE linkage_jobs ADD COLUMN run_job_id BIGINT NULL;

-- Jobs that servers of the previous version left running (they ran inside the server process) cannot
-- be resumed: they are settled as failed, as those servers did at their next start.
UPDATE linkage_jobs SET status = 'failed', stage = 'interrupted', error = 'the server stopped while the job ran',
  finished_at = started_at WHERE status = 'running';
