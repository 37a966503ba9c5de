// Checks a parsed rule against the schema and the period's parameters, and annotates every node with
// its type and level (ast.h). Parameters are resolved here: an unknown one is a compile error.
#pragma once

#include "core/error.h"
#include "rules/ast.h"
#include "rules/schema.h"

namespace sanad::rules {

// Errors: rule.type_mismatch, rule.unknown_field, rule.unknown_variable, rule.outer_variable,
// rule.unknown_function, rule.wrong_arity, rule.unknown_param, rule.enum_value.
Status TypeCheck(Node& root, const Schema& schema, const Params& params);

}  // namespace sanad::rules
