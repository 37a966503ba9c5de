// From a checked syntax tree to a plan of column operations (plan.h). Values that vary less than the
// operation using them (a literal in a member expression, a household field inside an aggregate's
// body) are broadcast by explicit operations, so every kernel reads columns of one length.
#include <algorithm>
#include <bit>
#include <chrono>
#include <map>
#include <string>

#include "rules/errors.h"
#include "rules/parser.h"
#include "rules/plan.h"
#include "rules/type_check.h"

namespace sanad::rules {

std::int64_t DayNumber(const Date& date) {
  using namespace std::chrono;
  return sys_days(year_month_day{year{date.year}, month{date.month}, day{date.day}}).time_since_epoch().count();
}

namespace {

class Compiler {
 public:
  Plan Run(const Node& root) {
    plan_.result = Emit(root);
    plan_.type = root.type;
    return std::move(plan_);
  }

 private:
  // Operations are pure, so an operation already in the plan is reused rather than computed twice (the
  // ASD rule repeats "is a child under 21" six times; it becomes one column).
  int Push(Op op) {
    std::string key = std::to_string(static_cast<int>(op.kind)) + '|' + std::to_string(static_cast<int>(op.type)) +
                      '|' + std::to_string(static_cast<int>(op.level)) + '|' + std::to_string(op.args[0]) + '|' +
                      std::to_string(op.args[1]) + '|' + std::to_string(op.args[2]) + '|' +
                      std::to_string(static_cast<int>(op.operand)) + '|' + std::to_string(op.i) + '|' +
                      std::to_string(std::bit_cast<std::uint64_t>(op.d)) + '|' + std::to_string(op.name.size()) + ':' +
                      op.name + '|' + std::to_string(op.s.size()) + ':' + op.s;
    for (std::size_t k = 0; k < op.list_ints.size(); ++k) {
      key += '|' + std::to_string(op.list_ints[k]) + ',' +
             std::to_string(std::bit_cast<std::uint64_t>(op.list_decimals[k])) + ',' +
             std::to_string(op.list_strings[k].size()) + ':' + op.list_strings[k];
    }
    auto [it, added] = seen_.try_emplace(std::move(key), static_cast<int>(plan_.ops.size()));
    if (added) plan_.ops.push_back(std::move(op));
    return it->second;
  }
  const Op& At(int slot) const { return plan_.ops[static_cast<std::size_t>(slot)]; }

  int Lift(int slot, Level to) {
    const Op& from = At(slot);
    if (from.level >= to) return slot;
    Op op;
    op.kind = to == Level::kHousehold ? OpKind::kToHousehold : OpKind::kToMember;
    op.type = from.type;
    op.level = to;
    op.args[0] = slot;
    return Push(std::move(op));
  }
  int Decimal(int slot) {
    if (At(slot).type != Type::kInt) return slot;
    Op op;
    op.kind = OpKind::kToDecimal;
    op.type = Type::kDecimal;
    op.level = At(slot).level;
    op.args[0] = slot;
    return Push(std::move(op));
  }
  // Operands of one operation: same level, and both decimal when one of two numbers is.
  void Align(int& a, int& b, Level level, bool promote) {
    a = Lift(a, level);
    b = Lift(b, level);
    if (promote && At(a).type != At(b).type) {
      a = Decimal(a);
      b = Decimal(b);
    }
  }

  static Op Basic(OpKind kind, const Node& n) {
    Op op;
    op.kind = kind;
    op.type = n.type;
    op.level = n.level;
    op.name = n.text;
    return op;
  }

  static void AddField(std::vector<std::string>& fields, const std::string& name) {
    if (std::find(fields.begin(), fields.end(), name) == fields.end()) fields.push_back(name);
  }

