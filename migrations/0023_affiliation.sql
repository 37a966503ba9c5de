-- Social-security affiliation of non-salaried workers (src/affiliation, docs/affiliation.md): the
-- registry of affiliated workers linked to registry persons, their yearly declarations and contributions,
-- external lists (a chamber of crafts' register…) matched against the registry by a job, the review
-- queue of the affiliations they propose, and the awareness campaign's contacts. Amounts in minor units.

CREATE TABLE affiliation_workers (
  id                      {{ID}},
  person_id               BIGINT NOT NULL REFERENCES persons (id),
  commune_code            TEXT NOT NULL,            -- scope: the person's household's commune at affiliation
  fund                    TEXT NOT NULL,            -- CASNOS | AMO_TNS
  activity                TEXT NOT NULL,            -- artisan | trader | farmer | liberal
  registration_number     TEXT NULL,                -- the register the worker is on (crafts, trade, farmers…)
  affiliation_number      TEXT NULL,                -- the fund's number, once it gives one
  status                  TEXT NOT NULL,            -- affiliated | suspended | struck_off
  affiliated_on           TEXT NOT NULL,            -- YYYY-MM-DD
  proposal_id             BIGINT NULL,              -- the reviewed proposal it came from
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL
);
CREATE UNIQUE INDEX affiliation_workers_person_fund ON affiliation_workers (person_id, fund);
CREATE INDEX affiliation_workers_commune ON affiliation_workers (commune_code);

-- One declaration per worker and year, with its contribution computed when it was recorded.
CREATE TABLE affiliation_declarations (
  id                      {{ID}},
  worker_id               BIGINT NOT NULL REFERENCES affiliation_workers (id),
  year                    INTEGER NOT NULL,
  declared_base_minor     BIGINT NOT NULL,
  base_minor              BIGINT NOT NULL,
  contribution_minor      BIGINT NOT NULL,
  paid_minor              BIGINT NOT NULL DEFAULT 0,
  currency                TEXT NOT NULL,
  declared_on             TEXT NOT NULL,            -- YYYY-MM-DD
  last_paid_on            TEXT NULL,
  recorded_at             TEXT NOT NULL,
  recorded_by             TEXT NOT NULL
);
CREATE UNIQUE INDEX affiliation_declarations_worker_year ON affiliation_declarations (worker_id, year);

-- An imported list; its rows are matched by an `affiliation_match` job (src/jobs).
CREATE TABLE affiliation_lists (
  id                      {{ID}},
  name                    TEXT NOT NULL,
  fund                    TEXT NOT NULL,
  area_code               TEXT NULL,                -- the uploader's scope: persons matched within it
  status                  TEXT NOT NULL,            -- queued | matched | failed
  job_id                  BIGINT NULL,
  rows_total              BIGINT NOT NULL DEFAULT 0,
  matched                 BIGINT NOT NULL DEFAULT 0,  -- rows linked to a registry person
  proposed                BIGINT NOT NULL DEFAULT 0,
  already_affiliated      BIGINT NOT NULL DEFAULT 0,
  previously_rejected     BIGINT NOT NULL DEFAULT 0,
  uploaded_at             TEXT NOT NULL,
  uploaded_by             TEXT NOT NULL
);

CREATE TABLE affiliation_list_rows (
  list_id                 BIGINT NOT NULL REFERENCES affiliation_lists (id),
  line                    BIGINT NOT NULL,
  record_id               TEXT NOT NULL,
  activity                TEXT NOT NULL,
  registration_number     TEXT NULL,
  person                  TEXT NOT NULL,            -- JSON: the registry's canonical person columns given
  PRIMARY KEY (list_id, record_id)
);

-- What a review decides. A rejection is remembered by (person, fund, source key): a later list holding
-- the same register entry for the same person does not propose it again.
CREATE TABLE affiliation_proposals (
  id                      {{ID}},
  list_id                 BIGINT NOT NULL REFERENCES affiliation_lists (id),
  record_id               TEXT NOT NULL,
  person_id               BIGINT NOT NULL REFERENCES persons (id),
  commune_code            TEXT NOT NULL,            -- scope: the person's household's commune when matched
  fund                    TEXT NOT NULL,
  activity                TEXT NOT NULL,
  registration_number     TEXT NULL,
  source_key              TEXT NOT NULL,            -- registration_number, else the list's record id
  weight                  DOUBLE PRECISION NOT NULL,  -- the linkage match weight
  status                  TEXT NOT NULL,            -- pending | accepted | rejected
  decided_at              TEXT NULL,
  decided_by              TEXT NULL,
  comment                 TEXT NULL,
  worker_id               BIGINT NULL REFERENCES affiliation_workers (id)
);
CREATE UNIQUE INDEX affiliation_proposals_list_record ON affiliation_proposals (list_id, record_id);
CREATE INDEX affiliation_proposals_person ON affiliation_proposals (person_id, fund, source_key);
CREATE INDEX affiliation_proposals_status ON affiliation_proposals (status, id);

-- The awareness campaign: who was contacted, where and when.
CREATE TABLE affiliation_contacts (
  id                      {{ID}},
  person_id               BIGINT NOT NULL REFERENCES persons (id),
  commune_code            TEXT NOT NULL,
  contacted_on            TEXT NOT NULL,            -- YYYY-MM-DD
  channel                 TEXT NOT NULL,            -- visit | phone | sms | meeting
  recorded_at             TEXT NOT NULL,
  recorded_by             TEXT NOT NULL
);
CREATE INDEX affiliation_contacts_commune ON affiliation_contacts (commune_code);
