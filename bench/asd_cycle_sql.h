// The ASD cycle written as one set-based statement inside PostgreSQL: the comparator of the
// asd_cycle benchmark. The same as-of rule as src/cycles (versions in force at the cut-off, active only,
// the score in force), and the ASD template's 2026 rules (src/programs/templates.cpp) with the child
// ranks as window functions. It writes what the engine writes (src/cycles/cycle_entry_store.cpp): the
// amounts, and details with the lines and one-offs, the reasons a household is not eligible with the
// values they cite, the household's inputs, and the members' snapshot of the eligible households — as
// PostgreSQL's JSON (its spacing differs from the engine's; the content is the same).
#pragma once

namespace sanad::bench {

// Placeholders, bound by name: :cut1 … :cut9 (the cut-off timestamp), :day1 … :day3 (the period's first
// day, YYYY-MM-DD), :cycle and :cycle2 (the cycle's id), :sept (1 when the period is a September: the
// school-start grant is due).
inline constexpr const char* kAsdCycleSql = R"SQL(
WITH hh AS (
  SELECT hv.household_id, hv.version, COALESCE(hv.commune_code, '') AS commune_code,
         COALESCE(s.score, sh.score) AS score, COALESCE(s.model, sh.model) AS model,
         COALESCE(s.model_version, sh.model_version) AS model_version
  FROM household_versions hv
  LEFT JOIN household_scores s ON s.household_id = hv.household_id AND s.scored_at <= CAST(:cut1 AS text)
  LEFT JOIN household_score_history sh ON s.household_id IS NULL AND sh.household_id = hv.household_id
       AND sh.scored_at <= CAST(:cut2 AS text) AND sh.replaced_at > CAST(:cut3 AS text)
  WHERE hv.valid_from <= CAST(:cut4 AS text) AND hv.valid_to > CAST(:cut5 AS text) AND hv.status = 'active'
),
m AS (
  SELECT pv.household_id, pv.person_id, pv.relationship, pv.schooling, pv.disability_percent,
         pv.family_allowances, pv.employment_status,
         CASE WHEN pv.birth_date ~ '^[0-9]{4}$' THEN make_date(CAST(pv.birth_date AS int), 1, 1)
              WHEN pv.birth_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN CAST(pv.birth_date AS date) END AS birth
  FROM person_versions pv
  WHERE pv.valid_from <= CAST(:cut6 AS text) AND pv.valid_to > CAST(:cut7 AS text) AND pv.status = 'active'
),
-- Children are "child" members aged 0–20 in completed years on the first day of the period.
c AS (
  SELECT m.household_id, m.person_id, m.schooling, m.disability_percent, m.birth,
         CAST(extract(year FROM age(CAST(:day1 AS date), m.birth)) AS int) AS years
  FROM m
  WHERE m.relationship = 'child' AND m.birth <= CAST(:day2 AS date)
    AND age(CAST(:day3 AS date), m.birth) < interval '21 years'
),
ranked AS (
  SELECT c.*,
         ROW_NUMBER() OVER (PARTITION BY c.household_id ORDER BY c.birth, c.person_id) AS rnk,
         CASE WHEN c.schooling IN ('primary', 'lower_secondary', 'upper_secondary') THEN
           ROW_NUMBER() OVER (PARTITION BY c.household_id,
                              c.schooling IN ('primary', 'lower_secondary', 'upper_secondary')
                              ORDER BY c.birth, c.person_id) END AS school_rnk
  FROM c
),
per_child AS (
  SELECT household_id, COUNT(*) AS children,
         SUM(CASE WHEN rnk <= 3 THEN
                    CASE WHEN years <= 5 THEN 300
                         WHEN schooling IN ('primary', 'lower_secondary', 'upper_secondary', 'higher') THEN 300
                         ELSE 200 END
                  WHEN rnk <= 6 THEN
                    CASE WHEN years <= 5 OR schooling IN ('primary', 'lower_secondary', 'upper_secondary', 'higher')
                         THEN 36 ELSE 24 END
                  ELSE 0 END) AS allowance,
         100 * COUNT(CASE WHEN disability_percent >= 50 THEN 1 END) AS disability,
         SUM(CASE WHEN school_rnk <= 6 THEN CASE WHEN schooling = 'upper_secondary' THEN 300 ELSE 200 END
                  ELSE 0 END) AS school_grant
  FROM ranked GROUP BY household_id
),
fam AS (
  SELECT household_id, bool_or(family_allowances <> 0) AS receives_family_allowance,
         CASE WHEN COUNT(NULLIF(employment_status, '')) > 0
              THEN bool_or(employment_status IN ('employed', 'self_employed', 'retired')) END AS has_proven_income,
         MIN(CASE WHEN relationship = 'head' THEN person_id END) AS payee
  FROM m GROUP BY household_id
),
amounts AS (
  SELECT hh.household_id, hh.version, hh.commune_code, fam.payee, hh.score, hh.model, hh.model_version,
         fam.receives_family_allowance, fam.has_proven_income,
         (hh.commune_code LIKE 'MA-%' AND hh.score IS NOT NULL AND hh.score <= 9.743001
          AND fam.receives_family_allowance IS NOT NULL AND NOT fam.receives_family_allowance) AS eligible,
         COALESCE(pc.children, 0) AS children, COALESCE(pc.allowance, 0) AS allowance,
         COALESCE(pc.disability, 0) AS disability, COALESCE(pc.school_grant, 0) AS school_grant
  FROM hh LEFT JOIN fam ON fam.household_id = hh.household_id
          LEFT JOIN per_child pc ON pc.household_id = hh.household_id
),
-- The score model of the cycle, that of its first household with a score, kept once on the cycle row and
-- named only by the entries of households scored by another model or version (as the engine).
cm AS (
  SELECT model AS cycle_model, model_version AS cycle_model_version FROM hh WHERE score IS NOT NULL
  ORDER BY household_id LIMIT 1
),
cycle_model AS (
  UPDATE programme_cycles SET score_model = (SELECT cycle_model FROM cm),
                              score_model_version = (SELECT cycle_model_version FROM cm)
  WHERE id = CAST(:cycle2 AS bigint)
),
lines AS (
  SELECT a.*, cm.*,
         CASE WHEN a.children > 0 THEN GREATEST(0, 500 - (a.allowance + a.disability)) ELSE 0 END AS floor_top_up,
         CASE WHEN a.children = 0 THEN 500 ELSE 0 END AS flat
  FROM amounts a LEFT JOIN cm ON true
)
INSERT INTO cycle_entries (cycle_id, household_id, household_version, commune_code, payee_person_id, eligible,
                           amount_minor, one_off_minor, details)
SELECT CAST(:cycle AS bigint), household_id, version, commune_code, payee,
       CASE WHEN eligible THEN 1 ELSE 0 END,
       CASE WHEN eligible THEN 100 * (allowance + disability + floor_top_up + flat) ELSE 0 END,
       CASE WHEN eligible AND CAST(:sept AS int) = 1 THEN 100 * school_grant ELSE 0 END,
       CAST(json_strip_nulls(json_build_object(
         'lines', CASE WHEN eligible THEN json_build_object(
              'program.line.asd.child_allowance', NULLIF(100 * allowance, 0),
              'program.line.asd.disability', NULLIF(100 * disability, 0),
              'program.line.asd.floor_top_up', NULLIF(100 * floor_top_up, 0),
              'program.line.asd.flat', NULLIF(100 * flat, 0)) END,
         'one_offs', CASE WHEN eligible AND CAST(:sept2 AS int) = 1 AND school_grant > 0 THEN
              json_build_object('program.line.asd.school_start_grant', 100 * school_grant) END,
         -- Why not eligible, another country or else each condition that is false (with the values it
         -- cites) or that the data could not decide. (No colon nor apostrophe in these comments, which
         -- SOCI would read as a placeholder or the start of a quoted text.)
         'reasons', CASE WHEN eligible THEN NULL
              WHEN commune_code NOT LIKE 'MA-%' THEN json_build_array(json_build_object(
                'code', 'program.reason.other_country',
                'params', json_build_object('country', split_part(commune_code, '-', 1), 'programme_country', 'MA')))
              ELSE (SELECT json_agg(r) FROM (
                SELECT CASE WHEN score IS NULL THEN json_build_object('code', 'program.reason.not_computable',
                              'params', json_build_object('condition', 'program.reason.index_above_threshold'))
                            WHEN score > 9.743001 THEN json_build_object('code', 'program.reason.index_above_threshold',
                              'params', json_build_object('index', CAST(score AS text), 'threshold', '9.743001'))
                       END
                UNION ALL
                SELECT CASE WHEN receives_family_allowance IS NULL THEN json_build_object(
                              'code', 'program.reason.not_computable',
                              'params', json_build_object('condition', 'program.reason.receives_family_allowance'))
                            WHEN receives_family_allowance THEN json_build_object(
                              'code', 'program.reason.receives_family_allowance', 'params', json_build_object())
                       END) AS reason (r) WHERE r IS NOT NULL) END,
         'inputs', json_build_object(
              'score', score,
              'score_model', CASE WHEN model IS DISTINCT FROM cycle_model
                                    OR model_version IS DISTINCT FROM cycle_model_version THEN model END,
              'score_model_version', CASE WHEN model IS DISTINCT FROM cycle_model
                                    OR model_version IS DISTINCT FROM cycle_model_version THEN model_version END,
              'receives_family_allowance', receives_family_allowance, 'has_proven_income', has_proven_income,
              -- The snapshot of the members, for the eligible households only (as the engine).
              'members', CASE WHEN eligible THEN (
                SELECT json_agg(json_build_array(pv.person_id, pv.version, pv.relationship, pv.sex, pv.birth_date,
                                                 pv.marital_status, pv.schooling, pv.disability_percent,
                                                 pv.able_to_work <> 0, pv.in_institution <> 0) ORDER BY pv.person_id)
                FROM person_versions pv
                WHERE pv.household_id = lines.household_id AND pv.valid_from <= CAST(:cut8 AS text)
                  AND pv.valid_to > CAST(:cut9 AS text) AND pv.status = 'active') END))) AS text)
FROM lines
)SQL";

}  // namespace sanad::bench
