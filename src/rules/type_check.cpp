#include "rules/type_check.h"

#include <algorithm>
#include <string>
#include <vector>

#include "rules/errors.h"

namespace sanad::rules {

const char* TypeName(Type type) {
  switch (type) {
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kDecimal:
      return "decimal";
    case Type::kString:
      return "string";
    case Type::kDate:
      return "date";
  }
  return "?";
}

namespace {

bool IsNumeric(Type t) { return t == Type::kInt || t == Type::kDecimal; }

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

template <typename Map>
std::string Names(const Map& fields) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const auto& [name, spec] : fields) names.push_back(name);
  return Join(names);
}

class Checker {
 public:
  Checker(const Schema& schema, const Params& params) : schema_(schema), params_(params) {}

  Status Check(Node& n) {
    switch (n.kind) {
      case NodeKind::kInt:
        return Set(n, Type::kInt, Level::kScalar);
      case NodeKind::kDecimal:
        return Set(n, Type::kDecimal, Level::kScalar);
      case NodeKind::kString:
        return Set(n, Type::kString, Level::kScalar);
      case NodeKind::kBool:
        return Set(n, Type::kBool, Level::kScalar);
      case NodeKind::kDate:
        return Set(n, Type::kDate, Level::kScalar);
      case NodeKind::kParam: {
        auto it = params_.find(n.text);
        if (it == params_.end()) return RuleError(MsgCode("rule.unknown_param"), n.pos, {{"name", n.text}});
        if (const auto* i = std::get_if<std::int64_t>(&it->second)) {
          n.value_int = *i;
          return Set(n, Type::kInt, Level::kScalar);
        }
        n.value_decimal = std::get<double>(it->second);
        return Set(n, Type::kDecimal, Level::kScalar);
      }
      case NodeKind::kField: {
        auto it = schema_.household.find(n.text);
        if (it == schema_.household.end()) {
          return RuleError(MsgCode("rule.unknown_field"), n.pos,
                           {{"name", n.text}, {"allowed", Names(schema_.household)}});
        }
        return Set(n, it->second.type, Level::kHousehold);
      }
      case NodeKind::kMemberField: {
        if (auto st = CheckVariable(n); !st) return st;
        auto it = schema_.member.find(n.text);
        if (it == schema_.member.end()) {
          return RuleError(MsgCode("rule.unknown_field"), n.pos,
                           {{"name", n.text}, {"allowed", Names(schema_.member)}});
        }
        return Set(n, it->second.type, Level::kMember);
      }
      case NodeKind::kUnary:
        return Unary(n);
      case NodeKind::kBinary:
        return Binary(n);
      case NodeKind::kTernary:
        return Ternary(n);
      case NodeKind::kIn:
        return In(n);
      case NodeKind::kCall:
        return Call(n);
      case NodeKind::kAggregate:
        return Aggregate(n);
      case NodeKind::kRank:
        return Rank(n);
    }
    return Ok();
  }

 private:
  static Status Set(Node& n, Type type, Level level) {
    n.type = type;
    n.level = level;
    return Ok();
  }
  static Level Max(Level a, Level b) { return std::max(a, b); }
  static std::unexpected<Error> Mismatch(const Node& at, std::string expected, Type found) {
    return RuleError(MsgCode("rule.type_mismatch"), at.pos,
                     {{"expected", std::move(expected)}, {"found", TypeName(found)}});
  }
  Status Expect(Node& n, Type type) {
    if (auto st = Check(n); !st) return st;
    if (n.type != type) return Mismatch(n, TypeName(type), n.type);
    return Ok();
  }

  // Inside an aggregate only its own variable may be used: the plan evaluates the body once per member
  // of the batch, so a reference to an enclosing aggregate's member would need a cross product.
  Status CheckVariable(const Node& n) {
    if (!scopes_.empty() && scopes_.back() == n.var) return Ok();
    if (std::find(scopes_.begin(), scopes_.end(), n.var) != scopes_.end()) {
      return RuleError(MsgCode("rule.outer_variable"), n.pos, {{"name", n.var}});
    }
    return RuleError(MsgCode("rule.unknown_variable"), n.pos, {{"name", n.var}});
  }

