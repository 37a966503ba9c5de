// The spec's predicate and expression queries over persons (SubscriptionInfo.filter: expression1 /
// condition / expression2 with operators gt, lt, eq, ge, le, in and conditions and, or, not; the
// expression form's $and / $or / $not with $eq, $lt, …) as a tree of conditions on whitelisted
// columns, turned into SQL with bound values by DciStore::SearchPersonIds. Pure: no SQL runs here.
//
// Attributes: national_id, birth_date (YYYY-MM-DD), age (years on `today`, compared through the birth
// date), sex, marital_status, disability_percent, status, area (location, commune_code: a commune or any
// enclosing area code), household_size (group_size: the active members of the person's household).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"

namespace sanad::dci {

struct Condition {
  enum class Kind { kTerm, kAnd, kOr, kNot };
  Kind kind = Kind::kTerm;
  std::string sql;                  // kTerm: SQL text with '?' for each value, in order
  std::vector<std::string> values;  // kTerm: bound as text
  std::vector<Condition> children;  // kAnd / kOr: two or more; kNot: one
};

// One expression {attribute_name, operator, attribute_value}. Errors: kInvalidArgument naming the
// attribute, the operator or the value.
Result<Condition> TermOf(const std::string& attribute, const std::string& op, const nlohmann::json& value,
                         const std::string& today);

// The predicate list [{seq_num, expression1, condition, expression2}, …] (items joined by and, in
// seq_num order), or a single such object.
Result<Condition> FromPredicate(const nlohmann::json& query, const std::string& today);

// The expression form {type, value: {expression: {collection, query}}} (or its inner query).
Result<Condition> FromExpression(const nlohmann::json& query, const std::string& today);

// The SQL of a condition; `values` receives the bound values in order (for ':v0', ':v1', … placeholders).
std::string ConditionSql(const Condition& c, std::vector<std::string>& values);

}  // namespace sanad::dci
