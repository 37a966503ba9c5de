// Reading SOCI rows the same way on both databases, and turning SOCI exceptions into Errors.
#pragma once

#include <soci/soci.h>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"
#include "db/database.h"

namespace sanad::db {

// Runs `f` (which returns a Result) and turns an exception thrown by SOCI or the driver into an Error
// (see ErrorFromException): the one catch of a store method.
template <typename F>
auto Guard(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
}

// Integer column as long long whatever type the backend reports (SQLite types INTEGER columns and
// aggregates as int, PostgreSQL BIGINT as long long).
long long RowInt(const soci::row& r, std::size_t i);
std::optional<long long> RowOptInt(const soci::row& r, std::size_t i);
double RowDouble(const soci::row& r, std::size_t i);
std::optional<std::string> RowOptStr(const soci::row& r, std::size_t i);
std::string RowStr(const soci::row& r, std::size_t i);  // "" for NULL

// SELECT COUNT(*) … with the caller's bindings.
long long CountRows(soci::session& sql, const std::string& query, const std::function<void(soci::statement&)>& bind);

// Runs `query` (with the caller's bindings) and calls `each` for every row.
void EachRow(soci::session& sql, const std::string& query, const std::function<void(soci::statement&)>& bind,
             const std::function<void(const soci::row&)>& each);

}  // namespace sanad::db
