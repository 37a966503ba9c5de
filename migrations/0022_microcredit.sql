-- Micro-credit (src/microcredit, docs/microcredit.md): ANGEM applications from the officer's entry to the
-- committee's decision, the loans disbursed with their schedules, repayments entered or imported, and
-- the yearly quotas of projects per commune and wilaya. Amounts are minor units (santimes); dates
-- YYYY-MM-DD; timestamps ISO-8601 UTC text.

-- Projects a commune or a wilaya may fund in a year (e.g. 700 in a wilaya spread over its communes).
CREATE TABLE microcredit_quotas (
  year                    BIGINT NOT NULL,
  area_code               TEXT NOT NULL,            -- a wilaya (DZ-31) or a commune (DZ-3101)
  projects                BIGINT NOT NULL,
  updated_at              TEXT NOT NULL,
  updated_by              TEXT NOT NULL,
  PRIMARY KEY (year, area_code)
);

CREATE TABLE microcredit_applications (
  id                      {{ID}},
  person_id               BIGINT NOT NULL REFERENCES persons (id),
  commune_code            TEXT NOT NULL,            -- scope: the applicant's household's commune on the day
  wilaya_code             TEXT NOT NULL,
  product                 TEXT NOT NULL,            -- PNR | TRIANGULAR
  amount_minor            BIGINT NOT NULL,
  applied_on              TEXT NOT NULL,
  activity                TEXT NOT NULL,
  -- submitted | ineligible | waiting_quota | approved | rejected | disbursed
  state                   TEXT NOT NULL,
  reasons                 TEXT NOT NULL,            -- JSON [{"reason","params"}]: why ineligible or waiting
  training_required       BIGINT NOT NULL DEFAULT 0,
  training_sessions       BIGINT NOT NULL DEFAULT 0,  -- sessions attended
  training_completed      BIGINT NOT NULL DEFAULT 0,
  decision_minutes        TEXT NULL,
  decided_by              TEXT NULL,
  decided_at              TEXT NULL,
  created_by              TEXT NOT NULL,
  created_at              TEXT NOT NULL
);
CREATE INDEX microcredit_applications_person ON microcredit_applications (person_id);
CREATE INDEX microcredit_applications_quota ON microcredit_applications (wilaya_code, applied_on);
CREATE INDEX microcredit_applications_state ON microcredit_applications (state, id);

-- Each committee member's score of an application (one per member; four eyes: the decision is taken by
-- a member other than the officer who entered it).
CREATE TABLE microcredit_scores (
  application_id          BIGINT NOT NULL REFERENCES microcredit_applications (id),
  member                  TEXT NOT NULL,
  score                   BIGINT NOT NULL,          -- 0..20
  comment                 TEXT NOT NULL,
  scored_at               TEXT NOT NULL,
  PRIMARY KEY (application_id, member)
);

CREATE TABLE microcredit_loans (
  id                      {{ID}},
  application_id          BIGINT NOT NULL REFERENCES microcredit_applications (id),
  person_id               BIGINT NOT NULL REFERENCES persons (id),
  product                 TEXT NOT NULL,
  lender                  TEXT NOT NULL,            -- ANGEM | bank (triangular: two linked loans)
  principal_minor         BIGINT NOT NULL,
  currency                TEXT NOT NULL,
  disbursed_on            TEXT NOT NULL,
  commune_code            TEXT NOT NULL,
  wilaya_code             TEXT NOT NULL,
  sex                     TEXT NULL,                -- the borrower's, for the portfolio by sex
  state                   TEXT NOT NULL,            -- active | closed | written_off
  closed_on               TEXT NULL,
  written_off_on          TEXT NULL,
  created_by              TEXT NOT NULL,
  created_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX microcredit_loans_application ON microcredit_loans (application_id, lender);
CREATE INDEX microcredit_loans_person ON microcredit_loans (person_id);
CREATE INDEX microcredit_loans_wilaya ON microcredit_loans (wilaya_code, commune_code);

CREATE TABLE microcredit_instalments (
  loan_id                 BIGINT NOT NULL REFERENCES microcredit_loans (id),
  n                       BIGINT NOT NULL,
  due_on                  TEXT NOT NULL,
  principal_minor         BIGINT NOT NULL,
  PRIMARY KEY (loan_id, n)
);

CREATE TABLE microcredit_repayments (
  id                      {{ID}},
  loan_id                 BIGINT NOT NULL REFERENCES microcredit_loans (id),
  paid_on                 TEXT NOT NULL,
  amount_minor            BIGINT NOT NULL,
  reference               TEXT NOT NULL,            -- the bank's or post office's reference
  source                  TEXT NOT NULL,            -- entered | import
  recorded_by             TEXT NOT NULL,
  recorded_at             TEXT NOT NULL
);
CREATE UNIQUE INDEX microcredit_repayments_reference ON microcredit_repayments (reference);
CREATE INDEX microcredit_repayments_loan ON microcredit_repayments (loan_id, paid_on);

-- Rescheduling of an active loan: requested by an officer, applied once a committee member other than
-- the requester approves it (the unpaid principal spread over new monthly instalments).
CREATE TABLE microcredit_reschedules (
  id                      {{ID}},
  loan_id                 BIGINT NOT NULL REFERENCES microcredit_loans (id),
  instalments             BIGINT NOT NULL,
  first_due_on            TEXT NOT NULL,
  reason                  TEXT NOT NULL,
  state                   TEXT NOT NULL,            -- pending | approved | rejected
  requested_by            TEXT NOT NULL,
  requested_at            TEXT NOT NULL,
  decided_by              TEXT NULL,
  decided_at              TEXT NULL
);
CREATE INDEX microcredit_reschedules_loan ON microcredit_reschedules (loan_id, state);
