#include "registry/rule_inputs.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "db/row.h"
#include "registry/records.h"
#include "registry/registry_sql.h"

namespace sanad::registry {
namespace {

// The person_versions columns packed, in PackedField order; those of integer type are cast to text.
constexpr std::pair<const char*, bool> kPacked[kPackedFieldCount] = {
    {"person_id", true},          {"version", true},           {"relationship", false}, {"sex", false},
    {"birth_date", false},        {"marital_status", false},   {"schooling", false},    {"disability_percent", true},
    {"employment_status", false}, {"family_allowances", true}, {"able_to_work", true},  {"in_institution", true},
    {"disability_type", false},   {"education_level", false}};

// The aggregate of the members in force at the span's start, in person id order on PostgreSQL (SQLite's
// group_concat takes no ORDER BY in Debian 12's 3.40; the reader orders them).
std::string MembersAggregate(db::Dialect d) {
  const char* chr = d == db::Dialect::kSqlite ? "char" : "chr";
  std::string member;
  for (int f = 0; f < kPackedFieldCount; ++f) {
    if (f != 0) member += fmt::format(" || {}({}) || ", chr, int{kPackedFieldSeparator});
    const auto [column, integer] = kPacked[f];
    const std::string value = integer ? fmt::format("CAST(pv.{} AS TEXT)", column) : fmt::format("pv.{}", column);
    member += fmt::format("COALESCE({}, {}({}))", value, chr, int{kPackedNull});
  }
  if (d == db::Dialect::kSqlite) return fmt::format("group_concat({}, char({}))", member, int{kPackedMemberSeparator});
  return fmt::format("string_agg({}, chr({}) ORDER BY pv.person_id)", member, int{kPackedMemberSeparator});
}

}  // namespace

void RuleInputStore::Rebuild(db::Session& s, std::span<const std::int64_t> household_ids) {
  // Ids are numbers the program holds: inlined, a thousand at a time (an import approves many).
  constexpr std::size_t kAtOnce = 1000;
  for (std::size_t at = 0; at < household_ids.size(); at += kAtOnce) {
    const auto part = household_ids.subspan(at, std::min(kAtOnce, household_ids.size() - at));
    Rebuild(s, fmt::format("household_id IN ({})", fmt::join(part, ", ")));
  }
}

void RuleInputStore::RebuildTouched(db::Session& s, std::span<const std::int64_t> household_ids,
                                    std::span<const std::int64_t> person_ids, const std::string& now) {
  std::vector<std::int64_t> households(household_ids.begin(), household_ids.end());
  if (!person_ids.empty()) {
    std::string list = sql::IdListParam(s.dialect(), person_ids), n1 = now, n2 = now;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT DISTINCT household_id FROM person_versions WHERE person_id " +
                                sql::IdListSql(s.dialect()) + " AND (valid_from = :n1 OR valid_to = :n2)",
         soci::use(list), soci::use(n1), soci::use(n2));
    for (const auto& r : rs) households.push_back(db::RowInt(r, 0));
  }
  std::sort(households.begin(), households.end());
  households.erase(std::unique(households.begin(), households.end()), households.end());
  Rebuild(s, households);
}

void RuleInputStore::AddLoaded(db::Session& s, std::int64_t first_household, std::int64_t last_household,
                               std::int64_t first_person, std::int64_t last_person) {
  for (const auto& statement :
       AddLoadedStatements(s.dialect(), first_household, last_household, first_person, last_person)) {
    s.sql() << statement;
  }
}

std::vector<std::string> RuleInputStore::AddLoadedStatements(db::Dialect dialect, std::int64_t first_household,
                                                             std::int64_t last_household, std::int64_t first_person,
                                                             std::int64_t last_person) {
  std::string insert = fmt::format(
      "INSERT INTO household_rule_inputs (household_id, valid_from, valid_to, household_version, commune_code, "
      "latent_log_consumption, members) "
      "SELECT hv.household_id, hv.valid_from, hv.valid_to, hv.version, hv.commune_code, hv.latent_log_consumption, "
      "COALESCE(m.members, '') FROM household_versions hv LEFT JOIN (SELECT pv.household_id, {agg} AS members "
      "FROM person_versions pv WHERE pv.person_id BETWEEN {pa} AND {pb} AND pv.status = 'active' "
      "GROUP BY pv.household_id) m ON m.household_id = hv.household_id "
      "WHERE hv.household_id BETWEEN {ha} AND {hb} AND hv.status = 'active'",
      fmt::arg("agg", MembersAggregate(dialect)), fmt::arg("pa", first_person), fmt::arg("pb", last_person),
      fmt::arg("ha", first_household), fmt::arg("hb", last_household));
  if (dialect == db::Dialect::kSqlite) return {std::move(insert)};
  // The rows this joins were written in the load's own transaction, which PostgreSQL's statistics do not
  // know yet: guessing one household, it planned a nested loop that aggregated all the chunk's members
  // again for every household (`sanad demo --households 200000` spent minutes in its first chunk). The
  // join is always of whole chunks, so no nested loop for this statement.
  return {"SET LOCAL enable_nestloop = off", std::move(insert), "RESET enable_nestloop"};
}

void RuleInputStore::RebuildAll(db::Session& s) { Rebuild(s, "1 = 1"); }

// Every moment a version of the household or of a member starts or ends begins a span, which lasts until
// the next such moment; a span keeps the household version and the members in force at its start, when
// the household was active then.
void RuleInputStore::Rebuild(db::Session& s, const std::string& which) {
  s.sql() << "DELETE FROM household_rule_inputs WHERE " + which;
  s.sql() << fmt::format(
      "INSERT INTO household_rule_inputs (household_id, valid_from, valid_to, household_version, commune_code, "
      "latent_log_consumption, members) "
      "SELECT sp.household_id, sp.t, sp.t_end, hv.version, hv.commune_code, hv.latent_log_consumption, "
      "COALESCE((SELECT {agg} FROM person_versions pv WHERE pv.household_id = sp.household_id AND "
      "pv.valid_from <= sp.t AND pv.valid_to > sp.t AND pv.status = 'active'), '') "
      "FROM (SELECT b.household_id, b.t, LEAD(b.t, 1, '{open}') OVER (PARTITION BY b.household_id ORDER BY b.t) "
      "AS t_end FROM (SELECT household_id, valid_from AS t FROM household_versions WHERE {w} "
      "UNION SELECT household_id, valid_to FROM household_versions WHERE {w} AND valid_to <> '{open}' "
      "UNION SELECT household_id, valid_from FROM person_versions WHERE {w} "
      "UNION SELECT household_id, valid_to FROM person_versions WHERE {w} AND valid_to <> '{open}') b) sp "
      "JOIN household_versions hv ON hv.household_id = sp.household_id AND hv.valid_from <= sp.t AND "
      "hv.valid_to > sp.t AND hv.status = 'active'",
      fmt::arg("agg", MembersAggregate(s.dialect())), fmt::arg("open", kOpenEnd), fmt::arg("w", which));
}

}  // namespace sanad::registry
