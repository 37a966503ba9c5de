// The one way the rule compiler reports a problem: a catalogue code (rule.*) with the position and
// what was expected, addressed to the field "rule".
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "rules/ast.h"

namespace sanad::rules {

inline std::unexpected<Error> RuleError(std::string_view reason, Pos pos, MessageParams params = {}) {
  params.insert(params.begin(), {{"line", std::to_string(pos.line)}, {"column", std::to_string(pos.column)}});
  return Failure(Code::kInvalidArgument, std::string(reason), std::move(params), "rule");
}

}  // namespace sanad::rules
