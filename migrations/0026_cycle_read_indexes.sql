-- Covering indexes for the programme cycles' read of the registry as of a moment (src/cycles/
-- household_batch_store.cpp, docs/cycles.md "Benchmark"): each holds only the columns that read uses,
-- so a national cycle scans about 130 bytes per member and 100 per household instead of the full version
-- rows (names, identifiers, address: about 2 KB per household with the scores' contributions JSON).
-- person_versions_asof starts with the columns of person_versions_household, which it replaces (one
-- index to maintain per person version, as before).
CREATE INDEX person_versions_asof ON person_versions (household_id, valid_from, valid_to, status, person_id, version,
  relationship, sex, birth_date, marital_status, schooling, disability_percent, employment_status, family_allowances);
DROP INDEX person_versions_household;
CREATE INDEX household_versions_asof ON household_versions (household_id, valid_from, valid_to, status, version,
  commune_code, latent_log_consumption);
CREATE INDEX household_scores_asof ON household_scores (household_id, scored_at, score, model, model_version);
