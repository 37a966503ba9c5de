#include "db/backup_transfer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "db/database.h"
#include "db/migrations.h"

namespace sanad::db {

namespace {

// SOCI's sqlite3 header wraps the SQLite C API in this namespace.
using sqlite_api::sqlite3;
using sqlite_api::sqlite3_stmt;

constexpr std::size_t kCopyBufferBytes = 1 << 20;

sqlite3* NativeSqlite(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

PGconn* NativePg(soci::session& sql) {
  return static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
}

// One value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped.
void AppendCopyText(std::string& out, const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    char c = data[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

void AppendValue(std::string& out, sqlite3_stmt* stmt, int col, bool bytes_column) {
  switch (sqlite_api::sqlite3_column_type(stmt, col)) {
    case SQLITE_NULL:
      out += "\\N";
      break;
    case SQLITE_INTEGER:
      out += std::to_string(sqlite_api::sqlite3_column_int64(stmt, col));
      break;
    case SQLITE_FLOAT: {
      double d = sqlite_api::sqlite3_column_double(stmt, col);
      if (std::isnan(d))
        out += "NaN";
      else if (std::isinf(d))
        out += d > 0 ? "Infinity" : "-Infinity";
      else
        out += fmt::format("{}", d);  // shortest text that reads back as the same double
      break;
    }
    case SQLITE_BLOB:
      if (bytes_column) {
        const auto* p = static_cast<const unsigned char*>(sqlite_api::sqlite3_column_blob(stmt, col));
        int n = sqlite_api::sqlite3_column_bytes(stmt, col);
        out += "\\\\x";  // bytea hex input, its backslash escaped for COPY
        static constexpr char kHex[] = "0123456789abcdef";
        for (int i = 0; i < n; ++i) {
          out.push_back(kHex[p[i] >> 4]);
          out.push_back(kHex[p[i] & 15]);
        }
        break;
      }
      [[fallthrough]];
    default: {
      const auto* p = reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(stmt, col));
      AppendCopyText(out, p ? p : "", static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(stmt, col)));
    }
  }
}

std::string PgError(PGconn* conn) { return PQerrorMessage(conn); }

// Streams every row of `table` from the source snapshot into the target with one COPY.
Result<long long> CopyTable(sqlite3* source, PGconn* target, const std::string& table,
                            const std::vector<ColumnInfo>& columns, long long rows_total,
                            const TransferOptions& options) {
  std::string names;
  for (const auto& c : columns) names += (names.empty() ? "" : ", ") + QuoteIdentifier(c.name);
  std::string select = fmt::format("SELECT {} FROM {} ORDER BY rowid", names, QuoteIdentifier(table));
  sqlite3_stmt* stmt = nullptr;
  if (sqlite_api::sqlite3_prepare_v2(source, select.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    // WITHOUT ROWID tables have no rowid; their primary-key order is as good.
    select = fmt::format("SELECT {} FROM {}", names, QuoteIdentifier(table));
    if (sqlite_api::sqlite3_prepare_v2(source, select.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return Fail(Code::kInternal, fmt::format("reading {}: {}", table, sqlite_api::sqlite3_errmsg(source)));
    }
  }
  struct Finalize {
    sqlite3_stmt* s;
    ~Finalize() { sqlite_api::sqlite3_finalize(s); }
  } finalize{stmt};

  PGresult* begin = PQexec(target, fmt::format("COPY {} ({}) FROM STDIN", QuoteIdentifier(table), names).c_str());
  bool started = PQresultStatus(begin) == PGRES_COPY_IN;
  PQclear(begin);
  if (!started) return Fail(Code::kInternal, fmt::format("COPY {}: {}", table, PgError(target)));

  auto t0 = std::chrono::steady_clock::now();
  auto report = [&](long long done, bool finished) {
    if (!options.progress) return;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    options.progress({table, done, rows_total, seconds, finished});
  };
  std::string buffer;
  buffer.reserve(kCopyBufferBytes + 64 * 1024);
  long long rows = 0;
  std::string failure;
  auto flush = [&] {
    if (!buffer.empty() && PQputCopyData(target, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      failure = PgError(target);
    }
    buffer.clear();
  };
  const int n = static_cast<int>(columns.size());
  int rc;
  while (failure.empty() && (rc = sqlite_api::sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < n; ++i) {
      if (i) buffer.push_back('\t');
      AppendValue(buffer, stmt, i, columns[i].bytes);
    }
    buffer.push_back('\n');
    ++rows;
    if (buffer.size() >= kCopyBufferBytes) flush();
    if (options.chunk_rows && rows % static_cast<long long>(options.chunk_rows) == 0) {
      flush();
      report(rows, false);
    }
  }
  if (failure.empty() && rc != SQLITE_DONE)
    failure = fmt::format("reading {}: {}", table, sqlite_api::sqlite3_errmsg(source));
  if (failure.empty()) flush();
  PQputCopyEnd(target, failure.empty() ? nullptr : "sanad migrate-data: source read failed");
  bool ok = true;
  while (PGresult* r = PQgetResult(target)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      ok = false;
      if (failure.empty()) failure = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  if (!ok || !failure.empty()) return Fail(Code::kInternal, fmt::format("copying {}: {}", table, failure));
  report(rows, true);
  return rows;
}

// Tables and row counts a freshly migrated database already holds: what "empty" means for a target.
Result<std::map<std::string, long long>> SeededRows() {
  auto fresh = Database::Open("sqlite::memory:", 1);
  if (!fresh) return std::unexpected(fresh.error());
  if (auto m = Migrate(**fresh); !m) return std::unexpected(m.error());
  Session s = (*fresh)->Acquire();
  auto counts = CountTableRows(s.sql(), Dialect::kSqlite);
  if (!counts) return std::unexpected(counts.error());
  std::map<std::string, long long> out;
  for (const auto& c : *counts) out[c.table] = c.rows;
  return out;
}

long long CountOf(soci::session& sql, const std::string& table) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM " + QuoteIdentifier(table), soci::into(n);
  return n;
}

}  // namespace

Result<TransferReport> CopySqliteToPostgres(std::string_view from_url, std::string_view to_url,
                                            const TransferOptions& options) {
  auto from = ParseDatabaseUrl(from_url);
  if (!from) return std::unexpected(from.error());
  auto to = ParseDatabaseUrl(to_url);
  if (!to) return std::unexpected(to.error());
  if (from->dialect != Dialect::kSqlite || to->dialect != Dialect::kPostgres) {
    return Fail(Code::kInvalidArgument, "migrate-data copies a sqlite: database into a postgresql:// database", "from");
  }
  if (!std::filesystem::exists(from->sqlite_path)) {
    return Fail(Code::kNotFound, fmt::format("no SQLite database at {}", from->sqlite_path), "from");
  }
  auto source_db = Database::Open(from_url, 1);
  if (!source_db) return std::unexpected(source_db.error());
  auto target_db = Database::Open(to_url, 1);
  if (!target_db) return std::unexpected(target_db.error());
  auto source_version = Migrate(**source_db);
  if (!source_version) return std::unexpected(source_version.error());
  auto target_version = Migrate(**target_db);
  if (!target_version) return std::unexpected(target_version.error());
  if (source_version->current_version != target_version->current_version) {
    return Fail(Code::kFailedPrecondition,
                fmt::format("schema versions differ after migration: source {}, target {}",
                            source_version->current_version, target_version->current_version));
  }
  auto seeded = SeededRows();
  if (!seeded) return std::unexpected(seeded.error());

  TransferReport report;
  report.schema_version = source_version->current_version;
  try {
    Session src = (*source_db)->Acquire();
    Session dst = (*target_db)->Acquire();
    auto source_tables = ListTables(src.sql(), Dialect::kSqlite);
    if (!source_tables) return std::unexpected(source_tables.error());
    auto target_tables = ListTables(dst.sql(), Dialect::kPostgres);
    if (!target_tables) return std::unexpected(target_tables.error());
    if (*source_tables != *target_tables) {
      std::vector<std::string> only_source, only_target;
      std::set_difference(source_tables->begin(), source_tables->end(), target_tables->begin(), target_tables->end(),
                          std::back_inserter(only_source));
      std::set_difference(target_tables->begin(), target_tables->end(), source_tables->begin(), source_tables->end(),
                          std::back_inserter(only_target));
      return Fail(Code::kFailedPrecondition,
                  fmt::format("the two schemas differ: only in the source [{}], only in the target [{}]",
                              fmt::join(only_source, ", "), fmt::join(only_target, ", ")));
    }
    std::vector<std::string> replace;  // seeded tables whose migration rows give way to the source's
    for (const auto& t : *target_tables) {
      long long n = CountOf(dst.sql(), t);
      long long allowed = seeded->contains(t) ? seeded->at(t) : 0;
      if (n > allowed) {
        return Fail(
            Code::kFailedPrecondition,
            fmt::format("the target {} is not empty: table {} has {} rows; migrate-data copies into a new, empty "
                        "database (do not run `sanad migrate` or `serve` on it first)",
                        (*target_db)->url().display, t, n),
            "to");
      }
      if (n > 0) replace.push_back(t);
    }
    auto order = DependencyOrder(dst.sql(), Dialect::kPostgres, *target_tables);
    if (!order) return std::unexpected(order.error());

    // The source snapshot: one read transaction for every table and count.
    src.sql() << "BEGIN";
    std::map<std::string, long long> source_rows;
    for (const auto& t : *order) source_rows[t] = CountOf(src.sql(), t);

    Transaction tx(dst);
    for (auto it = order->rbegin(); it != order->rend(); ++it) {
      if (std::find(replace.begin(), replace.end(), *it) != replace.end())
        dst.sql() << "DELETE FROM " + QuoteIdentifier(*it);
    }
    for (const auto& t : *order) {
      auto columns = ListColumns(dst.sql(), Dialect::kPostgres, t);
      if (!columns) return std::unexpected(columns.error());
      auto source_columns = ListColumns(src.sql(), Dialect::kSqlite, t);
      if (!source_columns) return std::unexpected(source_columns.error());
      std::set<std::string> a, b;
      for (const auto& c : *columns) a.insert(c.name);
      for (const auto& c : *source_columns) b.insert(c.name);
      if (a != b)
        return Fail(Code::kFailedPrecondition, fmt::format("table {} has different columns in the two databases", t));
      auto copied = CopyTable(NativeSqlite(src.sql()), NativePg(dst.sql()), t, *columns, source_rows[t], options);
      if (!copied) return std::unexpected(copied.error());
      for (const auto& c : *columns) {
        if (!c.sequence) continue;
        // Next generated id: one past the largest copied id (1 for an empty table).
        dst.sql() << fmt::format(
            "SELECT setval(pg_get_serial_sequence('{}', '{}'), COALESCE(MAX({}), 0) + 1, false) FROM {}",
            QuoteIdentifier(t), c.name, QuoteIdentifier(c.name), QuoteIdentifier(t));
      }
    }
    for (const auto& t : *order) {
      long long n = CountOf(dst.sql(), t);
      if (n != source_rows[t]) {
        return Fail(
            Code::kFailedPrecondition,
            fmt::format("table {}: {} rows in the source, {} in the target after the copy", t, source_rows[t], n));
      }
      report.tables.push_back({t, n});
    }
    tx.Commit();
    src.sql() << "COMMIT";
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
  return report;
}

}  // namespace sanad::db
