// Whether a programme can run: every rule compiles against ProgrammeSchema() with every parameter set
// and gives the type its place needs (bool conditions, int lines and one-offs, numeric reason values),
// and the definition hangs together (codes, currency, dates, incompatible programmes). Pure: no SQL.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "programs/programme.h"

namespace sanad::programs {

// The problems of one rule at `field` ("eligibility[2].rule"), compiled with each set's parameters
// (with no parameters when `sets` is empty). A failure common to every set is reported once with the
// rule's own code (rule.*, with line and column); a failure of some sets only names each set's date:
// program.param_missing_in_set for a parameter the set lacks, otherwise the rule's code with a "set"
// parameter. `type` is the result the rule must give; nullopt accepts an int or a decimal.
std::vector<Problem> CheckRule(std::string_view rule, std::optional<rules::Type> type,
                               std::span<const ParameterSet> sets, const std::string& field);

// Every problem of `programme` at once: Failures(kFailedPrecondition, "program.invalid", problems),
// each naming its member's path. `other_codes` are the codes of the other programmes the catalogue
// knows (an incompatible programme must be one of them).
Status ValidateProgramme(const Programme& programme, std::span<const std::string> other_codes);

}  // namespace sanad::programs