  // A string compared with a field of a closed vocabulary must be one of its values.
  const FieldSpec* EnumField(const Node& n) const {
    const FieldSpec* spec = nullptr;
    if (n.kind == NodeKind::kField) {
      auto it = schema_.household.find(n.text);
      if (it != schema_.household.end()) spec = &it->second;
    } else if (n.kind == NodeKind::kMemberField) {
      auto it = schema_.member.find(n.text);
      if (it != schema_.member.end()) spec = &it->second;
    }
    return spec != nullptr && !spec->allowed.empty() ? spec : nullptr;
  }
  Status CheckEnum(const Node& field, const Node& literal) const {
    const FieldSpec* spec = EnumField(field);
    if (spec == nullptr || literal.kind != NodeKind::kString) return Ok();
    if (std::find(spec->allowed.begin(), spec->allowed.end(), literal.text) != spec->allowed.end()) return Ok();
    return RuleError(MsgCode("rule.enum_value"), literal.pos,
                     {{"name", field.text}, {"value", literal.text}, {"allowed", Join(spec->allowed)}});
  }

  Status Unary(Node& n) {
    Node& a = *n.kids[0];
    if (auto st = Check(a); !st) return st;
    if (n.text == "!") {
      if (a.type != Type::kBool) return Mismatch(a, "bool", a.type);
    } else if (!IsNumeric(a.type)) {
      return Mismatch(a, "int_or_decimal", a.type);
    }
    return Set(n, a.type, a.level);
  }

  Status Binary(Node& n) {
    Node& a = *n.kids[0];
    Node& b = *n.kids[1];
    if (auto st = Check(a); !st) return st;
    if (auto st = Check(b); !st) return st;
    const Level level = Max(a.level, b.level);
    const std::string& op = n.text;
    if (op == "&&" || op == "||") {
      if (a.type != Type::kBool) return Mismatch(a, "bool", a.type);
      if (b.type != Type::kBool) return Mismatch(b, "bool", b.type);
      return Set(n, Type::kBool, level);
    }
    if (op == "+" || op == "-" || op == "*" || op == "/") {
      if (!IsNumeric(a.type)) return Mismatch(a, "int_or_decimal", a.type);
      if (!IsNumeric(b.type)) return Mismatch(b, "int_or_decimal", b.type);
      return Set(n, a.type == Type::kInt && b.type == Type::kInt ? Type::kInt : Type::kDecimal, level);
    }
    // A comparison.
    const bool ordered = op != "==" && op != "!=";
    const bool same = a.type == b.type || (IsNumeric(a.type) && IsNumeric(b.type));
    if (!same) return Mismatch(b, TypeName(a.type), b.type);
    if (ordered && (a.type == Type::kString || a.type == Type::kBool)) {
      return Mismatch(a, "int_decimal_or_date", a.type);
    }
    if (auto st = CheckEnum(a, b); !st) return st;
    if (auto st = CheckEnum(b, a); !st) return st;
    return Set(n, Type::kBool, level);
  }

  Status Ternary(Node& n) {
    if (auto st = Expect(*n.kids[0], Type::kBool); !st) return st;
    Node& a = *n.kids[1];
    Node& b = *n.kids[2];
    if (auto st = Check(a); !st) return st;
    if (auto st = Check(b); !st) return st;
    const Level level = Max(n.kids[0]->level, Max(a.level, b.level));
    if (a.type == b.type) return Set(n, a.type, level);
    if (IsNumeric(a.type) && IsNumeric(b.type)) return Set(n, Type::kDecimal, level);
    return Mismatch(b, TypeName(a.type), b.type);
  }

