// What evaluation (evaluate.cpp) and selection (batch.cpp) check of a batch before reading it: one
// definition of both checks and of the error they give.
#pragma once

#include <string>

#include "rules/batch.h"

namespace sanad::rules {

// rule.batch_invalid naming what does not hold what the batch says (a column, member_offsets, rows).
inline std::unexpected<Error> BatchInvalid(const std::string& column) {
  return Failure(Code::kInvalidArgument, "rule.batch_invalid", {{"column", column}}, "rule");
}

// Whether member_offsets has households + 1 entries, starts at 0 and never decreases.
inline bool OffsetsValid(const Batch& batch) {
  const auto& off = batch.member_offsets;
  if (off.size() != batch.households + 1 || off.front() != 0) return false;
  for (std::size_t h = 0; h < batch.households; ++h) {
    if (off[h] > off[h + 1]) return false;
  }
  return true;
}

}  // namespace sanad::rules
