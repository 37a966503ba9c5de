// Runs a plan over a batch: one pass per operation, each over a whole column. Null semantics (the
// same as SQL's): a null operand makes arithmetic, comparisons, `in`, age() and min()/max() null;
// && and || follow three-valued logic; wherever a decision is taken (the condition of ?:, count,
// exists, a rank filter) null counts as false. Integer overflow and division by zero give null.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <numeric>

#include "rules/batch_check.h"
#include "rules/errors.h"
#include "rules/plan.h"

namespace sanad::rules {
namespace {

struct Column {
  std::vector<std::int64_t> i;
  std::vector<double> d;
  std::vector<std::string_view> s;
  std::vector<std::uint8_t> ok;  // 1 when the value is present
};

bool StoredAsInt(Type t) { return t == Type::kBool || t == Type::kInt || t == Type::kDate; }

void Resize(Column& c, Type t, std::size_t n) {
  if (StoredAsInt(t)) c.i.assign(n, 0);
  if (t == Type::kDecimal) c.d.assign(n, 0.0);
  if (t == Type::kString) c.s.assign(n, {});
  c.ok.assign(n, 1);
}

// One comparison over whole columns; the operator is chosen once per column, not per row. Rows where
// an operand is null get ok = 0 (their value is never read).
template <typename T, typename Cmp>
void CompareRows(const std::vector<T>& a, const std::vector<T>& b, std::vector<std::int64_t>& out, Cmp cmp) {
  for (std::size_t r = 0; r < out.size(); ++r) out[r] = cmp(a[r], b[r]) ? 1 : 0;
}
template <typename T>
void CompareColumns(const std::string& op, const std::vector<T>& a, const std::vector<T>& b,
                    std::vector<std::int64_t>& out) {
  if (op == "==") return CompareRows(a, b, out, std::equal_to<>{});
  if (op == "!=") return CompareRows(a, b, out, std::not_equal_to<>{});
  if (op == "<") return CompareRows(a, b, out, std::less<>{});
  if (op == "<=") return CompareRows(a, b, out, std::less_equal<>{});
  if (op == ">") return CompareRows(a, b, out, std::greater<>{});
  return CompareRows(a, b, out, std::greater_equal<>{});
}

bool ArithInt(char op, std::int64_t a, std::int64_t b, std::int64_t& out) {
  switch (op) {
    case '+':
      return !__builtin_add_overflow(a, b, &out);
    case '-':
      return !__builtin_sub_overflow(a, b, &out);
    case '*':
      return !__builtin_mul_overflow(a, b, &out);
    default:
      if (b == 0 || (a == INT64_MIN && b == -1)) return false;
      out = a / b;  // truncates toward zero
      return true;
  }
}

class Evaluator {
 public:
  Evaluator(const Plan& plan, const Batch& batch, const Date& reference)
      : plan_(plan), batch_(batch), reference_(reference), cols_(plan.ops.size()) {}

  Status Validate() {
    if (!OffsetsValid(batch_)) return BatchInvalid("member_offsets");
    const auto& off = batch_.member_offsets;
    members_ = off.back();
    owner_.resize(members_);
    for (std::size_t h = 0; h < batch_.households; ++h) {
      for (std::uint32_t m = off[h]; m < off[h + 1]; ++m) owner_[m] = static_cast<std::uint32_t>(h);
    }
    for (const Op& op : plan_.ops) {
      if (op.kind == OpKind::kLoadHousehold || op.kind == OpKind::kLoadMember || op.kind == OpKind::kRank) {
        const bool member = op.kind != OpKind::kLoadHousehold;
        const auto& cols = member ? batch_.member : batch_.household;
        auto it = cols.find(op.name);
        const std::size_t n = member ? members_ : batch_.households;
        if (it == cols.end()) return BatchInvalid(op.name);
        const InputColumn& c = it->second;
        if (op.kind != OpKind::kRank && c.type != op.type) return BatchInvalid(op.name);
        const std::size_t len = StoredAsInt(c.type)        ? c.ints.size()
                                : c.type == Type::kDecimal ? c.decimals.size()
                                                           : c.strings.size();
        if (len != n || (!c.present.empty() && c.present.size() != n)) return BatchInvalid(op.name);
      }
    }
    return Ok();
  }

