// The syntax tree of a targeting rule, as the parser builds it and the type checker annotates it.
// It lives only between parsing and compilation: households are never evaluated by walking it (the
// plan in plan.h computes whole columns); tests walk it as an independent reference evaluator.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sanad::rules {

// Value types of the language. Bool and Date are stored as int64 (0/1, days since 1970-01-01).
enum class Type { kBool, kInt, kDecimal, kString, kDate };

// Where a value varies: one value for the whole batch, one per household, or one per member.
enum class Level { kScalar, kHousehold, kMember };

const char* TypeName(Type type);

// A place in the source: 1-based line and column (columns count characters, not bytes).
struct Pos {
  int line = 1;
  int column = 1;
};

enum class NodeKind {
  kInt,          // 42                          value_int
  kDecimal,      // 9.743001                    value_decimal
  kString,       // "primary"                   text
  kBool,         // true / false                value_int
  kDate,         // date("2026-03-01")          value_int (days)
  kParam,        // param("asd.flat")           text = name; resolved into value_int/value_decimal
  kField,        // urban                       text = household field
  kMemberField,  // m.birth_date                var, text = member field
  kUnary,        // ! -                         text = operator, kids[0]
  kBinary,       // && || == != < <= > >= + - * /   text = operator, kids[0..1]
  kTernary,      // c ? a : b                   kids[0..2]
  kIn,           // e in [l1, l2]               kids[0] = e, kids[1..] = literals
  kCall,         // age(e) min(a, b) max(a, b) has(e)   text = function
  kAggregate,    // members.count(m, body)      text = count|sum|min|max|exists, var, kids[0] = body
  kRank,         // m.rank_by(key, filter)      var, text = key member field, kids[0] = filter
};

struct Node {
  NodeKind kind = NodeKind::kInt;
  Pos pos;
  std::string text;
  std::string var;
  std::int64_t value_int = 0;
  double value_decimal = 0;
  std::vector<std::unique_ptr<Node>> kids;
  // Filled by the type checker.
  Type type = Type::kInt;
  Level level = Level::kScalar;
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace sanad::rules
