-- Case management (src/cases, docs/cases.md): cases of social workers with their timeline, the
-- assessment protocols per case type and their answers, notes (confidential ones encrypted by the
-- application: the key never reaches the database), shared access (referrals to a colleague) and a
-- pending transfer. The stage is derived from the events by cases::DeriveStage in the same transaction
-- as every write and stored beside them (stage, stage_since, due_at) so that the overdue list is one
-- indexed query; it is never written from anywhere else.

CREATE TABLE case_protocols (
  case_type               TEXT PRIMARY KEY,         -- elderly_person | homeless_person | child_at_risk | …
  items                   TEXT NOT NULL,            -- JSON array of {"code", "required"}
  version                 BIGINT NOT NULL DEFAULT 1,
  updated_at              TEXT NOT NULL,
  updated_by              TEXT NOT NULL
);

CREATE TABLE cases (
  id                      {{ID}},
  case_type               TEXT NOT NULL,
  origin                  TEXT NOT NULL,            -- report | walk_in | referral
  origin_ref              TEXT NULL,                -- the citizen report's reference (origin report)
  commune_code            TEXT NOT NULL,            -- scope
  unit                    TEXT NULL,                -- the team or mobile unit holding the case
  summary                 TEXT NOT NULL,
  status                  TEXT NOT NULL,            -- open | closed
  stage                   TEXT NOT NULL,            -- derived: intake | assessment | plan | services | follow_up | closed
  stage_since             TEXT NOT NULL,            -- derived: when the case entered its stage
  due_at                  TEXT NULL,                -- derived: the stage's deadline (open cases)
  escalation_level        BIGINT NOT NULL DEFAULT 0,  -- 0 none, 1 supervisor, 2 regional coordinator
  owner                   TEXT NOT NULL,            -- the assigned worker (username)
  supervisor              TEXT NULL,                -- the worker's supervisor for this case
  transfer_to             TEXT NULL,                -- a transfer waiting for the receiver's acceptance
  person_id               BIGINT NULL,              -- linked registry person
  household_id            BIGINT NULL,              -- linked registry household
  outcome                 TEXT NULL,                -- closed: the outcome
  protocol_version        BIGINT NOT NULL DEFAULT 1,
  opened_at               TEXT NOT NULL,
  opened_by               TEXT NOT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cases_commune ON cases (commune_code, status);
CREATE INDEX cases_owner ON cases (owner, status);
CREATE INDEX cases_due ON cases (status, due_at);

-- The timeline: one row per act, never updated. Details are JSON without any note text.
CREATE TABLE case_events (
  id                      {{ID}},
  case_id                 BIGINT NOT NULL REFERENCES cases (id),
  at                      TEXT NOT NULL,
  by_user                 TEXT NOT NULL,
  kind                    TEXT NOT NULL,            -- opened | answer | plan | service | referral | visit | closed | reopened | …
  details                 TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- The current answer to each item of the case's checklist (their history is in case_events).
CREATE TABLE case_answers (
  case_id                 BIGINT NOT NULL REFERENCES cases (id),
  item                    TEXT NOT NULL,
  answer                  TEXT NOT NULL,            -- yes | no | unknown
  comment                 TEXT NULL,
  answered_at             TEXT NOT NULL,
  answered_by             TEXT NOT NULL,
  PRIMARY KEY (case_id, item)
);

-- Users a case is referred to: they read it and act on it; the owner stays the owner.
CREATE TABLE case_shares (
  case_id                 BIGINT NOT NULL REFERENCES cases (id),
  username                TEXT NOT NULL,
  shared_at               TEXT NOT NULL,
  shared_by               TEXT NOT NULL,
  PRIMARY KEY (case_id, username)
);
CREATE INDEX case_shares_user ON case_shares (username);

-- Notes. A confidential note's body is NULL; its text is sealed (XChaCha20-Poly1305, libsodium) with
-- the key from the configuration, and the ciphertext is bound to the case and the note's author.
CREATE TABLE case_notes (
  id                      {{ID}},
  case_id                 BIGINT NOT NULL REFERENCES cases (id),
  confidential            BIGINT NOT NULL DEFAULT 0,
  topic                   TEXT NULL,                -- confidential: counselling | child_protection | violence
  body                    TEXT NULL,
  sealed                  TEXT NULL,                -- base64(nonce || ciphertext)
  written_at              TEXT NOT NULL,
  written_by              TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, id);

-- The default assessment checklists (docs/cases.md); supervisors may replace them.
INSERT INTO case_protocols (case_type, items, updated_at, updated_by) VALUES
  ('elderly_person', '[{"code":"immediate_danger","required": true},{"code":"lives_alone","required": true},{"code":"health_needs","required": true},{"code":"family_support","required": true},{"code":"income","required": false}]', '2026-01-01T00:00:00Z', 'system'),
  ('homeless_person', '[{"code":"immediate_danger","required": true},{"code":"shelter_tonight","required": true},{"code":"health_needs","required": true},{"code":"identity_papers","required": true},{"code":"family_contact","required": false}]', '2026-01-01T00:00:00Z', 'system'),
  ('child_at_risk', '[{"code":"immediate_danger","required": true},{"code":"in_school","required": true},{"code":"violence_signs","required": true},{"code":"parental_care","required": true},{"code":"early_marriage_risk","required": true}]', '2026-01-01T00:00:00Z', 'system'),
  ('woman_in_difficulty', '[{"code":"immediate_danger","required": true},{"code":"violence_signs","required": true},{"code":"shelter_tonight","required": true},{"code":"income","required": true},{"code":"children_in_care","required": false}]', '2026-01-01T00:00:00Z', 'system'),
  ('person_with_disability', '[{"code":"disability_card","required": true},{"code":"health_needs","required": true},{"code":"assistive_devices","required": true},{"code":"family_support","required": true},{"code":"income","required": false}]', '2026-01-01T00:00:00Z', 'system'),
  ('family_in_crisis', '[{"code":"immediate_danger","required": true},{"code":"income","required": true},{"code":"housing","required": true},{"code":"children_in_school","required": true},{"code":"health_needs","required": false}]', '2026-01-01T00:00:00Z', 'system');
