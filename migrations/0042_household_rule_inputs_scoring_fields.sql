-- Each member packed in household_rule_inputs also carries disability_type and education_level, after
-- in_institution (src/registry/rule_inputs.h): the socio-economic index counts the members with a
-- disability and those with higher education, and now reads its members' counts from these rows (one per
-- household) instead of stepping through every person of the registry (docs/domain.md §1.2 "Scoring
-- speed"). Every row is written again from the version history, by the statement RuleInputStore runs
-- (tests/storage/rule_inputs_test.cpp checks that both give the same rows).

DELETE FROM household_rule_inputs;

-- @sqlite
INSERT INTO household_rule_inputs (household_id, valid_from, valid_to, household_version, commune_code,
  latent_log_consumption, members)
SELECT sp.household_id, sp.t, sp.t_end, hv.version, hv.commune_code, hv.latent_log_consumption,
  COALESCE((SELECT group_concat(CAST(pv.person_id AS TEXT) || char(31) || CAST(pv.version AS TEXT) || char(31) ||
    COALESCE(pv.relationship, char(21)) || char(31) || COALESCE(pv.sex, char(21)) || char(31) ||
    COALESCE(pv.birth_date, char(21)) || char(31) || COALESCE(pv.marital_status, char(21)) || char(31) ||
    COALESCE(pv.schooling, char(21)) || char(31) || COALESCE(CAST(pv.disability_percent AS TEXT), char(21)) ||
    char(31) || COALESCE(pv.employment_status, char(21)) || char(31) ||
    COALESCE(CAST(pv.family_allowances AS TEXT), char(21)) || char(31) ||
    COALESCE(CAST(pv.able_to_work AS TEXT), char(21)) || char(31) ||
    COALESCE(CAST(pv.in_institution AS TEXT), char(21)) || char(31) ||
    COALESCE(pv.disability_type, char(21)) || char(31) || COALESCE(pv.education_level, char(21)), char(30))
    FROM person_versions pv WHERE pv.household_id = sp.household_id AND pv.valid_from <= sp.t
      AND pv.valid_to > sp.t AND pv.status = 'active'), '')
FROM (SELECT b.household_id, b.t, LEAD(b.t, 1, '9999-12-31T00:00:00Z') OVER (PARTITION BY b.household_id ORDER BY b.t)
        AS t_end
      FROM (SELECT household_id, valid_from AS t FROM household_versions
            UNION SELECT household_id, valid_to FROM household_versions WHERE valid_to <> '9999-12-31T00:00:00Z'
            UNION SELECT household_id, valid_from FROM person_versions
            UNION SELECT household_id, valid_to FROM person_versions WHERE valid_to <> '9999-12-31T00:00:00Z') b) sp
JOIN household_versions hv ON hv.household_id = sp.household_id AND hv.valid_from <= sp.t AND hv.valid_to > sp.t
  AND hv.status = 'active';
-- @end

-- @postgres
INSERT INTO household_rule_inputs (household_id, valid_from, valid_to, household_version, commune_code,
  latent_log_consumption, members)
SELECT sp.household_id, sp.t, sp.t_end, hv.version, hv.commune_code, hv.latent_log_consumption,
  COALESCE((SELECT string_agg(CAST(pv.person_id AS TEXT) || chr(31) || CAST(pv.version AS TEXT) || chr(31) ||
    COALESCE(pv.relationship, chr(21)) || chr(31) || COALESCE(pv.sex, chr(21)) || chr(31) ||
    COALESCE(pv.birth_date, chr(21)) || chr(31) || COALESCE(pv.marital_status, chr(21)) || chr(31) ||
    COALESCE(pv.schooling, chr(21)) || chr(31) || COALESCE(CAST(pv.disability_percent AS TEXT), chr(21)) ||
    chr(31) || COALESCE(pv.employment_status, chr(21)) || chr(31) ||
    COALESCE(CAST(pv.family_allowances AS TEXT), chr(21)) || chr(31) ||
    COALESCE(CAST(pv.able_to_work AS TEXT), chr(21)) || chr(31) ||
    COALESCE(CAST(pv.in_institution AS TEXT), chr(21)) || chr(31) ||
    COALESCE(pv.disability_type, chr(21)) || chr(31) || COALESCE(pv.education_level, chr(21)), chr(30) ORDER BY pv.person_id)
    FROM person_versions pv WHERE pv.household_id = sp.household_id AND pv.valid_from <= sp.t
      AND pv.valid_to > sp.t AND pv.status = 'active'), '')
FROM (SELECT b.household_id, b.t, LEAD(b.t, 1, '9999-12-31T00:00:00Z') OVER (PARTITION BY b.household_id ORDER BY b.t)
        AS t_end
      FROM (SELECT household_id, valid_from AS t FROM household_versions
            UNION SELECT household_id, valid_to FROM household_versions WHERE valid_to <> '9999-12-31T00:00:00Z'
            UNION SELECT household_id, valid_from FROM person_versions
            UNION SELECT household_id, valid_to FROM person_versions WHERE valid_to <> '9999-12-31T00:00:00Z') b) sp
JOIN household_versions hv ON hv.household_id = sp.household_id AND hv.valid_from <= sp.t AND hv.valid_to > sp.t
  AND hv.status = 'active';
-- @end
