// Evaluation: the documented null semantics one by one, and the column plan against a straightforward
// per-household reference evaluator (written here, walking the checked tree) on random rules over a few
// thousand random households: both must agree exactly.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <random>

#include "rules/parser.h"
#include "rules/plan.h"
#include "rules/test_random.h"
#include "rules/test_schema.h"
#include "rules/type_check.h"

namespace sanad::rules {
namespace {

using testing::BatchBuilder;
using testing::Random;
using testing::RandomBatch;
using testing::RuleGenerator;

// --- The reference: one household (and member) at a time, recursively over the tree. ---

struct Val {
  bool ok = true;
  std::int64_t i = 0;
  double d = 0;
  std::string s;
};

Val Null() { return Val{false}; }
double AsDecimal(const Val& v, Type t) { return t == Type::kInt ? static_cast<double>(v.i) : v.d; }

class Reference {
 public:
  Reference(const Batch& b, Date ref) : b_(b), ref_(ref) {}

  Val Eval(const Node& n, std::size_t h, std::size_t m) const {
    switch (n.kind) {
      case NodeKind::kInt:
      case NodeKind::kBool:
      case NodeKind::kDate:
        return Val{true, n.value_int};
      case NodeKind::kDecimal:
        return Val{true, 0, n.value_decimal};
      case NodeKind::kParam:
        return n.type == Type::kInt ? Val{true, n.value_int} : Val{true, 0, n.value_decimal};
      case NodeKind::kString:
        return Val{true, 0, 0, n.text};
      case NodeKind::kField:
        return Read(b_.household.at(n.text), h);
      case NodeKind::kMemberField:
        return Read(b_.member.at(n.text), m);
      case NodeKind::kUnary: {
        Val a = Eval(*n.kids[0], h, m);
        if (!a.ok) return a;
        if (n.text == "!") return Val{true, a.i ? 0 : 1};
        if (n.type == Type::kDecimal) return Val{true, 0, -a.d};
        return a.i == INT64_MIN ? Null() : Val{true, -a.i};
      }
      case NodeKind::kBinary:
        return Binary(n, h, m);
      case NodeKind::kTernary: {
        Val c = Eval(*n.kids[0], h, m);
        const Node& pick = c.ok && c.i ? *n.kids[1] : *n.kids[2];
        Val v = Eval(pick, h, m);
        if (n.type == Type::kDecimal && pick.type == Type::kInt) v.d = static_cast<double>(v.i);
        return v;
      }
      case NodeKind::kIn: {
        Val a = Eval(*n.kids[0], h, m);
        if (!a.ok) return a;
        bool found = false;
        for (std::size_t k = 1; k < n.kids.size(); ++k) {
          const Node& lit = *n.kids[k];
          if (n.kids[0]->type == Type::kString)
            found = found || a.s == lit.text;
          else if (n.kids[0]->type == Type::kDecimal)
            found = found || a.d == AsDecimal(Eval(lit, h, m), lit.type);
          else
            found = found || a.i == lit.value_int;
        }
        return Val{true, found ? 1 : 0};
      }
      case NodeKind::kCall:
        return Call(n, h, m);
      case NodeKind::kAggregate:
        return Aggregate(n, h);
      case NodeKind::kRank:
        return Rank(n, h, m);
    }
    return Null();
  }

 private:
  static Val Read(const InputColumn& c, std::size_t r) {
    if (!c.present.empty() && !c.present[r]) return Null();
    if (c.type == Type::kDecimal) return Val{true, 0, c.decimals[r]};
    if (c.type == Type::kString) return Val{true, 0, 0, std::string(c.strings[r])};
    return Val{true, c.ints[r]};
  }

