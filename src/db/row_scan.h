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

}  // namespace sanad::db
