-- Social registry: households and persons (current state), their versions (history and as-of reads),
-- change requests with their targets, import staging, and the benefit ledger.
-- Columns mirror src/registry_model/fields.h (a storage test checks that they agree).

CREATE TABLE households (
  id                      {{ID}},
  ref                     TEXT,
  source_ref              TEXT,
  commune_code            TEXT,
  urban                   BIGINT,
  address                 TEXT,
  gps_lat                 DOUBLE PRECISION,
  gps_lon                 DOUBLE PRECISION,
  dwelling_type           TEXT,
  tenure                  TEXT,
  rooms                   BIGINT,
  wall_material           TEXT,
  roof_material           TEXT,
  water_source            TEXT,
  electricity             TEXT,
  sanitation              TEXT,
  currency                TEXT,
  spend_electricity       BIGINT,
  spend_water             BIGINT,
  spend_butane            BIGINT,
  spend_telephone         BIGINT,
  has_refrigerator        BIGINT,
  has_television          BIGINT,
  has_washing_machine     BIGINT,
  has_car                 BIGINT,
  has_motorcycle          BIGINT,
  livestock_units         BIGINT,
  land_hectares           DOUBLE PRECISION,
  registration_channel    TEXT,
  registration_date       TEXT,
  latent_log_consumption  DOUBLE PRECISION,
  status                  TEXT,
  exit_reason             TEXT,
  version                 BIGINT NOT NULL DEFAULT 1,
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX households_ref ON households (ref);
CREATE UNIQUE INDEX households_source_ref ON households (source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX households_commune ON households (commune_code);

CREATE TABLE persons (
  id                      {{ID}},
  household_id            BIGINT NOT NULL REFERENCES households (id),
  record_id               TEXT,
  source_ref              TEXT,
  relationship            TEXT,
  given_name_ar           TEXT,
  family_name_ar          TEXT,
  given_name_lat          TEXT,
  family_name_lat         TEXT,
  father_name_ar          TEXT,
  mother_name_ar          TEXT,
  sex                     TEXT,
  birth_date              TEXT,
  birth_commune_code      TEXT,
  national_id             TEXT,
  phone                   TEXT,
  marital_status          TEXT,
  schooling               TEXT,
  education_level         TEXT,
  disability_type         TEXT,
  disability_percent      BIGINT,
  occupation              TEXT,
  employment_status       TEXT,
  social_security_fund    TEXT,
  social_security_number  TEXT,
  family_allowances       BIGINT,
  status                  TEXT,
  exit_reason             TEXT,
  merged_into             BIGINT NULL,
  version                 BIGINT NOT NULL DEFAULT 1,
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX persons_record_id ON persons (record_id);
CREATE UNIQUE INDEX persons_source_ref ON persons (source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX persons_household ON persons (household_id);
CREATE INDEX persons_national_id ON persons (national_id);
CREATE INDEX persons_phone ON persons (phone);

-- Every version of every household and person row: valid from the moment the change request that wrote
-- it was applied until the next one (valid_to '9999-12-31T00:00:00Z' while current).
CREATE TABLE household_versions (
  household_id            BIGINT NOT NULL,
  version                 BIGINT NOT NULL,
  valid_from              TEXT NOT NULL,
  valid_to                TEXT NOT NULL,
  change_request_id       BIGINT NULL,
  ref                     TEXT,
  source_ref              TEXT,
  commune_code            TEXT,
  urban                   BIGINT,
  address                 TEXT,
  gps_lat                 DOUBLE PRECISION,
  gps_lon                 DOUBLE PRECISION,
  dwelling_type           TEXT,
  tenure                  TEXT,
  rooms                   BIGINT,
  wall_material           TEXT,
  roof_material           TEXT,
  water_source            TEXT,
  electricity             TEXT,
  sanitation              TEXT,
  currency                TEXT,
  spend_electricity       BIGINT,
  spend_water             BIGINT,
  spend_butane            BIGINT,
  spend_telephone         BIGINT,
  has_refrigerator        BIGINT,
  has_television          BIGINT,
  has_washing_machine     BIGINT,
  has_car                 BIGINT,
  has_motorcycle          BIGINT,
  livestock_units         BIGINT,
  land_hectares           DOUBLE PRECISION,
  registration_channel    TEXT,
  registration_date       TEXT,
  latent_log_consumption  DOUBLE PRECISION,
  status                  TEXT,
  exit_reason             TEXT,
  PRIMARY KEY (household_id, version)
);

CREATE TABLE person_versions (
  person_id               BIGINT NOT NULL,
  version                 BIGINT NOT NULL,
  household_id            BIGINT NOT NULL,
  valid_from              TEXT NOT NULL,
  valid_to                TEXT NOT NULL,
  change_request_id       BIGINT NULL,
  record_id               TEXT,
  source_ref              TEXT,
  relationship            TEXT,
  given_name_ar           TEXT,
  family_name_ar          TEXT,
  given_name_lat          TEXT,
  family_name_lat         TEXT,
  father_name_ar          TEXT,
  mother_name_ar          TEXT,
  sex                     TEXT,
  birth_date              TEXT,
  birth_commune_code      TEXT,
  national_id             TEXT,
  phone                   TEXT,
  marital_status          TEXT,
  schooling               TEXT,
  education_level         TEXT,
  disability_type         TEXT,
  disability_percent      BIGINT,
  occupation              TEXT,
  employment_status       TEXT,
  social_security_fund    TEXT,
  social_security_number  TEXT,
  family_allowances       BIGINT,
  status                  TEXT,
  exit_reason             TEXT,
  merged_into             BIGINT NULL,
  PRIMARY KEY (person_id, version)
);
CREATE INDEX person_versions_household ON person_versions (household_id, valid_from);

CREATE TABLE change_requests (
  id                      {{ID}},
  kind                    TEXT NOT NULL,
  status                  TEXT NOT NULL,            -- pending | applied | rejected
  author_id               BIGINT NULL,
  author_username         TEXT NOT NULL,
  created_at              TEXT NOT NULL,
  summary                 TEXT NOT NULL,
  payload                 TEXT NOT NULL,            -- JSON; for imports, rows live in the staging tables
  area_code               TEXT NULL,                -- where it applies (scope of the reviewers' inbox)
  item_count              BIGINT NOT NULL DEFAULT 1,
  reviewer_id             BIGINT NULL,
  reviewer_username       TEXT NULL,
  reviewed_at             TEXT NULL,
  review_comment          TEXT NULL
);
CREATE INDEX change_requests_status ON change_requests (status, id);

-- The records a request touches and their version when it was filed: two pending requests sharing a
-- target conflict, and a request whose target moved on since it was filed needs a second review.
CREATE TABLE change_request_targets (
  change_request_id       BIGINT NOT NULL REFERENCES change_requests (id),
  record_type             TEXT NOT NULL,            -- household | person
  record_id               BIGINT NOT NULL,
  base_version            BIGINT NOT NULL,
  PRIMARY KEY (change_request_id, record_type, record_id)
);
CREATE INDEX change_request_targets_record ON change_request_targets (record_type, record_id);

CREATE TABLE staged_households (
  change_request_id       BIGINT NOT NULL REFERENCES change_requests (id),
  row_no                  BIGINT NOT NULL,
  ref                     TEXT,
  source_ref              TEXT,
  commune_code            TEXT,
  urban                   BIGINT,
  address                 TEXT,
  gps_lat                 DOUBLE PRECISION,
  gps_lon                 DOUBLE PRECISION,
  dwelling_type           TEXT,
  tenure                  TEXT,
  rooms                   BIGINT,
  wall_material           TEXT,
  roof_material           TEXT,
  water_source            TEXT,
  electricity             TEXT,
  sanitation              TEXT,
  currency                TEXT,
  spend_electricity       BIGINT,
  spend_water             BIGINT,
  spend_butane            BIGINT,
  spend_telephone         BIGINT,
  has_refrigerator        BIGINT,
  has_television          BIGINT,
  has_washing_machine     BIGINT,
  has_car                 BIGINT,
  has_motorcycle          BIGINT,
  livestock_units         BIGINT,
  land_hectares           DOUBLE PRECISION,
  registration_channel    TEXT,
  registration_date       TEXT,
  latent_log_consumption  DOUBLE PRECISION,
  status                  TEXT,
  exit_reason             TEXT,
  PRIMARY KEY (change_request_id, row_no)
);

CREATE TABLE staged_persons (
  change_request_id       BIGINT NOT NULL REFERENCES change_requests (id),
  row_no                  BIGINT NOT NULL,
  household_ref           TEXT NOT NULL,            -- as written in the file: a household's ref or source_ref
  household_id            BIGINT NOT NULL,          -- resolved when the file was validated
  record_id               TEXT,
  source_ref              TEXT,
  relationship            TEXT,
  given_name_ar           TEXT,
  family_name_ar          TEXT,
  given_name_lat          TEXT,
  family_name_lat         TEXT,
  father_name_ar          TEXT,
  mother_name_ar          TEXT,
  sex                     TEXT,
  birth_date              TEXT,
  birth_commune_code      TEXT,
  national_id             TEXT,
  phone                   TEXT,
  marital_status          TEXT,
  schooling               TEXT,
  education_level         TEXT,
  disability_type         TEXT,
  disability_percent      BIGINT,
  occupation              TEXT,
  employment_status       TEXT,
  social_security_fund    TEXT,
  social_security_number  TEXT,
  family_allowances       BIGINT,
  status                  TEXT,
  exit_reason             TEXT,
  PRIMARY KEY (change_request_id, row_no)
);

-- The benefit ledger: every aid delivered to a person or a household, by any programme.
CREATE TABLE benefits (
  id                      {{ID}},
  person_id               BIGINT NULL REFERENCES persons (id),
  household_id            BIGINT NULL REFERENCES households (id),
  programme               TEXT NOT NULL,
  kind                    TEXT NOT NULL,            -- cash | in_kind | service
  benefit_date            TEXT NOT NULL,
  amount_minor            BIGINT NULL,              -- cash: centimes / santimes
  currency                TEXT NULL,
  quantity                DOUBLE PRECISION NULL,    -- in kind / service
  unit                    TEXT NULL,
  reference               TEXT NOT NULL,
  source                  TEXT NOT NULL,            -- module that recorded it
  recorded_at             TEXT NOT NULL,
  recorded_by             TEXT NOT NULL,
  CHECK (person_id IS NOT NULL OR household_id IS NOT NULL)
);
CREATE INDEX benefits_person ON benefits (person_id, benefit_date);
CREATE INDEX benefits_household ON benefits (household_id, benefit_date);
CREATE UNIQUE INDEX benefits_reference ON benefits (source, reference);