  Val Binary(const Node& n, std::size_t h, std::size_t m) const {
    Val a = Eval(*n.kids[0], h, m), b = Eval(*n.kids[1], h, m);
    const Type ta = n.kids[0]->type, tb = n.kids[1]->type;
    const std::string& o = n.text;
    if (o == "&&" || o == "||") {
      const std::int64_t decisive = o == "&&" ? 0 : 1;
      if ((a.ok && a.i == decisive) || (b.ok && b.i == decisive)) return Val{true, decisive};
      if (a.ok && b.ok) return Val{true, 1 - decisive};
      return Null();
    }
    if (!a.ok || !b.ok) return Null();
    if (o == "+" || o == "-" || o == "*" || o == "/") {
      if (n.type == Type::kInt) {
        std::int64_t r = 0;
        bool overflow = o == "+"   ? __builtin_add_overflow(a.i, b.i, &r)
                        : o == "-" ? __builtin_sub_overflow(a.i, b.i, &r)
                        : o == "*" ? __builtin_mul_overflow(a.i, b.i, &r)
                                   : (b.i == 0 || (a.i == INT64_MIN && b.i == -1));
        if (o == "/" && !overflow) r = a.i / b.i;
        return overflow ? Null() : Val{true, r};
      }
      const double x = AsDecimal(a, ta), y = AsDecimal(b, tb);
      if (o == "/" && y == 0) return Null();
      const double r = o == "+" ? x + y : o == "-" ? x - y : o == "*" ? x * y : x / y;
      return std::isfinite(r) ? Val{true, 0, r} : Null();
    }
    int cmp = 0;
    if (ta == Type::kString)
      cmp = a.s.compare(b.s) < 0 ? -1 : a.s == b.s ? 0 : 1;
    else if (ta == Type::kDecimal || tb == Type::kDecimal) {
      const double x = AsDecimal(a, ta), y = AsDecimal(b, tb);
      cmp = x < y ? -1 : x == y ? 0 : 1;
    } else
      cmp = a.i < b.i ? -1 : a.i == b.i ? 0 : 1;
    const bool v = o == "=="   ? cmp == 0
                   : o == "!=" ? cmp != 0
                   : o == "<"  ? cmp < 0
                   : o == "<=" ? cmp <= 0
                   : o == ">"  ? cmp > 0
                               : cmp >= 0;
    return Val{true, v ? 1 : 0};
  }

  Val Call(const Node& n, std::size_t h, std::size_t m) const {
    Val a = Eval(*n.kids[0], h, m);
    if (n.text == "has") return Val{true, a.ok ? 1 : 0};
    if (n.text == "age") {
      if (!a.ok) return a;
      using namespace std::chrono;
      const year_month_day b{sys_days{days{a.i}}};
      const int by = static_cast<int>(b.year());
      const unsigned bm = static_cast<unsigned>(b.month()), bd = static_cast<unsigned>(b.day());
      if (std::tie(by, bm, bd) > std::tie(ref_.year, ref_.month, ref_.day)) return Null();
      int years = ref_.year - by;
      if (ref_.month < bm || (ref_.month == bm && ref_.day < bd)) --years;
      return Val{true, years};
    }
    Val b = Eval(*n.kids[1], h, m);
    if (!a.ok || !b.ok) return Null();
    const bool is_min = n.text == "min";
    if (n.type == Type::kDecimal) {
      const double x = AsDecimal(a, n.kids[0]->type), y = AsDecimal(b, n.kids[1]->type);
      return Val{true, 0, is_min ? std::min(x, y) : std::max(x, y)};
    }
    return Val{true, is_min ? std::min(a.i, b.i) : std::max(a.i, b.i)};
  }

