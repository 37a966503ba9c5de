#include "db/bulk_load.h"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <charconv>
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

void OpenScratchTable(Session& s, const std::string& table, const std::string& columns) {
  s.sql() << "CREATE TEMP TABLE IF NOT EXISTS " + table + " (" + columns + ")";
  EmptyScratchTable(s, table);
}

void EmptyScratchTable(Session& s, const std::string& table) {
  s.sql() << (s.dialect() == Dialect::kPostgres ? "TRUNCATE " : "DELETE FROM ") + table;
}

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

class RowWriter::Backend {
 public:
  virtual ~Backend() = default;
  virtual void Int(std::int64_t v) = 0;
  virtual void Double(double v) = 0;
  virtual void Text(std::string_view v) = 0;
  virtual void Null() = 0;
  virtual void EndRow() = 0;
  virtual void Finish() = 0;
};

namespace {

// One prepared INSERT stepped per row. Texts are bound SQLITE_STATIC: RowWriter's contract keeps them
// alive until EndRow, which steps the row.
class SqliteRowWriter final : public RowWriter::Backend {
 public:
  SqliteRowWriter(Session& s, const std::string& table, const std::vector<std::string>& columns)
      : table_(table), stmt_(nullptr, sqlite_api::sqlite3_finalize) {
    using namespace sqlite_api;
    conn_ = static_cast<soci::sqlite3_session_backend*>(s.sql().get_backend())->conn_;
    std::string cols, ph;
    for (const auto& c : columns) {
      cols += (cols.empty() ? "" : ", ") + c;
      ph += ph.empty() ? "?" : ", ?";
    }
    const std::string text = "INSERT INTO " + table + " (" + cols + ") VALUES (" + ph + ")";
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(conn_, text.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(conn_));
    }
    stmt_.reset(st);
  }
  void Int(std::int64_t v) override { sqlite_api::sqlite3_bind_int64(stmt_.get(), ++at_, v); }
  void Double(double v) override { sqlite_api::sqlite3_bind_double(stmt_.get(), ++at_, v); }
  void Text(std::string_view v) override {
    sqlite_api::sqlite3_bind_text(stmt_.get(), ++at_, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void Null() override { sqlite_api::sqlite3_bind_null(stmt_.get(), ++at_); }
  void EndRow() override {
    using namespace sqlite_api;
    ++rows_;
    if (sqlite3_step(stmt_.get()) != SQLITE_DONE) {
      throw std::runtime_error(
          fmt::format("insert into {} failed at row {}: {}", table_, rows_, sqlite3_errmsg(conn_)));
    }
    sqlite3_reset(stmt_.get());
    at_ = 0;
  }
  void Finish() override {}

 private:
  std::string table_;
  sqlite_api::sqlite3* conn_ = nullptr;
  std::unique_ptr<sqlite_api::sqlite3_stmt, int (*)(sqlite_api::sqlite3_stmt*)> stmt_;
  int at_ = 0;
  std::size_t rows_ = 0;
};

// COPY … FROM STDIN in CSV, sent every kChunk rows (bounded memory).
class PostgresRowWriter final : public RowWriter::Backend {
 public:
  PostgresRowWriter(Session& s, const std::string& table, const std::vector<std::string>& columns) : s_(s) {
    target_ = table + " (";
    for (std::size_t c = 0; c < columns.size(); ++c) target_ += (c ? ", " : "") + columns[c];
    target_ += ")";
  }
  void Int(std::int64_t v) override {
    Separator();
    csv_ += std::to_string(v);
  }
  void Double(double v) override {
    Separator();
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
    csv_.append(buf, end);
  }
  void Text(std::string_view v) override {
    Separator();
    csv_.push_back('"');
    for (char c : v) {
      if (c == '"') csv_.push_back('"');
      csv_.push_back(c);
    }
    csv_.push_back('"');
  }
  void Null() override { Separator(); }  // an empty unquoted field is NULL
  void EndRow() override {
    csv_.push_back('\n');
    first_ = true;
    if (++rows_ == kChunk) Send();
  }
  void Finish() override { Send(); }

 private:
  static constexpr std::size_t kChunk = 100000;
  void Separator() {
    if (!first_) csv_.push_back(',');
    first_ = false;
  }
  void Send() {
    if (rows_ == 0) return;
    CopyIn(s_.sql(), target_, csv_);
    csv_.clear();
    rows_ = 0;
  }
  Session& s_;
  std::string target_, csv_;
  bool first_ = true;
  std::size_t rows_ = 0;
};

}  // namespace

RowWriter::RowWriter(Session& s, const std::string& table, const std::vector<std::string>& columns) {
  if (s.dialect() == Dialect::kPostgres) {
    backend_ = std::make_unique<PostgresRowWriter>(s, table, columns);
  } else {
    backend_ = std::make_unique<SqliteRowWriter>(s, table, columns);
  }
}
RowWriter::~RowWriter() = default;
void RowWriter::Int(std::int64_t v) { backend_->Int(v); }
void RowWriter::Double(double v) { backend_->Double(v); }
void RowWriter::Text(std::string_view v) { backend_->Text(v); }
void RowWriter::Null() { backend_->Null(); }
void RowWriter::EndRow() { backend_->EndRow(); }
void RowWriter::Finish() { backend_->Finish(); }

}  // namespace sanad::db
