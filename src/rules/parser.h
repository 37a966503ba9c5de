// Parses a rule's source into a syntax tree (ast.h), enforcing the limits on source length, nesting
// depth and node count so that any input is handled in bounded time and stack.
#pragma once

#include <string_view>

#include "core/error.h"
#include "rules/ast.h"
#include "rules/schema.h"

namespace sanad::rules {

// Errors: rule.too_long, rule.too_deep, rule.too_many_nodes, rule.unexpected_token, rule.bad_number,
// rule.bad_date, rule.literal_expected, and the lexer's.
Result<NodePtr> Parse(std::string_view source, const Limits& limits = {});

}  // namespace sanad::rules
