-- Citizen e-services (src/eservices, docs/eservices.md): reports of an elderly person in danger or a
-- homeless person and requests for family counselling, from the public pages, the call centre and
-- Open311; the mobile social units they are dispatched to; notes (public or staff only).

-- Acknowledgement deadlines per service, in minutes (1 h for a person in immediate danger, 24 h
-- otherwise by default); an administrator changes them.
CREATE TABLE eservice_services (
  code                    TEXT PRIMARY KEY,        -- elderly_in_danger | homeless_person | family_counselling
  danger_ack_minutes      BIGINT NOT NULL,
  ack_minutes             BIGINT NOT NULL,
  updated_at              TEXT NULL,
  updated_by              TEXT NULL
);
INSERT INTO eservice_services (code, danger_ack_minutes, ack_minutes) VALUES ('elderly_in_danger', 60, 1440);
INSERT INTO eservice_services (code, danger_ack_minutes, ack_minutes) VALUES ('homeless_person', 60, 1440);
INSERT INTO eservice_services (code, danger_ack_minutes, ack_minutes) VALUES ('family_counselling', 60, 1440);

-- Mobile social units (SAMU social): a base, the communes they cover, their weekly shifts and the
-- accounts that work in them.
CREATE TABLE mobile_units (
  id                      {{ID}},
  code                    TEXT NOT NULL UNIQUE,
  name                    TEXT NOT NULL,
  base_commune            TEXT NOT NULL REFERENCES areas (code),
  base_lat                DOUBLE PRECISION NOT NULL,
  base_lon                DOUBLE PRECISION NOT NULL,
  active                  INTEGER NOT NULL DEFAULT 1,
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL
);
CREATE TABLE mobile_unit_communes (
  unit_id                 BIGINT NOT NULL REFERENCES mobile_units (id),
  commune_code            TEXT NOT NULL REFERENCES areas (code),
  PRIMARY KEY (unit_id, commune_code)
);
CREATE INDEX mobile_unit_communes_commune ON mobile_unit_communes (commune_code);
CREATE TABLE mobile_unit_shifts (
  unit_id                 BIGINT NOT NULL REFERENCES mobile_units (id),
  weekday                 INTEGER NOT NULL,        -- 0 = Sunday … 6 = Saturday
  starts                  TEXT NOT NULL,           -- HH:MM local time (UTC+1)
  ends                    TEXT NOT NULL            -- HH:MM, exclusive; before starts: crosses midnight
);
CREATE INDEX mobile_unit_shifts_unit ON mobile_unit_shifts (unit_id);
CREATE TABLE mobile_unit_members (
  unit_id                 BIGINT NOT NULL REFERENCES mobile_units (id),
  user_id                 BIGINT NOT NULL REFERENCES users (id),
  PRIMARY KEY (unit_id, user_id)
);
CREATE INDEX mobile_unit_members_user ON mobile_unit_members (user_id);

CREATE TABLE eservice_reports (
  id                      {{ID}},
  public_id               TEXT NOT NULL UNIQUE,    -- Open311 service_request_id: random, not sequential
  tracking_hash           TEXT NOT NULL UNIQUE,    -- SHA-256 of the tracking code (the code is never stored)
  service_code            TEXT NOT NULL REFERENCES eservice_services (code),
  channel                 TEXT NOT NULL,           -- web | phone | open311
  commune_code            TEXT NOT NULL REFERENCES areas (code),
  region_code             TEXT NOT NULL,           -- the commune's region / wilaya: its regional coordinator
  lat                     DOUBLE PRECISION NULL,
  lon                     DOUBLE PRECISION NULL,
  description             TEXT NOT NULL,
  apparent_state          TEXT NULL,
  immediate_danger        INTEGER NOT NULL DEFAULT 0,
  topic                   TEXT NULL,               -- family_counselling
  counselling_channel     TEXT NULL,               -- phone | video | in_person
  preferred_times         TEXT NULL,
  white_army              INTEGER NOT NULL DEFAULT 0,
  counsellor_pool         TEXT NULL,               -- family | white_army (counselling requests)
  contact_name            TEXT NULL,
  contact_phone           TEXT NULL,
  contact_email           TEXT NULL,
  status                  TEXT NOT NULL,           -- received | acknowledged | in_progress | case_opened | closed
  unit_id                 BIGINT NULL REFERENCES mobile_units (id),
  dispatch                TEXT NOT NULL,           -- covering | nearest_on_shift | nearest | pool | none
  ack_deadline            TEXT NOT NULL,
  acknowledged_at         TEXT NULL,
  acknowledged_by         TEXT NULL,
  escalated_at            TEXT NULL,               -- the deadline passed unacknowledged: the coordinator's board
  over_limit              INTEGER NOT NULL DEFAULT 0,  -- sent over a rate limit: flagged for triage, kept
  duplicate_of            BIGINT NULL REFERENCES eservice_reports (id),  -- probable duplicate (kept)
  entered_by              TEXT NULL,               -- the call-centre agent who typed a phoned report
  case_ref                TEXT NULL,               -- the case opened from it (case management)
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL
);
CREATE INDEX eservice_reports_unit ON eservice_reports (unit_id, status);
CREATE INDEX eservice_reports_pool ON eservice_reports (counsellor_pool, status);
CREATE INDEX eservice_reports_near ON eservice_reports (service_code, commune_code, created_at);
CREATE INDEX eservice_reports_deadline ON eservice_reports (acknowledged_at, escalated_at, ack_deadline);

CREATE TABLE eservice_report_notes (
  id                      {{ID}},
  report_id               BIGINT NOT NULL REFERENCES eservice_reports (id),
  is_public               INTEGER NOT NULL,        -- 1: shown on the citizen's status page
  body                    TEXT NOT NULL,
  author                  TEXT NOT NULL,
  created_at              TEXT NOT NULL
);
CREATE INDEX eservice_report_notes_report ON eservice_report_notes (report_id, id);
