-- Registry deduplication (issue 4 §3): background linkage jobs, the review queue of candidate pairs
-- they propose, the reviewers' decisions (remembered per unordered person pair, so that "not
-- duplicates" is never proposed again), and external beneficiary lists linked to registry persons for
-- the cross-programme check.

CREATE TABLE linkage_jobs (
  id                      {{ID}},
  status                  TEXT NOT NULL,            -- running | done | failed | cancelled
  stage                   TEXT NOT NULL,
  area_code               TEXT NULL,                -- scope the job covered (NULL = national)
  started_by_id           BIGINT NULL,
  started_by              TEXT NOT NULL,
  started_at              TEXT NOT NULL,
  finished_at             TEXT NULL,
  records                 BIGINT NOT NULL DEFAULT 0,
  pairs_compared          BIGINT NOT NULL DEFAULT 0,
  candidate_pairs         BIGINT NOT NULL DEFAULT 0,
  matches                 BIGINT NOT NULL DEFAULT 0,
  review                  BIGINT NOT NULL DEFAULT 0,
  proposed                BIGINT NOT NULL DEFAULT 0,  -- pairs written to the review queue
  seconds                 DOUBLE PRECISION NOT NULL DEFAULT 0,
  error                   TEXT NULL
);
CREATE INDEX linkage_jobs_status ON linkage_jobs (status, id);

-- person_a < person_b always. At most one pending candidate per pair.
CREATE TABLE linkage_candidates (
  id                      {{ID}},
  job_id                  BIGINT NOT NULL REFERENCES linkage_jobs (id),
  person_a                BIGINT NOT NULL,
  person_b                BIGINT NOT NULL,
  weight                  DOUBLE PRECISION NOT NULL,
  probability             DOUBLE PRECISION NOT NULL,
  band                    TEXT NOT NULL,            -- match | review
  explanation             TEXT NOT NULL,            -- JSON: prior and field-by-field contributions
  status                  TEXT NOT NULL,            -- pending | confirmed | rejected
  change_request_id       BIGINT NULL,              -- the merge_persons request filed on confirmation
  decided_by_id           BIGINT NULL,
  decided_by              TEXT NULL,
  decided_at              TEXT NULL,
  comment                 TEXT NULL,
  created_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX linkage_candidates_pending ON linkage_candidates (person_a, person_b) WHERE status = 'pending';
CREATE INDEX linkage_candidates_status ON linkage_candidates (status, weight);
CREATE INDEX linkage_candidates_b ON linkage_candidates (person_b);

-- A reviewer's decision on a pair (person_a < person_b): not_duplicates (never proposed again) or
-- duplicates (a merge request was filed; proposed again only if that request was rejected).
CREATE TABLE linkage_decisions (
  person_a                BIGINT NOT NULL,
  person_b                BIGINT NOT NULL,
  decision                TEXT NOT NULL,            -- not_duplicates | duplicates
  candidate_id            BIGINT NULL,
  change_request_id       BIGINT NULL,
  decided_by_id           BIGINT NULL,
  decided_by              TEXT NOT NULL,
  decided_at              TEXT NOT NULL,
  comment                 TEXT NULL,
  PRIMARY KEY (person_a, person_b)
);

-- Beneficiary lists of other programmes (e.g. a social-security fund's family allowances), linked to
-- the registry persons of the uploader's scope; only the matched person ids are kept.
CREATE TABLE linkage_external_lists (
  id                      {{ID}},
  name                    TEXT NOT NULL,
  programme               TEXT NOT NULL,            -- family_allowances, …
  area_code               TEXT NULL,                -- scope the list was linked against
  uploaded_by_id          BIGINT NULL,
  uploaded_by             TEXT NOT NULL,
  uploaded_at             TEXT NOT NULL,
  rows_total              BIGINT NOT NULL,
  matched                 BIGINT NOT NULL
);

CREATE TABLE linkage_external_matches (
  list_id                 BIGINT NOT NULL REFERENCES linkage_external_lists (id),
  person_id               BIGINT NOT NULL,
  external_id             TEXT NOT NULL,
  weight                  DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (list_id, person_id, external_id)
);
CREATE INDEX linkage_external_matches_person ON linkage_external_matches (person_id);