  Status In(Node& n) {
    Node& e = *n.kids[0];
    if (auto st = Check(e); !st) return st;
    for (std::size_t k = 1; k < n.kids.size(); ++k) {
      Node& lit = *n.kids[k];
      if (auto st = Check(lit); !st) return st;
      const bool fits = lit.type == e.type || (e.type == Type::kDecimal && lit.type == Type::kInt);
      if (!fits) return Mismatch(lit, TypeName(e.type), lit.type);
      if (auto st = CheckEnum(e, lit); !st) return st;
    }
    return Set(n, Type::kBool, e.level);
  }

  Status Call(Node& n) {
    const std::string& f = n.text;
    const std::size_t arity = (f == "min" || f == "max") ? 2 : 1;
    if (f != "age" && f != "has" && f != "min" && f != "max") {
      return RuleError(MsgCode("rule.unknown_function"), n.pos, {{"name", f}});
    }
    if (n.kids.size() != arity) {
      return RuleError(MsgCode("rule.wrong_arity"), n.pos, {{"name", f}, {"expected", std::to_string(arity)}});
    }
    for (auto& k : n.kids) {
      if (auto st = Check(*k); !st) return st;
    }
    const Level level = arity == 2 ? Max(n.kids[0]->level, n.kids[1]->level) : n.kids[0]->level;
    if (f == "has") return Set(n, Type::kBool, level);
    if (f == "age") {
      if (n.kids[0]->type != Type::kDate) return Mismatch(*n.kids[0], "date", n.kids[0]->type);
      return Set(n, Type::kInt, level);
    }
    const Type a = n.kids[0]->type, b = n.kids[1]->type;
    if (a == Type::kDate && b == Type::kDate) return Set(n, Type::kDate, level);
    if (!IsNumeric(a)) return Mismatch(*n.kids[0], "int_decimal_or_date", a);
    if (!IsNumeric(b)) return Mismatch(*n.kids[1], TypeName(a), b);
    return Set(n, a == Type::kInt && b == Type::kInt ? Type::kInt : Type::kDecimal, level);
  }

  Status Aggregate(Node& n) {
    const std::string& f = n.text;
    if (f != "count" && f != "sum" && f != "min" && f != "max" && f != "exists") {
      return RuleError(MsgCode("rule.unknown_function"), n.pos, {{"name", "members." + f}});
    }
    scopes_.push_back(n.var);
    Status st = Check(*n.kids[0]);
    scopes_.pop_back();
    if (!st) return st;
    const Node& body = *n.kids[0];
    if (f == "count" || f == "exists") {
      if (body.type != Type::kBool) return Mismatch(body, "bool", body.type);
      return Set(n, f == "count" ? Type::kInt : Type::kBool, Level::kHousehold);
    }
    if (f == "sum" && !IsNumeric(body.type)) return Mismatch(body, "int_or_decimal", body.type);
    if (!IsNumeric(body.type) && body.type != Type::kDate) return Mismatch(body, "int_decimal_or_date", body.type);
    return Set(n, body.type, Level::kHousehold);
  }

  Status Rank(Node& n) {
    if (auto st = CheckVariable(n); !st) return st;
    auto it = schema_.member.find(n.text);
    if (it == schema_.member.end()) {
      return RuleError(MsgCode("rule.unknown_field"), n.pos, {{"name", n.text}, {"allowed", Names(schema_.member)}});
    }
    if (it->second.type == Type::kBool)
      return RuleError(MsgCode("rule.type_mismatch"), n.pos,
                       {{"expected", "int_decimal_string_or_date"}, {"found", "bool"}});
    if (auto st = Expect(*n.kids[0], Type::kBool); !st) return st;
    return Set(n, Type::kInt, Level::kMember);
  }

  const Schema& schema_;
  const Params& params_;
  std::vector<std::string> scopes_;  // the variables of the enclosing aggregates, innermost last
};

}  // namespace

Status TypeCheck(Node& root, const Schema& schema, const Params& params) {
  Checker checker(schema, params);
  // The result is never a member column: member fields need an aggregate's variable in scope.
  return checker.Check(root);
}

}  // namespace sanad::rules
