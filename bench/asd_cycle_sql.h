// The ASD cycle written as one set-based statement inside PostgreSQL: the comparator of the
// asd_cycle benchmark. The same as-of rule as src/cycles (versions in force at the cut-off, active only,
// the score in force), and the ASD template's 2026 rules (src/programs/templates.cpp) with the child
// ranks as window functions. It writes the amounts and the lines, not the members' snapshot.
#pragma once

namespace sanad::bench {

// Placeholders, bound by name: :cut1 … :cut7 (the cut-off timestamp), :day1 … :day3 (the period's first
// day, YYYY-MM-DD), :cycle, :sept (1 when the period is a September: the school-start grant is due).
inline constexpr const char* kAsdCycleSql = R"SQL(
INSERT INTO cycle_entries (cycle_id, household_id, household_version, commune_code, payee_person_id, eligible,
                           amount_minor, one_off_minor, details)
WITH hh AS (
  SELECT hv.household_id, hv.version, COALESCE(hv.commune_code, '') AS commune_code,
         COALESCE(s.score, sh.score) AS score
  FROM household_versions hv
  LEFT JOIN household_scores s ON s.household_id = hv.household_id AND s.scored_at <= CAST(:cut1 AS text)
  LEFT JOIN household_score_history sh ON s.household_id IS NULL AND sh.household_id = hv.household_id
       AND sh.scored_at <= CAST(:cut2 AS text) AND sh.replaced_at > CAST(:cut3 AS text)
  WHERE hv.valid_from <= CAST(:cut4 AS text) AND hv.valid_to > CAST(:cut5 AS text) AND hv.status = 'active'
),
m AS (
  SELECT pv.household_id, pv.person_id, pv.relationship, pv.schooling, pv.disability_percent,
         pv.family_allowances,
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
         MIN(CASE WHEN relationship = 'head' THEN person_id END) AS payee
  FROM m GROUP BY household_id
),
amounts AS (
  SELECT hh.household_id, hh.version, hh.commune_code, fam.payee,
         (hh.commune_code LIKE 'MA-%' AND hh.score IS NOT NULL AND hh.score <= 9.743001
          AND fam.receives_family_allowance IS NOT NULL AND NOT fam.receives_family_allowance) AS eligible,
         COALESCE(pc.children, 0) AS children, COALESCE(pc.allowance, 0) AS allowance,
         COALESCE(pc.disability, 0) AS disability, COALESCE(pc.school_grant, 0) AS school_grant
  FROM hh LEFT JOIN fam ON fam.household_id = hh.household_id
          LEFT JOIN per_child pc ON pc.household_id = hh.household_id
),
lines AS (
  SELECT a.*,
         CASE WHEN a.children > 0 THEN GREATEST(0, 500 - (a.allowance + a.disability)) ELSE 0 END AS floor_top_up,
         CASE WHEN a.children = 0 THEN 500 ELSE 0 END AS flat
  FROM amounts a
)
SELECT CAST(:cycle AS bigint), household_id, version, commune_code, payee,
       CASE WHEN eligible THEN 1 ELSE 0 END,
       CASE WHEN eligible THEN 100 * (allowance + disability + floor_top_up + flat) ELSE 0 END,
       CASE WHEN eligible AND CAST(:sept AS int) = 1 THEN 100 * school_grant ELSE 0 END,
       CASE WHEN eligible THEN CAST(json_build_object('lines', json_strip_nulls(json_build_object(
              'program.line.asd.child_allowance', NULLIF(100 * allowance, 0),
              'program.line.asd.disability', NULLIF(100 * disability, 0),
              'program.line.asd.floor_top_up', NULLIF(100 * floor_top_up, 0),
              'program.line.asd.flat', NULLIF(100 * flat, 0)))) AS text)
            ELSE '{"lines":{}}' END
FROM lines
)SQL";

}  // namespace sanad::bench
