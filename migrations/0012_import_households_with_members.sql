-- A file of households with their members stages its persons before their households exist: such a
-- staged person names its household by household_ref (the household staged under the same request)
-- and gets its household_id when the request is applied. staged_persons.household_id becomes
-- nullable: NULL = the household is created by the same request.
-- @postgres
ALTER TABLE staged_persons ALTER COLUMN household_id DROP NOT NULL
-- @end
-- SQLite cannot drop a NOT NULL constraint: the staging table is rebuilt (nothing references it).
-- @sqlite
CREATE TABLE staged_persons_0012 (
  change_request_id       BIGINT NOT NULL REFERENCES change_requests (id),
  row_no                  BIGINT NOT NULL,
  household_ref           TEXT NOT NULL,            -- as written in the file: a household's ref or source_ref
  household_id            BIGINT NULL,
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
)
-- @end
-- @sqlite
INSERT INTO staged_persons_0012 SELECT * FROM staged_persons
-- @end
-- @sqlite
DROP TABLE staged_persons
-- @end
-- @sqlite
ALTER TABLE staged_persons_0012 RENAME TO staged_persons
-- @end
-- The review of an import's rows flags a national ID that another row of the same import holds, and
-- a household's page lists the pending imports that add members to it.
CREATE INDEX staged_persons_national_id ON staged_persons (change_request_id, national_id);
CREATE INDEX staged_persons_household ON staged_persons (household_id);
