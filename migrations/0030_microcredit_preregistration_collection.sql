-- Micro-credit, second part (src/microcredit, docs/microcredit.md): the citizens' public
-- pre-registrations (reached by a tracking code of which only the SHA-256 is stored) that an officer
-- converts into an application, and the collection tasks of officers on loans in arrears.

CREATE TABLE microcredit_preregistrations (
  id                      {{ID}},
  code_hash               TEXT NOT NULL,            -- SHA-256 (hex) of the tracking code, never the code
  status                  TEXT NOT NULL,            -- received | converted | rejected
  given_name_ar           TEXT NULL,
  family_name_ar          TEXT NULL,
  given_name_lat          TEXT NULL,
  family_name_lat         TEXT NULL,
  birth_date              TEXT NOT NULL,
  national_id             TEXT NOT NULL,            -- NIN (18 digits)
  sex                     TEXT NOT NULL,            -- M | F
  wilaya_code             TEXT NOT NULL,
  commune_code            TEXT NOT NULL,            -- scope
  phone                   TEXT NOT NULL,            -- E.164
  education               TEXT NULL,
  product                 TEXT NOT NULL,            -- PNR | TRIANGULAR
  project_idea            TEXT NOT NULL,
  estimated_cost_minor    BIGINT NOT NULL,
  preview                 TEXT NOT NULL,            -- JSON [{"reason","params"}]: the eligibility preview
  application_id          BIGINT NULL REFERENCES microcredit_applications (id),
  reject_reason           TEXT NULL,                -- shown to the citizen
  decided_by              TEXT NULL,
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX microcredit_preregistrations_code ON microcredit_preregistrations (code_hash);
CREATE INDEX microcredit_preregistrations_commune ON microcredit_preregistrations (commune_code, id);
CREATE INDEX microcredit_preregistrations_status ON microcredit_preregistrations (status, id);

-- Notes of the officers on a pre-registration; the public ones are shown to the citizen by code.
CREATE TABLE microcredit_preregistration_notes (
  id                      {{ID}},
  preregistration_id      BIGINT NOT NULL REFERENCES microcredit_preregistrations (id),
  is_public               BIGINT NOT NULL,
  body                    TEXT NOT NULL,
  written_by              TEXT NOT NULL,
  written_at              TEXT NOT NULL
);
CREATE INDEX microcredit_preregistration_notes_pre ON microcredit_preregistration_notes (preregistration_id, id);

-- An officer's task on a loan: a field visit, a phone call or a promise to pay (with the amount and the
-- date promised; kept or broken is computed from the repayments, never stored).
CREATE TABLE microcredit_collection_tasks (
  id                      {{ID}},
  loan_id                 BIGINT NOT NULL REFERENCES microcredit_loans (id),
  kind                    TEXT NOT NULL,            -- field_visit | phone_call | promise_to_pay
  assigned_to             TEXT NULL,                -- an officer's username; NULL: the commune's officers
  due_on                  TEXT NOT NULL,
  state                   TEXT NOT NULL,            -- open | done
  outcome                 TEXT NULL,
  promised_amount_minor   BIGINT NULL,
  promised_on             TEXT NULL,
  source                  TEXT NOT NULL,            -- officer | nightly (proposed by the ageing job)
  created_by              TEXT NOT NULL,
  created_at              TEXT NOT NULL,
  closed_by               TEXT NULL,
  closed_at               TEXT NULL
);
CREATE INDEX microcredit_collection_tasks_loan ON microcredit_collection_tasks (loan_id, state);
CREATE INDEX microcredit_collection_tasks_assigned ON microcredit_collection_tasks (assigned_to, state, due_on);