  RuleValues Run() {
    // A column is freed after the last operation that reads it: the peak memory is the widest cut of the
    // plan, not the sum of all its columns.
    std::vector<std::size_t> last_use(plan_.ops.size(), 0);
    for (std::size_t k = 0; k < plan_.ops.size(); ++k) {
      for (int a : plan_.ops[k].args) {
        if (a >= 0) last_use[static_cast<std::size_t>(a)] = k;
      }
    }
    last_use[static_cast<std::size_t>(plan_.result)] = plan_.ops.size();
    for (std::size_t k = 0; k < plan_.ops.size(); ++k) {
      Step(plan_.ops[k], cols_[k]);
      for (int a : plan_.ops[k].args) {
        if (a >= 0 && last_use[static_cast<std::size_t>(a)] == k) cols_[static_cast<std::size_t>(a)] = Column{};
      }
    }
    const Op& top = plan_.ops[static_cast<std::size_t>(plan_.result)];
    Column out = top.level == Level::kScalar
                     ? Broadcast(cols_[static_cast<std::size_t>(plan_.result)], top.type, batch_.households, nullptr)
                     : std::move(cols_[static_cast<std::size_t>(plan_.result)]);
    RuleValues values;
    values.type = plan_.type;
    values.ints = std::move(out.i);
    values.decimals = std::move(out.d);
    values.present = std::move(out.ok);
    return values;
  }

 private:
  std::size_t Size(Level level) const {
    return level == Level::kScalar ? 1 : level == Level::kHousehold ? batch_.households : members_;
  }
  const Column& Arg(const Op& op, int k) const { return cols_[static_cast<std::size_t>(op.args[k])]; }

  // Copies `from` into n rows; row r takes from[index ? index[r] : 0].
  static Column Broadcast(const Column& from, Type t, std::size_t n, const std::uint32_t* index) {
    Column c;
    Resize(c, t, n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t src = index != nullptr ? index[r] : 0;
      if (StoredAsInt(t)) c.i[r] = from.i[src];
      if (t == Type::kDecimal) c.d[r] = from.d[src];
      if (t == Type::kString) c.s[r] = from.s[src];
      c.ok[r] = from.ok[src];
    }
    return c;
  }

  void Load(const InputColumn& in, Column& c, std::size_t n) {
    Resize(c, in.type, n);
    if (StoredAsInt(in.type)) c.i = in.ints;
    if (in.type == Type::kDecimal) c.d = in.decimals;
    if (in.type == Type::kString) c.s = in.strings;
    if (!in.present.empty()) c.ok = in.present;
  }

  void Step(const Op& op, Column& c) {
    const std::size_t n = Size(op.level);
    switch (op.kind) {
      case OpKind::kConst:
        Resize(c, op.type, 1);
        if (StoredAsInt(op.type)) c.i[0] = op.i;
        if (op.type == Type::kDecimal) c.d[0] = op.d;
        if (op.type == Type::kString) c.s[0] = op.s;
        return;
      case OpKind::kLoadHousehold:
        return Load(batch_.household.find(op.name)->second, c, n);
      case OpKind::kLoadMember:
        return Load(batch_.member.find(op.name)->second, c, n);
      case OpKind::kToHousehold:
        c = Broadcast(Arg(op, 0), op.type, n, nullptr);
        return;
      case OpKind::kToMember: {
        const bool scalar = plan_.ops[static_cast<std::size_t>(op.args[0])].level == Level::kScalar;
        c = Broadcast(Arg(op, 0), op.type, n, scalar ? nullptr : owner_.data());
        return;
      }
      default:
        break;
    }
    Resize(c, op.type, n);
    switch (op.kind) {
      case OpKind::kToDecimal:
        for (std::size_t r = 0; r < n; ++r) c.d[r] = static_cast<double>(Arg(op, 0).i[r]);
        c.ok = Arg(op, 0).ok;
        return;
      case OpKind::kNot:
        for (std::size_t r = 0; r < n; ++r) c.i[r] = Arg(op, 0).i[r] == 0 ? 1 : 0;
        c.ok = Arg(op, 0).ok;
        return;
      case OpKind::kNeg:
        return Neg(op, c, n);
      case OpKind::kAnd:
      case OpKind::kOr:
        return Logic(op, c, n);
      case OpKind::kArith:
        return Arith(op, c, n);
      case OpKind::kCompare:
        return CompareOp(op, c, n);
      case OpKind::kIn:
        return In(op, c, n);
      case OpKind::kSelect:
        return Select(op, c, n);
      case OpKind::kAge:
        return Age(op, c, n);
      case OpKind::kHas:
        for (std::size_t r = 0; r < n; ++r) c.i[r] = Arg(op, 0).ok[r];
        return;
      case OpKind::kMin:
      case OpKind::kMax:
        return MinMax(op, c, n);
      case OpKind::kAggregate:
        return Aggregate(op, c, n);
      case OpKind::kRank:
        return Rank(op, c);
      default:
        return;
    }
  }

