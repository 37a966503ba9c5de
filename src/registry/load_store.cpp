#include "registry/load_store.h"

#include <fmt/format.h>

#include "registry/records.h"
#include "registry/registry_sql.h"

namespace sanad::registry {

using sql::Cols;

std::pair<std::int64_t, std::int64_t> LoadStore::NextIds(db::Session& s) {
  long long h = 0, p = 0;
  soci::indicator hi, pi;
  s.sql() << "SELECT MAX(id) FROM households", soci::into(h, hi);
  s.sql() << "SELECT MAX(id) FROM persons", soci::into(p, pi);
  return {(hi == soci::i_null ? 0 : h) + 1, (pi == soci::i_null ? 0 : p) + 1};
}

void LoadStore::LoadHouseholds(db::Session& s, std::int64_t first_id, const Columns& field_columns, std::size_t n,
                               const std::string& now, std::int64_t cr) {
  auto fields = HouseholdFields();
  std::vector<std::string> columns{"id", "version", "created_at", "updated_at"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  Columns cols(4);
  cols[0].resize(n);
  for (std::size_t r = 0; r < n; ++r) cols[0][r] = std::to_string(first_id + static_cast<std::int64_t>(r));
  cols[1].assign(n, std::optional<std::string>("1"));
  cols[2].assign(n, std::optional<std::string>(now));
  cols[3].assign(n, std::optional<std::string>(now));
  cols.insert(cols.end(), field_columns.begin(), field_columns.end());
  db::BulkInsert(s, "households", columns, cols, n);
  long long a = first_id, b = first_id + static_cast<long long>(n) - 1, c = cr;
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO household_versions (household_id, version, valid_from, valid_to, change_request_id, {0}) "
      "SELECT id, version, :n, :e, :cr, {0} FROM households WHERE id BETWEEN :a AND :b",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(a), soci::use(b);
}

void LoadStore::LoadPersons(db::Session& s, std::int64_t first_id, const std::vector<std::int64_t>& household_ids,
                            const Columns& field_columns, std::size_t n, const std::string& now, std::int64_t cr) {
  auto fields = PersonFields();
  std::vector<std::string> columns{"id", "household_id", "version", "created_at", "updated_at"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  Columns cols(5);
  cols[0].resize(n);
  cols[1].resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    cols[0][r] = std::to_string(first_id + static_cast<std::int64_t>(r));
    cols[1][r] = std::to_string(household_ids[r]);
  }
  cols[2].assign(n, std::optional<std::string>("1"));
  cols[3].assign(n, std::optional<std::string>(now));
  cols[4].assign(n, std::optional<std::string>(now));
  cols.insert(cols.end(), field_columns.begin(), field_columns.end());
  db::BulkInsert(s, "persons", columns, cols, n);
  long long a = first_id, b = first_id + static_cast<long long>(n) - 1, c = cr;
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO person_versions (person_id, version, household_id, valid_from, valid_to, "
      "change_request_id, merged_into, {0}) SELECT id, version, household_id, :n, :e, :cr, NULL, {0} "
      "FROM persons WHERE id BETWEEN :a AND :b",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(a), soci::use(b);
}

std::vector<std::string> LoadStore::DropSecondaryIndexes(db::Session& s) {
  std::vector<std::pair<std::string, std::string>> found;  // name, definition
  const std::string tables = "'households', 'persons', 'household_versions', 'person_versions'";
  soci::rowset<soci::row> rs =
      (s.sql().prepare
       << (s.dialect() == db::Dialect::kSqlite
               ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (" +
                     tables + ")"
               : "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND "
                 "tablename IN (" +
                     tables + ") AND indexname NOT LIKE '%_pkey'"));
  for (const auto& r : rs) found.emplace_back(r.get<std::string>(0), r.get<std::string>(1));
  std::vector<std::string> definitions;
  for (const auto& [name, definition] : found) {
    s.sql() << "DROP INDEX " + name;
    definitions.push_back(definition);
  }
  return definitions;
}

void LoadStore::CreateIndexes(db::Session& s, const std::vector<std::string>& definitions) {
  for (const auto& d : definitions) s.sql() << d;
}

void LoadStore::SyncIdentities(db::Session& s) {
  if (s.dialect() != db::Dialect::kPostgres) return;  // SQLite's rowid continues after the largest id
  s.sql() << "SELECT setval(pg_get_serial_sequence('households', 'id'), GREATEST((SELECT MAX(id) FROM households), 1))";
  s.sql() << "SELECT setval(pg_get_serial_sequence('persons', 'id'), GREATEST((SELECT MAX(id) FROM persons), 1))";
}

}  // namespace sanad::registry
