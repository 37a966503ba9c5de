// A compiled rule: a list of column operations in dependency order. Each operation computes one column
// for the whole batch (one value, one per household, or one per member); aggregates reduce member
// columns per household through the CSR offsets. Households are never walked one by one through a tree.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "rules/ast.h"
#include "rules/batch.h"
#include "rules/schema.h"

namespace sanad::rules {

enum class OpKind {
  kConst,          // i / d / s
  kLoadHousehold,  // name
  kLoadMember,     // name
  kToHousehold,    // args[0] scalar → one value per household
  kToMember,       // args[0] scalar or household → one value per member
  kToDecimal,      // args[0] int → decimal
  kNot,
  kNeg,
  kAnd,
  kOr,
  kArith,    // name = + - * /, operands of type `operand`
  kCompare,  // name = == != < <= > >=, operands of type `operand`
  kIn,       // args[0] in list_*
  kSelect,   // args[0] ? args[1] : args[2]
  kAge,      // completed years of args[0] on the reference date
  kHas,
  kMin,
  kMax,
  kAggregate,  // name = count|sum|min|max|exists over the member column args[0]
  kRank,       // name = key member field, args[0] = member filter
};

struct Op {
  OpKind kind = OpKind::kConst;
  Type type = Type::kInt;
  Level level = Level::kScalar;
  std::array<int, 3> args{-1, -1, -1};
  std::string name;
  Type operand = Type::kInt;
  std::int64_t i = 0;
  double d = 0;
  std::string s;
  std::vector<std::int64_t> list_ints;
  std::vector<double> list_decimals;
  std::vector<std::string> list_strings;
};

struct Plan {
  std::vector<Op> ops;
  int result = -1;
  Type type = Type::kInt;
  std::vector<std::string> household_fields;  // the columns the plan reads, checked before evaluating
  std::vector<std::string> member_fields;
};

// Parses, type-checks and compiles a rule. When `result` is given the rule must have that type
// (rule.result_type otherwise). Every failure is a coded error (rule.*) with its line and column.
Result<Plan> Compile(std::string_view source, const Schema& schema, const Params& params,
                     std::optional<Type> result = std::nullopt, const Limits& limits = {});

// Compiles a checked tree (Compile's last step; tests use it on trees they also evaluate themselves).
Plan CompileTree(const Node& root);

// Evaluates a plan over a batch; `reference_date` is the day ages are taken on (the period's first day).
// Errors: rule.batch_invalid naming the column that is missing, of the wrong type or length.
Result<RuleValues> Evaluate(const Plan& plan, const Batch& batch, const Date& reference_date);

}  // namespace sanad::rules
