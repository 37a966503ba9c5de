// What a rule may read: the fields of households and members with their types (and, for enumerations,
// the allowed values), the period's parameters, and the limits that keep compilation bounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "rules/ast.h"

namespace sanad::rules {

struct FieldSpec {
  Type type = Type::kInt;
  // For a string field with a closed vocabulary: comparing it with a literal outside this list is a
  // compile error that names the allowed values.
  std::vector<std::string> allowed;
};

struct Schema {
  std::map<std::string, FieldSpec, std::less<>> household;
  std::map<std::string, FieldSpec, std::less<>> member;
};

// Parameters of a period ("asd.child_r1_3.young" → 250), fixed at compile time.
using ParamValue = std::variant<std::int64_t, double>;
using Params = std::map<std::string, ParamValue, std::less<>>;

struct Limits {
  std::size_t max_source_bytes = 16 * 1024;
  int max_depth = 64;    // nesting of sub-expressions
  int max_nodes = 4096;  // syntax-tree nodes
};

}  // namespace sanad::rules
