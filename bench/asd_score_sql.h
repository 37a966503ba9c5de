// Scoring a whole registry written as one set-based statement inside PostgreSQL: the comparator of the
// asd_cycle benchmark's scoring. The statement is generated from the model file, as src/targeting reads
// it, and computes what the engine computes (src/targeting/score_engine.cpp) in the same order of
// operations, so that both give the same doubles: each part (the area's intercept, the region's effect,
// then each term: the variable, 0 when unknown, times 12 for an annual amount, divided by the household's
// size for a per-capita term, times the coefficient, 0 outside the term's area) and the score as their sum
// from the first part to the last. The members' counts are those of ScoreStore's query (active members,
// ages on the as-of date). As the engine, it writes no contributions (they are computed again when shown).
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "targeting/model.h"
#include "targeting/score_store.h"

namespace sanad::bench {

// A double as an SQL literal that PostgreSQL reads back as the same double.
inline std::string Float8(double v) { return fmt::format("CAST('{}' AS double precision)", v); }

inline std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// INSERT … SELECT of every active household's score into household_scores, which must hold none.
// Placeholders, bound by name: :model, :version, :scored_on (the as-of date), :scored_at.
inline std::string ScoreSql(const targeting::Model& model, const std::string& as_of) {
  using targeting::AreaType;
  using targeting::Per;
  using targeting::Variable;
  using targeting::VariableKind;
  const std::string urban = "COALESCE(h.urban, 0) <> 0";
  std::vector<std::string> parts;
  parts.push_back(fmt::format("CASE WHEN {} THEN {} ELSE {} END", urban, Float8(model.intercept_urban),
                              Float8(model.intercept_rural)));
  std::string region = "CASE split_part(COALESCE(h.commune_code, ''), '.', 1)";
  for (const auto& [code, effect] : model.region_effects)
    region += fmt::format(" WHEN {} THEN {}", Quoted(code), Float8(effect));
  parts.push_back(region + " ELSE CAST(0 AS double precision) END");
  const std::string size = "CAST(COALESCE(m.household_size, 0) AS double precision)";
  for (const auto& t : model.terms) {
    const auto& spec = targeting::SpecOf(t.variable);
    std::string value;
    if (t.variable == Variable::kHouseholdSize) {
      value = size;
    } else if (t.variable == Variable::kHouseholdSizeSquared) {
      value = fmt::format("({} * {})", size, size);
    } else if (spec.kind == VariableKind::kCategorical) {
      value = fmt::format("CASE WHEN h.{} = {} THEN CAST(1 AS double precision) ELSE CAST(0 AS double precision) END",
                          spec.name, Quoted(spec.categories[static_cast<std::size_t>(t.category)]));
    } else if (t.variable >= Variable::kChildrenUnder15 && t.variable <= Variable::kMembersEmployed) {
      value = fmt::format("CAST(COALESCE(m.{}, 0) AS double precision)", spec.name);
    } else {
      value = fmt::format("COALESCE(CAST(h.{} AS double precision), 0)", spec.name);
    }
    if (t.per != Per::kHousehold) {
      value = fmt::format("({} * CAST({} AS double precision) / GREATEST({}, 1))", value,
                          t.per == Per::kAnnualCapita ? 12 : 1, size);
    }
    std::string part = fmt::format("{} * {}", Float8(t.coefficient), value);
    if (t.area != AreaType::kBoth) {
      part = fmt::format("CASE WHEN {}{} THEN {} ELSE CAST(0 AS double precision) END",
                         t.area == AreaType::kUrban ? "" : "NOT ", urban, part);
    }
    parts.push_back(part);
  }
  std::string columns, sum;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    columns += fmt::format(",\n    {} AS p{}", parts[p], p);
    sum += fmt::format("{}p{}", p == 0 ? "" : " + ", p);
  }
  return fmt::format(
      R"SQL(
INSERT INTO household_scores (household_id, score, model, model_version, scored_on, scored_at)
SELECT id, {sum}, CAST(:model AS text), CAST(:version AS text), CAST(:scored_on AS text), CAST(:scored_at AS text)
FROM (
  SELECT h.id{columns}
  FROM households h
  LEFT JOIN (
    SELECT household_id, COUNT(*) AS household_size,
           COUNT(CASE WHEN birth_date > '{c15}' THEN 1 END) AS children_under_15,
           COUNT(CASE WHEN birth_date <= '{c65}' THEN 1 END) AS elderly_65_plus,
           COUNT(CASE WHEN disability_type IS NOT NULL AND disability_type <> 'none' THEN 1 END) AS disabled_members,
           COUNT(CASE WHEN birth_date <= '{c6}' AND birth_date > '{c18}' AND schooling IN ('none', 'out_of_school')
                 THEN 1 END) AS children_out_of_school,
           COUNT(CASE WHEN education_level = 'higher' THEN 1 END) AS members_higher_education,
           COUNT(CASE WHEN employment_status IN ('employed', 'self_employed') THEN 1 END) AS members_employed
    FROM persons WHERE status = 'active' GROUP BY household_id
  ) m ON m.household_id = h.id
  WHERE h.status = 'active'
) parts
)SQL",
      fmt::arg("sum", sum), fmt::arg("columns", columns), fmt::arg("c15", targeting::YearsBefore(as_of, 15)),
      fmt::arg("c65", targeting::YearsBefore(as_of, 65)), fmt::arg("c6", targeting::YearsBefore(as_of, 6)),
      fmt::arg("c18", targeting::YearsBefore(as_of, 18)));
}

}  // namespace sanad::bench
