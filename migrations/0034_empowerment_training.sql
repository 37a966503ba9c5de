-- Trainings of the women's empowerment platform (src/empowerment/training*, docs/empowerment.md#trainings):
-- sessions with their capacity, the women registered (or waiting) for a seat, attendance per session day,
-- and the certificates printed for those who completed, each verified publicly by the hash of its code.

CREATE TABLE empowerment_trainings (
  id                      {{ID}},
  topic                   TEXT NOT NULL,            -- digital_skills | business_creation | management | other
  title_ar                TEXT NOT NULL,
  title_fr                TEXT NOT NULL,
  title_en                TEXT NULL,
  trainers                TEXT NOT NULL,            -- JSON array of {"name", "username"?}
  capacity                BIGINT NOT NULL,
  commune_code            TEXT NOT NULL,            -- where it is held (online: the organising commune); scope
  address                 TEXT NULL,
  online_link             TEXT NULL,                -- set for an online session, then no address
  starts_at               TEXT NOT NULL,            -- ISO UTC
  ends_at                 TEXT NOT NULL,            -- ISO UTC
  days                    TEXT NOT NULL,            -- JSON array of the session days (YYYY-MM-DD, Casablanca)
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL
);
CREATE INDEX empowerment_trainings_commune ON empowerment_trainings (commune_code, starts_at);
CREATE INDEX empowerment_trainings_starts ON empowerment_trainings (starts_at);

-- A woman's place in a session: registered (a seat), waiting (in order of id), cancelled, completed.
CREATE TABLE empowerment_training_enrolments (
  id                      {{ID}},
  training_id             BIGINT NOT NULL REFERENCES empowerment_trainings (id),
  registration_id         BIGINT NOT NULL REFERENCES empowerment_registrations (id),
  status                  TEXT NOT NULL,            -- registered | waiting | cancelled | completed
  enrolled_at             TEXT NOT NULL,
  enrolled_by             TEXT NOT NULL,
  cancelled_at            TEXT NULL,
  completed_on            TEXT NULL                 -- the session day her attendance reached the rule
);
CREATE UNIQUE INDEX empowerment_training_enrolments_woman ON empowerment_training_enrolments (training_id, registration_id);
CREATE INDEX empowerment_training_enrolments_registration ON empowerment_training_enrolments (registration_id, status);

CREATE TABLE empowerment_training_attendance (
  enrolment_id            BIGINT NOT NULL REFERENCES empowerment_training_enrolments (id),
  day                     TEXT NOT NULL,            -- a session day
  mark                    TEXT NOT NULL,            -- present | absent | excused
  recorded_at             TEXT NOT NULL,
  recorded_by             TEXT NOT NULL,
  PRIMARY KEY (enrolment_id, day)
);

-- Every printed certificate has its own verification code; only its SHA-256 is kept.
CREATE TABLE empowerment_certificates (
  id                      {{ID}},
  enrolment_id            BIGINT NOT NULL REFERENCES empowerment_training_enrolments (id),
  code_hash               TEXT NOT NULL,
  lang                    TEXT NOT NULL,            -- ar | fr
  issued_at               TEXT NOT NULL,
  issued_by               TEXT NOT NULL
);
CREATE UNIQUE INDEX empowerment_certificates_code ON empowerment_certificates (code_hash);
CREATE INDEX empowerment_certificates_enrolment ON empowerment_certificates (enrolment_id);

-- Accompaniment and monitoring visits (issue 13 §3, §4). Monitoring falls due 6, 12 and 24 months after
-- the day her activity started, which staff record on her file.
ALTER TABLE empowerment_registrations ADD COLUMN activity_started_on TEXT NULL;

CREATE TABLE empowerment_visits (
  id                      {{ID}},
  registration_id         BIGINT NOT NULL REFERENCES empowerment_registrations (id),
  kind                    TEXT NOT NULL,            -- accompaniment | monitoring
  visited_on              TEXT NOT NULL,
  visitor                 TEXT NOT NULL,
  notes                   TEXT NULL,                -- plain text
  next_step               TEXT NULL,
  next_step_due           TEXT NULL,                -- overdue while no later visit is recorded
  milestone_months        BIGINT NULL,              -- monitoring: 6 | 12 | 24
  activity_running        BIGINT NULL,              -- monitoring: 1 | 0
  monthly_income          BIGINT NULL,              -- monitoring: minor units
  jobs_created            BIGINT NULL,              -- monitoring
  recorded_at             TEXT NOT NULL,
  recorded_by             TEXT NOT NULL
);
CREATE INDEX empowerment_visits_registration ON empowerment_visits (registration_id, visited_on);
CREATE INDEX empowerment_visits_due ON empowerment_visits (next_step_due);
