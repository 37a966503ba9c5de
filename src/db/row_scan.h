// A forward-only scan of a query's rows with typed access to the current row, for the batch reads that
// fetch millions of rows (programme cycles): through SQLite's own API on SQLite (no conversion layer
// per cell, text read in place), through SOCI rows on PostgreSQL. Placeholders are `:name`, each used
// once, bound in order of appearance. Throws on a database error like any SOCI statement: call it
// inside db::Guard or a transaction's work.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "db/database.h"

namespace sanad::db {

// A bound value: NULL, an integer or a text.
using ScanParam = std::variant<std::monostate, std::int64_t, std::string>;

// The current row; valid only during the callback.
class ScanRow {
 public:
  virtual ~ScanRow() = default;
  virtual bool Null(int column) const = 0;
  virtual std::int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  virtual std::string_view Text(int column) const = 0;
};

void ScanRows(Session& s, const std::string& query, const std::vector<ScanParam>& params,
              const std::function<void(const ScanRow&)>& each);

// The same scan for reads of tens of millions of narrow rows (the micro-credit portfolio's instalments):
// on PostgreSQL through `COPY (query) TO STDOUT` in text format, each row parsed in place from the
// stream instead of one SOCI row object per row (about ten times fewer cycles per row). COPY takes no
// bind parameters, so the `:name` placeholders are replaced by literals, texts quoted by libpq
// (PQescapeLiteral); a placeholder inside a quoted string is left alone. On SQLite: ScanRows.
// Text() is only valid during the callback.
void CopyRows(Session& s, const std::string& query, const std::vector<ScanParam>& params,
              const std::function<void(const ScanRow&)>& each);

}  // namespace sanad::db
