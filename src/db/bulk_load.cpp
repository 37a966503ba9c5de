#include "db/bulk_load.h"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <memory>
#include <stdexcept>

namespace sanad::db {

namespace {

void CopyIn(soci::session& sql, const std::string& table_and_columns, const std::string& csv) {
  auto* be = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  PGconn* conn = be->conn_;
  PGresult* res = PQexec(conn, ("COPY " + table_and_columns + " FROM STDIN WITH (FORMAT csv)").c_str());
  bool ok = PQresultStatus(res) == PGRES_COPY_IN;
  PQclear(res);
  if (!ok) throw std::runtime_error(std::string("COPY failed to start: ") + PQerrorMessage(conn));
  if (PQputCopyData(conn, csv.data(), static_cast<int>(csv.size())) != 1 || PQputCopyEnd(conn, nullptr) != 1) {
    throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(conn));
  }
  res = PQgetResult(conn);
  ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string err = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  while ((res = PQgetResult(conn)) != nullptr) PQclear(res);
  if (!ok) throw std::runtime_error("COPY failed: " + err);
}

void AppendCsv(std::string& out, const std::optional<std::string>& v) {
  if (!v) return;  // empty unquoted field = NULL in PostgreSQL's CSV COPY
  out.push_back('"');
  for (char c : *v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void CopyRows(Session& s, const std::string& table, const std::string& cols, std::size_t ncols, std::size_t nrows,
              const CellFn& cell) {
  constexpr std::size_t kChunk = 100000;  // bounded memory for the CSV text of one COPY
  for (std::size_t start = 0; start < nrows; start += kChunk) {
    const std::size_t end = std::min(nrows, start + kChunk);
    std::string csv;
    csv.reserve((end - start) * ncols * 8);
    for (std::size_t r = start; r < end; ++r) {
      for (std::size_t c = 0; c < ncols; ++c) {
        if (c) csv.push_back(',');
        AppendCsv(csv, cell(c, r));
      }
      csv.push_back('\n');
    }
    CopyIn(s.sql(), std::string(table).append(" (").append(cols).append(")"), csv);
  }
}

void StepRows(Session& s, const std::string& table, const std::string& cols, std::size_t ncols, std::size_t nrows,
              const CellFn& cell) {
  using namespace sqlite_api;  // SOCI's header wraps sqlite3.h in this namespace
  auto* be = static_cast<soci::sqlite3_session_backend*>(s.sql().get_backend());
  std::string ph;
  for (std::size_t c = 0; c < ncols; ++c) ph += c ? ", ?" : "?";
  const std::string text = "INSERT INTO " + table + " (" + cols + ") VALUES (" + ph + ")";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(be->conn_, text.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(be->conn_));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(stmt, sqlite3_finalize);
  for (std::size_t r = 0; r < nrows; ++r) {
    for (std::size_t c = 0; c < ncols; ++c) {
      const auto& v = cell(c, r);
      if (v) {
        sqlite3_bind_text(stmt, static_cast<int>(c + 1), v->data(), static_cast<int>(v->size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_null(stmt, static_cast<int>(c + 1));
      }
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      throw std::runtime_error(
          fmt::format("insert into {} failed at row {}: {}", table, r + 1, sqlite3_errmsg(be->conn_)));
    }
    sqlite3_reset(stmt);
  }
}

}  // namespace

void BulkInsert(Session& s, const std::string& table, const std::vector<std::string>& columns, std::size_t nrows,
                const CellFn& cell) {
  if (nrows == 0) return;
  std::string cols;
  for (const auto& c : columns) cols += (cols.empty() ? "" : ", ") + c;
  if (s.dialect() == Dialect::kPostgres) {
    CopyRows(s, table, cols, columns.size(), nrows, cell);
  } else {
    StepRows(s, table, cols, columns.size(), nrows, cell);
  }
}

void BulkInsert(Session& s, const std::string& table, const std::vector<std::string>& columns,
                const ColumnValues& column_values, std::size_t nrows) {
  BulkInsert(s, table, columns, nrows,
             [&](std::size_t c, std::size_t r) -> const std::optional<std::string>& { return column_values[c][r]; });
}

}  // namespace sanad::db
