// A batch of households as the plan reads it: struct of arrays. Household fields are columns with one
// value per household; members are in CSR form (the members of household h are rows
// member_offsets[h] .. member_offsets[h+1]-1 of every member column).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "rules/ast.h"

namespace sanad::rules {

struct InputColumn {
  Type type = Type::kInt;
  std::vector<std::int64_t> ints;  // bool (0/1), int, date (DayNumber)
  std::vector<double> decimals;
  std::vector<std::string> strings;
  std::vector<std::uint8_t> present;  // empty: every value is present; otherwise 0 marks a null
};

struct Batch {
  std::size_t households = 0;
  std::vector<std::uint32_t> member_offsets;  // households + 1 entries, non-decreasing, starting at 0
  std::map<std::string, InputColumn, std::less<>> household;
  std::map<std::string, InputColumn, std::less<>> member;
};

// The households `rows` of a batch (ascending or not, each at most once), with their members, as a batch
// of their own: household k of the result is household rows[k]. A household's value never depends on the
// others of its batch, so a plan evaluated over the selection gives what it gives over the whole batch at
// those rows; evaluating the amounts of the few eligible households needs only them.
// Errors: rule.batch_invalid naming member_offsets, a column whose length is not the batch's, or a row
// outside the batch.
Result<Batch> SelectHouseholds(const Batch& batch, std::span<const std::uint32_t> rows);

// Days since 1970-01-01, the representation of dates in columns.
std::int64_t DayNumber(const Date& date);

// The value of a rule for each household of a batch: ints for bool (0/1), int and date results,
// decimals for decimal results; present[h] == 0 when the value is null (null semantics: docs/rules.md).
struct RuleValues {
  Type type = Type::kInt;
  std::vector<std::int64_t> ints;
  std::vector<double> decimals;
  std::vector<std::uint8_t> present;
};

}  // namespace sanad::rules
