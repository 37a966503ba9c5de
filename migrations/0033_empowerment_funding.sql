-- Funding calls and applications of the women's empowerment platform (src/empowerment,
-- docs/empowerment.md §Funding calls): calls per region and year with an envelope, eligibility and a
-- scoring rubric; applications through the state machine of application_state.h, with reviewers'
-- scores, committee decisions (four eyes), agreement tranches tied to milestones, and their history.
-- The same SQL on SQLite and PostgreSQL.

CREATE TABLE empowerment_calls (
  id                      {{ID}},
  code                    TEXT NOT NULL UNIQUE,
  name_ar                 TEXT NOT NULL,
  name_fr                 TEXT NOT NULL,
  name_en                 TEXT NOT NULL,
  region_code             TEXT NOT NULL,            -- scope: a region of the reference areas
  year                    BIGINT NOT NULL,
  currency                TEXT NOT NULL,            -- MAD | DZD, by the region's country
  envelope_minor          BIGINT NOT NULL,
  opens_at                TEXT NOT NULL,            -- YYYY-MM-DD, first day applications are submitted
  closes_at               TEXT NOT NULL,            -- YYYY-MM-DD, last day
  eligibility             TEXT NOT NULL,            -- JSON: kinds, situations, min_age, max_age
  rubric                  TEXT NOT NULL,            -- JSON array of {code, max_points, weight}
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL,
  updated_at              TEXT NOT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX empowerment_calls_region ON empowerment_calls (region_code, year);

CREATE TABLE empowerment_applications (
  id                      {{ID}},
  call_id                 BIGINT NOT NULL REFERENCES empowerment_calls (id),
  registration_id         BIGINT NOT NULL REFERENCES empowerment_registrations (id),
  commune_code            TEXT NOT NULL,            -- her commune when she applied: scope
  state                   TEXT NOT NULL,            -- application_state.h
  requested_minor         BIGINT NOT NULL,
  summary                 TEXT NOT NULL,
  approved_minor          BIGINT NULL,
  score                   DOUBLE PRECISION NULL,    -- on 100, once two counted reviews
  reasons                 TEXT NULL,                -- JSON array: ineligibility reasons, or the reason given
  public_note             TEXT NULL,                -- shown on her status page
  proposed_decision       TEXT NULL,                -- approved | rejected | deferred, awaiting confirmation
  proposed_amount_minor   BIGINT NULL,
  proposed_reason         TEXT NULL,
  proposed_minutes        TEXT NULL,
  proposed_by             TEXT NULL,
  minutes                 TEXT NULL,                -- of the confirmed decision: staff only
  decided_by              TEXT NULL,
  submitted_at            TEXT NULL,
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL,            -- "public" when she applied by her tracking code
  updated_at              TEXT NOT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX empowerment_applications_one_per_call ON empowerment_applications (call_id, registration_id);
CREATE INDEX empowerment_applications_registration ON empowerment_applications (registration_id);

-- One review per reviewer and application: points per criterion, or a declared conflict of interest.
CREATE TABLE empowerment_reviews (
  application_id          BIGINT NOT NULL REFERENCES empowerment_applications (id),
  reviewer                TEXT NOT NULL,
  conflict_of_interest    BIGINT NOT NULL,
  points                  TEXT NOT NULL,            -- JSON object: criterion code → points
  comment                 TEXT NULL,
  reviewed_at             TEXT NOT NULL,
  PRIMARY KEY (application_id, reviewer)
);

-- The agreement's tranches: each paid when its milestone is declared met, written to the benefit ledger.
CREATE TABLE empowerment_tranches (
  application_id          BIGINT NOT NULL REFERENCES empowerment_applications (id),
  n                       BIGINT NOT NULL,
  milestone               TEXT NOT NULL,
  planned_minor           BIGINT NOT NULL,
  paid_on                 TEXT NULL,
  paid_by                 TEXT NULL,
  benefit_id              BIGINT NULL,              -- the ledger line, when she is linked to a registry person
  PRIMARY KEY (application_id, n)
);

-- Every transition, who made it and why.
CREATE TABLE empowerment_application_events (
  id                      {{ID}},
  application_id          BIGINT NOT NULL REFERENCES empowerment_applications (id),
  from_state              TEXT NULL,
  to_state                TEXT NOT NULL,
  actor                   TEXT NOT NULL,
  at                      TEXT NOT NULL,
  note                    TEXT NULL
);
CREATE INDEX empowerment_application_events_app ON empowerment_application_events (application_id, id);
