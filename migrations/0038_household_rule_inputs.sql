-- What a programme cycle reads of a household, one row per household and span of time in which it was
-- active and nothing the rules read changed: the household version in force, its commune and latent
-- consumption, and its active members packed into one text (src/registry/rule_inputs.h: per member the
-- fields person_id … in_institution joined by U+001F, members joined by U+001E, U+0015 for a NULL).
-- The cycle reads one row per household instead of about five member index entries (SQLite steps
-- through each), rebuilt by every registry write path from the version history (RuleInputStore) in the
-- writer's transaction. The spans start at every valid_from and valid_to of the household's versions
-- and of its members' versions; a span lasts until the next one (or the open end).

-- @sqlite
CREATE TABLE household_rule_inputs (
  household_id            BIGINT NOT NULL,
  valid_from              TEXT NOT NULL,
  valid_to                TEXT NOT NULL,
  household_version       BIGINT NOT NULL,
  commune_code            TEXT,
  latent_log_consumption  DOUBLE PRECISION,
  members                 TEXT NOT NULL,
  PRIMARY KEY (household_id, valid_from)
) WITHOUT ROWID;
-- @end

-- @postgres
CREATE TABLE household_rule_inputs (
  household_id            BIGINT NOT NULL,
  valid_from              TEXT NOT NULL,
  valid_to                TEXT NOT NULL,
  household_version       BIGINT NOT NULL,
  commune_code            TEXT,
  latent_log_consumption  DOUBLE PRECISION,
  members                 TEXT NOT NULL,
  PRIMARY KEY (household_id, valid_from)
);
-- @end

-- The rows of the registry written before this migration: the statement RuleInputStore runs, over
-- every household (tests/storage/rule_inputs_test.cpp checks that both give the same rows).
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
    COALESCE(CAST(pv.in_institution AS TEXT), char(21)), char(30))
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
    COALESCE(CAST(pv.in_institution AS TEXT), chr(21)), chr(30) ORDER BY pv.person_id)
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
