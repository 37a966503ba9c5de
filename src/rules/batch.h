// A batch of households as the plan reads it: struct of arrays. Household fields are columns with one
// value per household; members are in CSR form (the members of household h are rows
// member_offsets[h] .. member_offsets[h+1]-1 of every member column).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "rules/ast.h"

namespace sanad::rules {

// Text that string columns view: copied into blocks that never move, so that a view stays valid as long
// as its arena lives. A column, its copies and a selection of its batch share the arena.
class TextArena {
 public:
  std::string_view Add(std::string_view text);

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
};

struct InputColumn {
  Type type = Type::kInt;
  std::vector<std::int64_t> ints;  // bool (0/1), int, date (DayNumber)
  std::vector<double> decimals;
  // Views, not copies: a registry read keeps each household's text once (in `text`) and views its
  // members' fields, rather than making a string per member and field (docs/rules.md "Evaluation").
  std::vector<std::string_view> strings;
  std::vector<std::uint8_t> present;  // empty: every value is present; otherwise 0 marks a null
  std::shared_ptr<TextArena> text;    // what `strings` view, unless their text outlives the batch anyway
};

// Appends a copy of `value` to a string column's values (its arena made on first use); `present` is the
// caller's.
void AddString(InputColumn& column, std::string_view value);

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
