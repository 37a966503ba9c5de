#include "db/sort_order.h"

namespace sanad::db {

std::vector<std::string> SortValues(std::span<const SortColumn> columns) {
  std::vector<std::string> out;
  out.reserve(columns.size() * 2);
  for (const auto& c : columns) {
    out.emplace_back(c.key);
    out.push_back("-" + std::string(c.key));
  }
  return out;
}

std::string TextOrder(std::string_view sql, Dialect dialect) {
  std::string out(sql);
  if (dialect == Dialect::kPostgres) out += " COLLATE \"C\"";
  return out;
}

std::string OrderBy(Dialect dialect, std::span<const SortColumn> columns, std::string_view value,
                    std::string_view tiebreak, std::string_view fallback) {
  const bool descending = value.starts_with('-');
  if (descending) value.remove_prefix(1);
  const std::string_view dir = descending ? " DESC" : "";
  for (const auto& c : columns) {
    if (c.key != value) continue;
    std::string out = c.text ? TextOrder(c.sql, dialect) : std::string(c.sql);
    out += dir;
    out += ", ";
    out += tiebreak;
    out += dir;
    return out;
  }
  return std::string(fallback);
}

}  // namespace sanad::db
