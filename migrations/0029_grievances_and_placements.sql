-- Grievances and appeals (src/grievances, docs/grievances.md) and alternative-care placements of
-- children in cases (src/cases, docs/cases.md#placements), issue 11 §5–§6.

-- The SLA of each category in calendar days (configurable; the defaults are documented in
-- docs/grievances.md and repeated in grievances::kDefaultSla).
CREATE TABLE grievance_categories (
  category                TEXT PRIMARY KEY,         -- exclusion_error | wrong_amount | payment_not_received | …
  sla_days                BIGINT NOT NULL,
  updated_at              TEXT NOT NULL,
  updated_by              TEXT NOT NULL
);
INSERT INTO grievance_categories (category, sla_days, updated_at, updated_by) VALUES
  ('exclusion_error', 30, '2026-01-01T00:00:00Z', 'system'),
  ('wrong_amount', 15, '2026-01-01T00:00:00Z', 'system'),
  ('payment_not_received', 7, '2026-01-01T00:00:00Z', 'system'),
  ('staff_conduct', 15, '2026-01-01T00:00:00Z', 'system'),
  ('case_handling', 15, '2026-01-01T00:00:00Z', 'system'),
  ('other', 30, '2026-01-01T00:00:00Z', 'system');

CREATE TABLE grievances (
  id                      {{ID}},
  code_hash               TEXT NOT NULL,            -- SHA-256 (hex) of the tracking code, never the code
  channel                 TEXT NOT NULL,            -- web | phone | counter | worker
  category                TEXT NOT NULL,
  description             TEXT NOT NULL,
  complainant_name        TEXT NULL,
  complainant_phone       TEXT NULL,
  national_id             TEXT NULL,
  household_ref           TEXT NULL,                -- as the citizen typed it
  payment_reference       TEXT NULL,                -- as the citizen typed it
  link_kind               TEXT NOT NULL,            -- none | decision | payment | case | household
  programme               TEXT NULL,                -- decision: the programme's code
  cycle_id                BIGINT NULL,              -- decision: the cycle, when given
  household_id            BIGINT NULL,
  payment_id              BIGINT NULL,
  case_id                 BIGINT NULL,
  commune_code            TEXT NOT NULL,            -- scope: the linked record's commune, else the one given
  status                  TEXT NOT NULL,            -- received | under_review | resolved | appealed | appeal_decided | closed
  sla_days                BIGINT NOT NULL,
  due_at                  TEXT NULL,                -- the current deadline (filing, then appeal); NULL once answered
  escalated_at            TEXT NULL,                -- the current deadline was missed and escalated
  filed_at                TEXT NOT NULL,
  filed_by                TEXT NULL,                -- the worker; NULL: the citizen on the public form
  reviewer                TEXT NULL,
  resolved_at             TEXT NULL,
  resolved_by             TEXT NULL,
  outcome                 TEXT NULL,                -- upheld | partly_upheld | rejected
  resolution              TEXT NULL,                -- public: shown on the citizen's status page
  internal_note           TEXT NULL,                -- staff only
  appealed_at             TEXT NULL,
  appealed_by             TEXT NULL,                -- NULL: the citizen, by tracking code
  appeal_reason           TEXT NULL,
  appeal_decided_at       TEXT NULL,
  appeal_decided_by       TEXT NULL,                -- never the first resolver (four eyes)
  appeal_outcome          TEXT NULL,
  appeal_decision         TEXT NULL,                -- public
  closed_at               TEXT NULL,
  closed_by               TEXT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX grievances_code ON grievances (code_hash);
CREATE INDEX grievances_commune ON grievances (commune_code, status);
CREATE INDEX grievances_due ON grievances (status, due_at);

-- The timeline of a grievance: one row per act, never updated.
CREATE TABLE grievance_events (
  id                      {{ID}},
  grievance_id            BIGINT NOT NULL REFERENCES grievances (id),
  at                      TEXT NOT NULL,
  by_user                 TEXT NULL,                -- NULL: the citizen
  kind                    TEXT NOT NULL,            -- filed | review | resolved | appealed | appeal_decided | closed | escalated
  details                 TEXT NOT NULL             -- JSON
);
CREATE INDEX grievance_events_grievance ON grievance_events (grievance_id, id);

-- Alternative-care placements of a child of a case: foster family, kafala (law 15-01) or institution.
-- next_visit_due is derived (cases::NextVisitDue) in the transaction of every write.
CREATE TABLE case_placements (
  id                      {{ID}},
  case_id                 BIGINT NOT NULL REFERENCES cases (id),
  person_id               BIGINT NULL,              -- the child in the registry; NULL: the case's child
  kind                    TEXT NOT NULL,            -- foster_family | kafala | institution
  carer                   TEXT NOT NULL,            -- the carer's or the institution's name
  start_date              TEXT NOT NULL,
  end_date                TEXT NULL,
  status                  TEXT NOT NULL,            -- active | ended
  next_visit_due          TEXT NULL,                -- active placements: the date of the next follow-up visit
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL
);
CREATE INDEX case_placements_case ON case_placements (case_id);
CREATE INDEX case_placements_due ON case_placements (status, next_visit_due);

CREATE TABLE placement_visits (
  id                      {{ID}},
  placement_id            BIGINT NOT NULL REFERENCES case_placements (id),
  visit_date              TEXT NOT NULL,
  worker                  TEXT NOT NULL,
  note                    TEXT NOT NULL,
  next_visit              TEXT NULL,                -- an earlier date set by the worker, else the schedule's
  recorded_at             TEXT NOT NULL
);
CREATE INDEX placement_visits_placement ON placement_visits (placement_id, visit_date);
