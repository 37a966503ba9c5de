// A file of households with their members: one row per person, the household's columns repeated on
// each of its members' rows, rows grouped into households by household_ref. The importer splits it
// into the two files it holds — one row per household (taken from the household's first row) and one
// row per person — and validates each like a households file and a persons file.
//
// Rules checked here, each reported on the row it concerns: household_ref is required; a household
// column of a later row is either empty or equal to the household's first row (import.household_disagrees
// names the row, the column and the first row); a household has exactly one head (import.household_no_head
// on its first row, import.head_twice on every further head).
#pragma once

#include <cstddef>
#include <vector>

#include "registry/import_mapping.h"

namespace sanad::registry {

struct HouseholdsWithMembers {
  // One row per household (row number: its first row in the file): household_ref and household columns.
  Sheet households;
  Mapping household_columns;
  // Every row of the file: record_id, household_ref and the person columns.
  Sheet persons;
  Mapping person_columns;
  // persons row → households row; kNoHousehold when the row names no household.
  std::vector<std::size_t> household_of;
  std::vector<RowError> errors;

  static constexpr std::size_t kNoHousehold = static_cast<std::size_t>(-1);
};

// Splits `sheet`, read with the columns of ImportKind::kHouseholdsWithMembers (`mapping`). The result's
// cells are views into `sheet`, which must outlive it.
HouseholdsWithMembers SplitHouseholdsWithMembers(const Sheet& sheet, const Mapping& mapping);

}  // namespace sanad::registry