  Val Aggregate(const Node& n, std::size_t h) const {
    const std::string& f = n.text;
    std::int64_t count = 0, isum = 0;
    double dsum = 0;
    bool overflow = false;
    std::optional<Val> best;
    for (std::size_t k = b_.member_offsets[h]; k < b_.member_offsets[h + 1]; ++k) {
      Val v = Eval(*n.kids[0], h, k);
      if (!v.ok) continue;
      if (f == "count" || f == "exists") {
        count += v.i ? 1 : 0;
      } else if (f == "sum") {
        if (n.type == Type::kDecimal)
          dsum += v.d;
        else
          overflow = overflow || __builtin_add_overflow(isum, v.i, &isum);
      } else {
        if (!best) {
          best = v;
        } else if (n.type == Type::kDecimal ? (f == "min" ? v.d < best->d : v.d > best->d)
                                            : (f == "min" ? v.i < best->i : v.i > best->i)) {
          best = v;
        }
      }
    }
    if (f == "count") return Val{true, count};
    if (f == "exists") return Val{true, count > 0 ? 1 : 0};
    if (f == "sum") {
      if (n.type == Type::kDecimal) return std::isfinite(dsum) ? Val{true, 0, dsum} : Null();
      return overflow ? Null() : Val{true, isum};
    }
    return best ? *best : Null();
  }

  // Counts the passing members that come before m: smaller key, or equal key and earlier row.
  Val Rank(const Node& n, std::size_t h, std::size_t m) const {
    auto passes = [&](std::size_t k) {
      Val v = Eval(*n.kids[0], h, k);
      return v.ok && v.i != 0;
    };
    if (!passes(m)) return Val{true, 0};
    const InputColumn& key = b_.member.at(n.text);
    auto before = [&](std::size_t x, std::size_t y) {  // does x come strictly before y
      Val kx = Read(key, x), ky = Read(key, y);
      if (kx.ok != ky.ok) return kx.ok;
      if (kx.ok) {
        if (key.type == Type::kDecimal && kx.d != ky.d) return kx.d < ky.d;
        if (key.type == Type::kString && kx.s != ky.s) return kx.s < ky.s;
        if (key.type != Type::kDecimal && key.type != Type::kString && kx.i != ky.i) return kx.i < ky.i;
      }
      return x < y;
    };
    std::int64_t rank = 1;
    for (std::size_t k = b_.member_offsets[h]; k < b_.member_offsets[h + 1]; ++k) {
      if (k != m && passes(k) && before(k, m)) ++rank;
    }
    return Val{true, rank};
  }

