-- Sanad as a client of civil registries (CRVS): the registries it takes births and deaths from, and
-- every event they notified, with what became of it (docs/crvs.md).
CREATE TABLE crvs_sources (
  id                 {{ID}},
  code               TEXT NOT NULL UNIQUE,   -- short name, in the notify URL /dci/crvs/{code}/registry/notify
  name               TEXT NOT NULL,
  base_url           TEXT NULL,              -- the registry's SPDCI API (subscribe, search), when called
  token_hash         TEXT NOT NULL,          -- SHA-256 of the bearer token its notifications carry
  auto_approve_exact BIGINT NOT NULL DEFAULT 0, -- 1: an exact identifier match is applied without a reviewer
  created_at         TEXT NOT NULL,
  created_by         TEXT NOT NULL
);

CREATE TABLE crvs_events (
  id                {{ID}},
  source_id         BIGINT NOT NULL REFERENCES crvs_sources (id),
  reference_id      TEXT NOT NULL,           -- the registry's reference: a replay is recognised by it
  event_type        TEXT NOT NULL,
  kind              TEXT NOT NULL,           -- birth | death | other
  record            TEXT NOT NULL,           -- the person as notified (JSON): personal data, staff only
  received_at       TEXT NOT NULL,
  outcome           TEXT NOT NULL,           -- filed | applied | unmatched | ignored | refused
  reason            TEXT NULL,               -- message code of unmatched / refused
  person_id         BIGINT NULL,             -- the matched person (the deceased, the parent)
  household_id      BIGINT NULL,
  change_request_id BIGINT NULL,
  UNIQUE (source_id, reference_id)
);
CREATE INDEX crvs_events_outcome ON crvs_events (outcome, id);
