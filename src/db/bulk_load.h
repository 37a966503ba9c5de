// Bulk insert of many rows into one table, the fastest way each database offers: PostgreSQL's COPY
// (CSV text, in chunks of bounded size) and, on SQLite, one statement prepared once and stepped per
// row through SQLite's own API. Callers stay free of backend headers.
//
// Values are text (NULL as nullopt): PostgreSQL converts each CSV field to its column's type, SQLite
// applies the column's affinity. Runs inside the caller's transaction (the session's); throws on a
// database error like any SOCI statement, so it belongs inside db::Guard or Database::InTransaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace sanad::db {

// The cell of `column` in `row`, by reference to where the caller already holds it (no copy into
// another layout). The reference must stay valid until the next call: SQLite reads every bound cell of
// a row only when the row is stepped, so a computed cell needs a buffer of its own per column.
using CellFn = std::function<const std::optional<std::string>&(std::size_t column, std::size_t row)>;

// Inserts `nrows` rows into `table` (`columns` in order). Table and column names are SQL identifiers
// given by the program, never user text.
void BulkInsert(Session& s, const std::string& table, const std::vector<std::string>& columns, std::size_t nrows,
                const CellFn& cell);

// Column-major values: column_values[c][r].
using ColumnValues = std::vector<std::vector<std::optional<std::string>>>;
void BulkInsert(Session& s, const std::string& table, const std::vector<std::string>& columns,
                const ColumnValues& column_values, std::size_t nrows);

// A temporary table of this connection that holds the input of set-based statements (a chunk's rows
// bulk-inserted, compared, then discarded), so that each step is one statement: made on the
// connection's first use (`columns`: the column list of its CREATE TABLE, given by the program) and
// emptied for this one. Empty it again when done (EmptyScratchTable). Runs in the caller's transaction.
void OpenScratchTable(Session& s, const std::string& table, const std::string& columns);

// Empties such a table. PostgreSQL never vacuums temporary tables, so
// rows deleted from one stay in its pages: each later use on the connection scans them all, and the
// planner, which sizes a table it never analysed by its pages, turns joins on it into full scans of
// the other side. TRUNCATE gives the table new, empty storage; SQLite's DELETE without WHERE already
// frees the pages. Runs in the caller's transaction; throws like any SOCI statement.
void EmptyScratchTable(Session& s, const std::string& table);

// The same bulk insert fed one typed row at a time, for writers of millions of rows computed on the fly
// (programme cycles, scores): no per-cell strings to build, integers and doubles bound as such on SQLite
// (no text to convert through the column's affinity), PostgreSQL's COPY text built in place and sent in chunks.
//   RowWriter w(session, "t", {"a", "b"});  w.Int(1); w.Text("x"); w.EndRow();  …  w.Finish();
// Each row gives every column once, in order. Finish() sends what is left; rows not finished are lost.
// Throws on a database error like BulkInsert.
class RowWriter {
 public:
  RowWriter(Session& s, const std::string& table, const std::vector<std::string>& columns);
  ~RowWriter();
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;

  void Int(std::int64_t v);
  // Bound as a double on SQLite; on PostgreSQL written as its shortest exact text, which PostgreSQL reads
  // back exactly. (Text through SQLite's REAL affinity would not always be: its decimal reading is not
  // correctly rounded.)
  void Double(double v);
  void Text(std::string_view v);  // the text is read before Text returns on PostgreSQL, at EndRow on SQLite
  void Null();
  void EndRow();
  void Finish();

  class Backend;

 private:
  std::unique_ptr<Backend> backend_;
};

}  // namespace sanad::db