  const Batch& b_;
  Date ref_;
};

TEST(RuleEvaluate, ColumnPlanAgreesWithReferenceOnRandomRules) {
  Random r(20261205);
  const Batch batch = RandomBatch(r, 3000);
  const Date ref{2026, 3, 1};
  const Reference reference(batch, ref);
  const Schema schema = testing::TestSchema();
  int compared = 0;
  for (int round = 0; round < 300; ++round) {
    RuleGenerator gen(r);
    const Type t = r.Pick<Type>({Type::kInt, Type::kDecimal, Type::kBool, Type::kDate});
    const std::string source = gen.Of(t, 1 + r.Below(5), "");
    auto tree = Parse(source, Limits{.max_source_bytes = 1 << 20, .max_depth = 200, .max_nodes = 100000});
    ASSERT_TRUE(tree) << source << ": " << tree.error().reason;
    auto st = TypeCheck(**tree, schema, testing::TestParams());
    ASSERT_TRUE(st) << source << ": " << st.error().reason;
    const Plan plan = CompileTree(**tree);
    auto values = Evaluate(plan, batch, ref);
    ASSERT_TRUE(values) << source << ": " << values.error().reason;
    ASSERT_EQ(values->present.size(), batch.households);
    for (std::size_t h = 0; h < batch.households; ++h) {
      const Val want = reference.Eval(**tree, h, 0);
      ASSERT_EQ(values->present[h] != 0, want.ok) << source << " household " << h;
      if (!want.ok) continue;
      if (plan.type == Type::kDecimal) {
        ASSERT_EQ(values->decimals[h], want.d) << source << " household " << h;
      } else {
        ASSERT_EQ(values->ints[h], want.i) << source << " household " << h;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 300 * 3000 / 2);  // most results are present: the comparison is not vacuous
}

// --- The null semantics of docs/rules.md, one by one. ---

class NullSemantics : public ::testing::Test {
 protected:
  // Household 0: every field null, no members. Household 1: fields present, members with some nulls.
  void SetUp() override {
    auto& urban = b_.Household("urban", Type::kBool);
    auto& income = b_.Household("declared_income", Type::kInt);
    auto& birth = b_.Member("birth_date", Type::kDate);
    auto& minc = b_.Member("income", Type::kInt);
    auto& sex = b_.Member("sex", Type::kString);
    b_.AddHousehold(0);
    urban.ints.push_back(0);
    urban.present.push_back(0);
    income.ints.push_back(0);
    income.present.push_back(0);
    b_.AddHousehold(4);
    urban.ints.push_back(1);
    urban.present.push_back(1);
    income.ints.push_back(10);
    income.present.push_back(1);
    struct Row {
      const char* birth;
      std::int64_t income;
      std::uint8_t income_present;
      const char* sex;
    };
    for (const Row& row : {Row{"2000-02-29", 5, 1, "F"}, Row{"1990-05-05", 7, 0, "M"}, Row{"2000-02-29", 9, 1, "F"},
                           Row{"2027-01-01", 11, 1, "F"}}) {
      birth.ints.push_back(DayNumber(*ParseDate(row.birth)));
      minc.ints.push_back(row.income);
      minc.present.push_back(row.income_present);
      AddString(sex, row.sex);
    }
  }
  // The value of household h as text ("null" when absent).
  std::string Value(std::string_view source, std::size_t h, Date ref = {2026, 2, 28}) {
    auto plan = Compile(source, testing::TestSchema(), testing::TestParams());
    if (!plan) return "compile error " + plan.error().reason;
    auto v = Evaluate(*plan, b_.batch(), ref);
    if (!v) return "error " + v.error().reason;
    if (!v->present[h]) return "null";
    return plan->type == Type::kDecimal ? std::to_string(v->decimals[h]) : std::to_string(v->ints[h]);
  }
  BatchBuilder b_;
};

TEST_F(NullSemantics, ComparisonsAndArithmeticWithNullAreNull) {
  EXPECT_EQ(Value("declared_income > 5", 0), "null");
  EXPECT_EQ(Value("declared_income + 1", 0), "null");
  EXPECT_EQ(Value("declared_income in [0, 1]", 0), "null");
  EXPECT_EQ(Value("max(declared_income, 3)", 0), "null");
  EXPECT_EQ(Value("declared_income + 1", 1), "11");
}

TEST_F(NullSemantics, LogicIsThreeValued) {
  EXPECT_EQ(Value("urban || true", 0), "1");
  EXPECT_EQ(Value("urban && false", 0), "0");
  EXPECT_EQ(Value("urban && true", 0), "null");
  EXPECT_EQ(Value("!urban", 0), "null");
  EXPECT_EQ(Value("has(urban)", 0), "0");
  EXPECT_EQ(Value("has(urban)", 1), "1");
}

TEST_F(NullSemantics, DecisionsTakeNullAsFalse) {
  EXPECT_EQ(Value("urban ? 1 : 2", 0), "2");
  EXPECT_EQ(Value("members.count(m, m.income > 6)", 1), "2");  // 7 is null, so 9 and 11
  EXPECT_EQ(Value("members.exists(m, m.income == 7)", 1), "0");
}

TEST_F(NullSemantics, AggregatesSkipNulls) {
  EXPECT_EQ(Value("members.sum(m, m.income)", 1), "25");
  EXPECT_EQ(Value("members.sum(m, m.income)", 0), "0");
  EXPECT_EQ(Value("members.min(m, m.income)", 1), "5");
  EXPECT_EQ(Value("members.min(m, m.income)", 0), "null");
  EXPECT_EQ(Value("members.count(m, true)", 0), "0");
}

TEST_F(NullSemantics, OverflowAndDivisionByZeroAreNull) {
  EXPECT_EQ(Value("9223372036854775807 + declared_income", 1), "null");
  EXPECT_EQ(Value("declared_income / 0", 1), "null");
  EXPECT_EQ(Value("declared_income / 0.0", 1), "null");
  EXPECT_EQ(Value("-7 / 2", 1), "-3");  // integer division truncates toward zero
  EXPECT_EQ(Value("7 / 2.0", 1), "3.500000");
}

TEST_F(NullSemantics, AgesInCompletedYears) {
  // Born 29 Feb 2000: 25 on 28 Feb 2026, 26 on 1 Mar 2026; born after the reference date: null.
  EXPECT_EQ(Value("members.max(m, age(m.birth_date))", 1, Date{2026, 2, 28}), "35");
  EXPECT_EQ(Value("members.count(m, age(m.birth_date) == 25)", 1, Date{2026, 2, 28}), "2");
  EXPECT_EQ(Value("members.count(m, age(m.birth_date) == 26)", 1, Date{2026, 3, 1}), "2");
  EXPECT_EQ(Value("members.count(m, has(age(m.birth_date)))", 1, Date{2026, 3, 1}), "3");
}

TEST_F(NullSemantics, RanksEldestFirstTiesInMemberOrder) {
  // Members: 2000-02-29 F, 1990 M, 2000-02-29 F, 2027 F.
  EXPECT_EQ(Value("members.count(m, m.rank_by(birth_date, true) == 1 && m.sex == \"M\")", 1), "1");
  EXPECT_EQ(Value("members.sum(m, m.rank_by(birth_date, true) == 2 ? m.income : 0)", 1), "5");
  EXPECT_EQ(Value("members.sum(m, m.rank_by(birth_date, true) == 3 ? m.income : 0)", 1), "9");
  // Members that do not pass the filter rank 0; the others rank among themselves.
  EXPECT_EQ(Value("members.sum(m, m.rank_by(birth_date, m.sex == \"F\"))", 1), "6");
  EXPECT_EQ(Value("members.sum(m, m.rank_by(birth_date, m.sex == \"F\") == 1 ? m.income : 0)", 1), "5");
  // A null key ranks after every present key.
  EXPECT_EQ(Value("members.count(m, m.rank_by(income, true) == 4 && m.sex == \"M\")", 1), "1");
}

TEST(RuleEvaluate, BatchColumnsAreChecked) {
  auto plan = Compile("members.count(m, m.income > 0) + declared_income", testing::TestSchema(), {});
  ASSERT_TRUE(plan);
  BatchBuilder b;
  b.AddHousehold(1);
  b.Household("declared_income", Type::kInt).ints = {1};
  auto v = Evaluate(*plan, b.batch(), Date{2026, 1, 1});
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().reason, "rule.batch_invalid");
  EXPECT_EQ(v.error().params, (MessageParams{{"column", "income"}}));
  b.Member("income", Type::kDecimal).decimals = {1.0};
  EXPECT_EQ(Evaluate(*plan, b.batch(), Date{2026, 1, 1}).error().params, (MessageParams{{"column", "income"}}));
  b.Member("income", Type::kInt).ints = {1, 2};
  EXPECT_EQ(Evaluate(*plan, b.batch(), Date{2026, 1, 1}).error().params, (MessageParams{{"column", "income"}}));
  b.batch().member.at("income").ints = {3};
  auto ok = Evaluate(*plan, b.batch(), Date{2026, 1, 1});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->ints, std::vector<std::int64_t>{2});
  b.batch().member_offsets = {0, 2};
  EXPECT_EQ(Evaluate(*plan, b.batch(), Date{2026, 1, 1}).error().params, (MessageParams{{"column", "income"}}));
  b.batch().member_offsets = {1, 1};
  EXPECT_EQ(Evaluate(*plan, b.batch(), Date{2026, 1, 1}).error().params, (MessageParams{{"column", "member_offsets"}}));
}

}  // namespace
}  // namespace sanad::rules
