#include "db/backup_catalog.h"

#include <algorithm>
#include <map>
#include <set>

#include "db/database.h"

namespace sanad::db {

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

Result<std::vector<std::string>> ListTables(soci::session& sql, Dialect dialect) {
  try {
    std::vector<std::string> out;
    const char* query =
        dialect == Dialect::kSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
              "ORDER BY name"
            : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename";
    soci::rowset<std::string> rs = sql.prepare << query;
    for (const auto& name : rs) out.push_back(name);
    // The catalogues sort by their own collations; one order for both engines.
    std::sort(out.begin(), out.end());
    return out;
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
}

Result<std::vector<TableCount>> CountTableRows(soci::session& sql, Dialect dialect) {
  auto tables = ListTables(sql, dialect);
  if (!tables) return std::unexpected(tables.error());
  try {
    std::vector<TableCount> out;
    for (const auto& t : *tables) {
      long long n = 0;
      sql << "SELECT COUNT(*) FROM " + QuoteIdentifier(t), soci::into(n);
      out.push_back({t, n});
    }
    return out;
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
}

Result<std::vector<ColumnInfo>> ListColumns(soci::session& sql, Dialect dialect, const std::string& table) {
  try {
    std::vector<ColumnInfo> out;
    if (dialect == Dialect::kSqlite) {
      soci::rowset<soci::row> rs =
          (sql.prepare << "SELECT name, type FROM pragma_table_info(:t) ORDER BY cid", soci::use(table));
      for (const auto& r : rs) {
        std::string type = r.get<std::string>(1);
        std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::toupper(c); });
        out.push_back({r.get<std::string>(0), type == "BLOB", false});
      }
    } else {
      soci::rowset<soci::row> rs =
          (sql.prepare
               << "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
                  "CASE WHEN pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NULL THEN 0 ELSE 1 END "
                  "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE n.nspname = current_schema() AND c.relname = :t AND a.attnum > 0 AND NOT a.attisdropped "
                  "ORDER BY a.attnum",
           soci::use(table));
      for (const auto& r : rs)
        out.push_back({r.get<std::string>(0), r.get<std::string>(1) == "bytea", r.get<int>(2) == 1});
    }
    if (out.empty()) return Fail(Code::kNotFound, "no table " + table, "table");
    return out;
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
}

Result<std::vector<std::string>> DependencyOrder(soci::session& sql, Dialect dialect, std::vector<std::string> tables) {
  std::map<std::string, std::set<std::string>> parents;  // table → tables it references
  try {
    const char* query =
        dialect == Dialect::kSqlite
            ? "SELECT m.name, p.\"table\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p "
              "WHERE m.type = 'table'"
            : "SELECT cl.relname, rf.relname FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid "
              "JOIN pg_class rf ON rf.oid = c.confrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
              "WHERE c.contype = 'f' AND n.nspname = current_schema()";
    soci::rowset<soci::row> rs = sql.prepare << query;
    for (const auto& r : rs) {
      auto child = r.get<std::string>(0);
      auto parent = r.get<std::string>(1);
      if (child != parent) parents[child].insert(parent);
    }
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
  // Kahn's algorithm, always taking the first ready table by name so that the order is stable.
  std::set<std::string> pending(tables.begin(), tables.end());
  std::vector<std::string> out;
  while (!pending.empty()) {
    auto ready = std::find_if(pending.begin(), pending.end(), [&](const std::string& t) {
      for (const auto& p : parents[t]) {
        if (pending.contains(p)) return false;
      }
      return true;
    });
    if (ready == pending.end()) ready = pending.begin();  // a cycle: break it by name
    out.push_back(*ready);
    pending.erase(ready);
  }
  return out;
}

Result<int> SchemaVersion(soci::session& sql, Dialect dialect) {
  auto tables = ListTables(sql, dialect);
  if (!tables) return std::unexpected(tables.error());
  if (!std::binary_search(tables->begin(), tables->end(), std::string("schema_migrations"))) return 0;
  try {
    long long v = 0;
    soci::indicator ind;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
    return ind == soci::i_null ? 0 : static_cast<int>(v);
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
}

}  // namespace sanad::db