  int Emit(const Node& n) {
    switch (n.kind) {
      case NodeKind::kInt:
      case NodeKind::kBool:
      case NodeKind::kDate:
      case NodeKind::kDecimal:
      case NodeKind::kString:
      case NodeKind::kParam: {
        Op op = Basic(OpKind::kConst, n);
        op.i = n.value_int;
        op.d = n.value_decimal;
        op.s = n.text;
        return Push(std::move(op));
      }
      case NodeKind::kField:
        AddField(plan_.household_fields, n.text);
        return Push(Basic(OpKind::kLoadHousehold, n));
      case NodeKind::kMemberField:
        AddField(plan_.member_fields, n.text);
        return Push(Basic(OpKind::kLoadMember, n));
      case NodeKind::kUnary: {
        Op op = Basic(n.text == "!" ? OpKind::kNot : OpKind::kNeg, n);
        op.args[0] = Emit(*n.kids[0]);
        return Push(std::move(op));
      }
      case NodeKind::kBinary:
        return Binary(n);
      case NodeKind::kTernary: {
        Op op = Basic(OpKind::kSelect, n);
        int c = Lift(Emit(*n.kids[0]), n.level);
        int a = Emit(*n.kids[1]);
        int b = Emit(*n.kids[2]);
        Align(a, b, n.level, true);
        op.args = {c, a, b};
        return Push(std::move(op));
      }
      case NodeKind::kIn: {
        Op op = Basic(OpKind::kIn, n);
        op.args[0] = Emit(*n.kids[0]);
        op.operand = n.kids[0]->type;
        for (std::size_t k = 1; k < n.kids.size(); ++k) {
          const Node& lit = *n.kids[k];
          op.list_ints.push_back(lit.value_int);
          op.list_decimals.push_back(lit.type == Type::kInt ? static_cast<double>(lit.value_int) : lit.value_decimal);
          op.list_strings.push_back(lit.text);
        }
        return Push(std::move(op));
      }
      case NodeKind::kCall:
        return Call(n);
      case NodeKind::kAggregate: {
        Op op = Basic(OpKind::kAggregate, n);
        op.args[0] = Lift(Emit(*n.kids[0]), Level::kMember);
        return Push(std::move(op));
      }
      case NodeKind::kRank: {
        AddField(plan_.member_fields, n.text);
        Op op = Basic(OpKind::kRank, n);
        op.args[0] = Lift(Emit(*n.kids[0]), Level::kMember);
        return Push(std::move(op));
      }
    }
    return -1;
  }

  int Binary(const Node& n) {
    const std::string& o = n.text;
    int a = Emit(*n.kids[0]);
    int b = Emit(*n.kids[1]);
    OpKind kind = OpKind::kCompare;
    if (o == "&&") kind = OpKind::kAnd;
    if (o == "||") kind = OpKind::kOr;
    if (o == "+" || o == "-" || o == "*" || o == "/") kind = OpKind::kArith;
    Align(a, b, n.level, kind != OpKind::kAnd && kind != OpKind::kOr);
    Op op = Basic(kind, n);
    op.operand = At(a).type;
    op.args = {a, b, -1};
    return Push(std::move(op));
  }

  int Call(const Node& n) {
    const std::string& f = n.text;
    Op op = Basic(f == "age" ? OpKind::kAge : f == "has" ? OpKind::kHas : f == "min" ? OpKind::kMin : OpKind::kMax, n);
    int a = Emit(*n.kids[0]);
    if (n.kids.size() == 2) {
      int b = Emit(*n.kids[1]);
      Align(a, b, n.level, true);
      op.args[1] = b;
    }
    op.args[0] = a;
    op.operand = At(a).type;
    return Push(std::move(op));
  }

  Plan plan_;
  std::map<std::string, int> seen_;  // operation key → its slot
};

}  // namespace

Plan CompileTree(const Node& root) { return Compiler().Run(root); }

Result<Plan> Compile(std::string_view source, const Schema& schema, const Params& params, std::optional<Type> result,
                     const Limits& limits) {
  auto tree = Parse(source, limits);
  if (!tree) return std::unexpected(tree.error());
  if (auto st = TypeCheck(**tree, schema, params); !st) return std::unexpected(st.error());
  if (result && (*tree)->type != *result) {
    return RuleError(MsgCode("rule.result_type"), (*tree)->pos,
                     {{"expected", TypeName(*result)}, {"found", TypeName((*tree)->type)}});
  }
  return CompileTree(**tree);
}

}  // namespace sanad::rules
