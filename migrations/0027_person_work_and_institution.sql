-- Two facts about a person that the AFS of executive decree 24-325 (Algeria) reads: whether a head of
-- household is able to work, and whether a person aged 60 or more lives in an institution. Booleans as
-- 0/1 like family_allowances; NULL = not recorded (a rule that needs it is then not computable for the
-- household, never guessed). On the current rows, their versions and the import staging rows.
ALTER TABLE persons ADD COLUMN able_to_work BIGINT NULL;
ALTER TABLE persons ADD COLUMN in_institution BIGINT NULL;
ALTER TABLE person_versions ADD COLUMN able_to_work BIGINT NULL;
ALTER TABLE person_versions ADD COLUMN in_institution BIGINT NULL;
ALTER TABLE staged_persons ADD COLUMN able_to_work BIGINT NULL;
ALTER TABLE staged_persons ADD COLUMN in_institution BIGINT NULL;
-- The cycles' covering index of person versions (0026) holds every column their as-of read uses: rebuilt
-- with the two new ones, so the read still never visits the table rows.
DROP INDEX person_versions_asof;
CREATE INDEX person_versions_asof ON person_versions (household_id, valid_from, valid_to, status, person_id, version,
  relationship, sex, birth_date, marital_status, schooling, disability_percent, employment_status, family_allowances,
  able_to_work, in_institution);
