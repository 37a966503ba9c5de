// The order of a list a client may sort: an allow-list of keys, each naming the SQL its store orders by.
// The client's value only chooses an entry of the list; the ORDER BY text is always the store's own.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sanad::db {

// A column a list may be sorted by: the key clients send and the SQL expression it stands for.
struct SortColumn {
  std::string_view key;
  std::string_view sql;
};

// Every value a client may send for `columns`: each key ascending and, "-" first, descending. The
// route's allow-list (http::QueryReader::OneOf), so an unknown value is refused with 400 first.
std::vector<std::string> SortValues(std::span<const SortColumn> columns);

// The ORDER BY text (without the keywords) for `value`, a key of `columns` with "-" first for
// descending; ties broken by `tiebreak` in the same direction, so that pages never overlap. `fallback`
// for an empty value, or one that is not in `columns`.
std::string OrderBy(std::span<const SortColumn> columns, std::string_view value, std::string_view tiebreak,
                    std::string_view fallback);

}  // namespace sanad::db