  void Neg(const Op& op, Column& c, std::size_t n) {
    const Column& a = Arg(op, 0);
    c.ok = a.ok;
    for (std::size_t r = 0; r < n; ++r) {
      if (op.type == Type::kDecimal) {
        c.d[r] = -a.d[r];
      } else if (a.i[r] == INT64_MIN) {
        c.ok[r] = 0;
      } else {
        c.i[r] = -a.i[r];
      }
    }
  }

  // Three-valued: false && null is false, true || null is true, otherwise null wins.
  void Logic(const Op& op, Column& c, std::size_t n) {
    const Column& a = Arg(op, 0);
    const Column& b = Arg(op, 1);
    const bool is_and = op.kind == OpKind::kAnd;
    for (std::size_t r = 0; r < n; ++r) {
      const bool a_decides = a.ok[r] && ((a.i[r] != 0) != is_and);
      const bool b_decides = b.ok[r] && ((b.i[r] != 0) != is_and);
      if (a_decides || b_decides) {
        c.i[r] = is_and ? 0 : 1;
      } else if (a.ok[r] && b.ok[r]) {
        c.i[r] = is_and ? 1 : 0;
      } else {
        c.ok[r] = 0;
      }
    }
  }

  void Arith(const Op& op, Column& c, std::size_t n) {
    const Column& a = Arg(op, 0);
    const Column& b = Arg(op, 1);
    const char o = op.name[0];
    for (std::size_t r = 0; r < n; ++r) {
      if (!a.ok[r] || !b.ok[r]) {
        c.ok[r] = 0;
      } else if (op.type == Type::kInt) {
        c.ok[r] = ArithInt(o, a.i[r], b.i[r], c.i[r]) ? 1 : 0;
      } else {
        const double x = a.d[r], y = b.d[r];
        const double v = o == '+' ? x + y : o == '-' ? x - y : o == '*' ? x * y : (y == 0 ? NAN : x / y);
        c.d[r] = v;
        c.ok[r] = std::isfinite(v) ? 1 : 0;
      }
    }
  }

  void CompareOp(const Op& op, Column& c, std::size_t n) {
    const Column& a = Arg(op, 0);
    const Column& b = Arg(op, 1);
    for (std::size_t r = 0; r < n; ++r) c.ok[r] = a.ok[r] & b.ok[r];
    if (StoredAsInt(op.operand)) CompareColumns(op.name, a.i, b.i, c.i);
    if (op.operand == Type::kDecimal) CompareColumns(op.name, a.d, b.d, c.i);
    if (op.operand == Type::kString) CompareColumns(op.name, a.s, b.s, c.i);
  }

  void In(const Op& op, Column& c, std::size_t n) {
    const Column& a = Arg(op, 0);
    c.ok = a.ok;
    for (std::size_t r = 0; r < n; ++r) {
      bool v = false;
      for (std::size_t k = 0; k < op.list_ints.size() && !v; ++k) {
        if (StoredAsInt(op.operand)) v = a.i[r] == op.list_ints[k];
        if (op.operand == Type::kDecimal) v = a.d[r] == op.list_decimals[k];
        if (op.operand == Type::kString) v = a.s[r] == op.list_strings[k];
      }
      c.i[r] = v ? 1 : 0;
    }
  }

  // A null condition takes the else branch, as SQL's CASE does.
  void Select(const Op& op, Column& c, std::size_t n) {
    const Column& cond = Arg(op, 0);
    for (std::size_t r = 0; r < n; ++r) {
      const Column& from = cond.ok[r] && cond.i[r] != 0 ? Arg(op, 1) : Arg(op, 2);
      if (StoredAsInt(op.type)) c.i[r] = from.i[r];
      if (op.type == Type::kDecimal) c.d[r] = from.d[r];
      if (op.type == Type::kString) c.s[r] = from.s[r];
      c.ok[r] = from.ok[r];
    }
  }

  // Completed years on the reference date; a birth date after it gives null.
  void Age(const Op& op, Column& c, std::size_t n) {
    using namespace std::chrono;
    const Column& a = Arg(op, 0);
    const auto ref = reference_;
    const std::int64_t ref_day = DayNumber(ref);
    for (std::size_t r = 0; r < n; ++r) {
      if (!a.ok[r] || a.i[r] > ref_day) {
        c.ok[r] = 0;
        continue;
      }
      const year_month_day b{sys_days{days{a.i[r]}}};
      int years = ref.year - static_cast<int>(b.year());
      if (std::pair(ref.month, ref.day) < std::pair(static_cast<unsigned>(b.month()), static_cast<unsigned>(b.day()))) {
        --years;
      }
      c.i[r] = years;
    }
  }

