// What a reviewer reads of an import request before deciding it: its staged rows, a page at a time,
// with how many rows (and households) each commune receives and the warnings of each row. Reads only;
// scope is the caller's business (the request is read through its scoped read first).
//
// Row warnings (catalogue codes): import.national_id_in_use (an active person of the registry holds
// the row's national ID), import.national_id_repeated (another row of the same import holds it, its
// row in `row`), import.household_without_members (a households import: the household has no member
// until a persons import adds them).
// Errors: kInternal/kUnavailable for database failures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "registry/import_sheet.h"
#include "registry/records.h"

namespace sanad::registry {

struct StagedRow {
  long long row = 0;                         // position in the import (1 = its first data row)
  std::optional<std::string> household_ref;  // the household the row names or creates
  std::optional<std::string> commune_code;   // the household's commune
  std::optional<Values> household;           // households, households with members
  std::optional<Values> person;              // persons, households with members
  std::vector<RowError> warnings;            // row = `row`, column = the field concerned
};

struct CommuneCount {
  std::string commune_code;
  long long rows = 0;
  long long households = 0;
};

struct StagedRowsPage {
  long long total = 0;                 // rows of the request
  std::vector<CommuneCount> communes;  // every commune of the request, by code
  std::vector<StagedRow> rows;
};

class StagedRowsStore {
 public:
  explicit StagedRowsStore(db::Database& db) : db_(db) {}

  // Rows `offset`…`offset + limit` of the import request `cr` of kind `kind` (import_households,
  // import_persons, import_households_with_members), in file order. A request already decided has no
  // staged rows left (total 0).
  Result<StagedRowsPage> Page(std::int64_t cr, std::string_view kind, int limit, int offset);

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
