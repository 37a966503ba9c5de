// The order of a list a client may sort: an allow-list of keys, each naming the SQL its store orders by.
// The client's value only chooses an entry of the list; the ORDER BY text is always the store's own.
//
// Text is ordered by its bytes (UTF-8, hence code-point order: capitals before small letters, Latin
// before Arabic, punctuation by its code) on both databases. PostgreSQL would otherwise follow the
// collation of the server's locale (en_US, fr_FR or ar_MA each sort differently and some ignore
// punctuation and case), so the same names would come in different orders on SQLite, on the test
// server and in production, and a page boundary would depend on the installation.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/database_url.h"

namespace sanad::db {

// A column a list may be sorted by: the key clients send and the SQL expression it stands for.
struct SortColumn {
  std::string_view key;
  std::string_view sql;
  bool text = false;  // a text column or expression: ordered by its bytes (TextOrder)
};

// `sql` (a text column or expression) ordered by its bytes: COLLATE "C" on PostgreSQL; unchanged on
// SQLite, whose default collation BINARY already compares bytes (no column declares another).
std::string TextOrder(std::string_view sql, Dialect dialect);

// Every value a client may send for `columns`: each key ascending and, "-" first, descending. The
// route's allow-list (http::QueryReader::OneOf), so an unknown value is refused with 400 first.
std::vector<std::string> SortValues(std::span<const SortColumn> columns);

// The ORDER BY text (without the keywords) for `value`, a key of `columns` with "-" first for
// descending; ties broken by `tiebreak` in the same direction, so that pages never overlap. `fallback`
// for an empty value, or one that is not in `columns` (written by the store: TextOrder is its to apply).
std::string OrderBy(Dialect dialect, std::span<const SortColumn> columns, std::string_view value,
                    std::string_view tiebreak, std::string_view fallback);

}  // namespace sanad::db