  void MinMax(const Op& op, Column& c, std::size_t n) {
    const Column& a = Arg(op, 0);
    const Column& b = Arg(op, 1);
    const bool is_min = op.kind == OpKind::kMin;
    for (std::size_t r = 0; r < n; ++r) {
      c.ok[r] = a.ok[r] && b.ok[r];
      if (op.type == Type::kDecimal) {
        c.d[r] = is_min ? std::min(a.d[r], b.d[r]) : std::max(a.d[r], b.d[r]);
      } else {
        c.i[r] = is_min ? std::min(a.i[r], b.i[r]) : std::max(a.i[r], b.i[r]);
      }
    }
  }

  // Reduces the member column of the body per household through the offsets; nulls are skipped.
  void Aggregate(const Op& op, Column& c, std::size_t n) {
    const Column& body = Arg(op, 0);
    const auto& off = batch_.member_offsets;
    enum class Fn { kCount, kExists, kSum, kMin, kMax };
    const Fn f = op.name == "count"    ? Fn::kCount
                 : op.name == "exists" ? Fn::kExists
                 : op.name == "sum"    ? Fn::kSum
                 : op.name == "min"    ? Fn::kMin
                                       : Fn::kMax;
    const bool decimal = op.type == Type::kDecimal;
    for (std::size_t h = 0; h < n; ++h) {
      std::int64_t acc_i = 0;
      double acc_d = 0;
      bool any = false, overflow = false;
      for (std::uint32_t m = off[h]; m < off[h + 1]; ++m) {
        if (!body.ok[m]) continue;
        if (f == Fn::kCount || f == Fn::kExists) {
          acc_i += body.i[m] != 0 ? 1 : 0;
        } else if (decimal) {
          const double v = body.d[m];
          acc_d = !any ? v : f == Fn::kSum ? acc_d + v : f == Fn::kMin ? std::min(acc_d, v) : std::max(acc_d, v);
        } else {
          const std::int64_t v = body.i[m];
          if (f == Fn::kSum) {
            overflow = overflow || __builtin_add_overflow(acc_i, v, &acc_i);
          } else {
            acc_i = !any ? v : f == Fn::kMin ? std::min(acc_i, v) : std::max(acc_i, v);
          }
        }
        any = true;
      }
      if (f == Fn::kExists) acc_i = acc_i > 0 ? 1 : 0;
      if (decimal) c.d[h] = acc_d;
      if (StoredAsInt(op.type)) c.i[h] = acc_i;
      c.ok[h] = overflow || ((f == Fn::kMin || f == Fn::kMax) && !any) || !std::isfinite(acc_d) ? 0 : 1;
    }
  }

  // 1-based rank among the household's members passing the filter, by the key ascending (null keys
  // last), ties in member order; 0 for a member that does not pass.
  void Rank(const Op& op, Column& c) {
    const Column& filter = Arg(op, 0);
    const InputColumn& key = batch_.member.find(op.name)->second;
    const auto present = [&](std::uint32_t m) { return key.present.empty() || key.present[m] != 0; };
    const auto less = [&](std::uint32_t x, std::uint32_t y) {
      if (present(x) != present(y)) return present(x);
      if (!present(x)) return false;
      if (StoredAsInt(key.type)) return key.ints[x] < key.ints[y];
      if (key.type == Type::kDecimal) return key.decimals[x] < key.decimals[y];
      return key.strings[x] < key.strings[y];
    };
    const auto& off = batch_.member_offsets;
    std::vector<std::uint32_t> chosen;
    for (std::size_t h = 0; h < batch_.households; ++h) {
      chosen.clear();
      for (std::uint32_t m = off[h]; m < off[h + 1]; ++m) {
        if (filter.ok[m] && filter.i[m] != 0) chosen.push_back(m);
      }
      std::stable_sort(chosen.begin(), chosen.end(), less);
      for (std::size_t k = 0; k < chosen.size(); ++k) c.i[chosen[k]] = static_cast<std::int64_t>(k + 1);
    }
  }

  const Plan& plan_;
  const Batch& batch_;
  Date reference_;
  std::vector<Column> cols_;
  std::size_t members_ = 0;
  std::vector<std::uint32_t> owner_;  // the household of each member row
};

}  // namespace

Result<RuleValues> Evaluate(const Plan& plan, const Batch& batch, const Date& reference_date) {
  Evaluator e(plan, batch, reference_date);
  if (auto st = e.Validate(); !st) return std::unexpected(st.error());
  return e.Run();
}

}  // namespace sanad::rules
