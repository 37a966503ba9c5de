// What a database holds, read from its own catalogue rather than from a list kept in code, so that
// backups, restores and copies follow every migration without being edited: the tables of the schema,
// their columns, their foreign keys and their row counts, on SQLite and PostgreSQL.
//
// Thread safety: functions over a session the caller owns; no shared state.
#pragma once

#include <soci/soci.h>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database_url.h"

namespace sanad::db {

struct TableCount {
  std::string table;
  long long rows = 0;

  bool operator==(const TableCount&) const = default;
};

struct ColumnInfo {
  std::string name;
  bool bytes = false;     // BLOB / BYTEA
  bool sequence = false;  // PostgreSQL: filled by an identity column or a serial sequence
};

// The ordinary tables of the connected schema (SQLite: main without sqlite_* internals; PostgreSQL:
// current_schema()), sorted by name.
Result<std::vector<std::string>> ListTables(soci::session& sql, Dialect dialect);

// Row count of every table of ListTables, in the same order.
Result<std::vector<TableCount>> CountTableRows(soci::session& sql, Dialect dialect);

// Columns of `table` in declaration order.
Result<std::vector<ColumnInfo>> ListColumns(soci::session& sql, Dialect dialect, const std::string& table);

// `tables` reordered so that every table comes after the tables its foreign keys reference (ties and
// cycles broken by name; a self-reference is ignored).
Result<std::vector<std::string>> DependencyOrder(soci::session& sql, Dialect dialect, std::vector<std::string> tables);

// Highest migration recorded in schema_migrations (0 when the table is absent or empty).
Result<int> SchemaVersion(soci::session& sql, Dialect dialect);

// "name" with embedded quotes doubled: identifiers from the catalogue go into SQL text this way.
std::string QuoteIdentifier(std::string_view name);

}  // namespace sanad::db
