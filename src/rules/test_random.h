// Random households and random well-typed rules over testing::TestSchema(), shared by the evaluation
// test (against its reference evaluator) and the fuzzer (which mutates them).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "rules/batch.h"
#include "rules/test_schema.h"

namespace sanad::rules::testing {

class Random {
 public:
  explicit Random(std::uint64_t seed) : rng_(seed) {}
  int Below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  T Pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Below(static_cast<int>(v.size())))];
  }

 private:
  std::mt19937_64 rng_;
};

inline void Add(InputColumn& c, Random& r, int null_percent, std::int64_t i, double d = 0, std::string s = {}) {
  const bool present = !r.Chance(null_percent);
  c.present.push_back(present ? 1 : 0);
  if (c.type == Type::kDecimal)
    c.decimals.push_back(d);
  else if (c.type == Type::kString)
    AddString(c, present ? std::string_view(s) : "");
  else
    c.ints.push_back(i);
}

inline Batch RandomBatch(Random& r, int households) {
  BatchBuilder b;
  const Schema schema = testing::TestSchema();
  for (const auto& [name, spec] : schema.household) b.Household(name, spec.type);
  for (const auto& [name, spec] : schema.member) b.Member(name, spec.type);
  auto& hh = b.batch().household;
  auto& mm = b.batch().member;
  const std::int64_t base = DayNumber(Date{1940, 1, 1});
  for (int h = 0; h < households; ++h) {
    const int members = r.Below(9);
    b.AddHousehold(static_cast<std::uint32_t>(members));
    Add(hh["urban"], r, 10, r.Below(2));
    Add(hh["receives_family_allowance"], r, 10, r.Below(2));
    Add(hh["socio_economic_index"], r, 10, 0, 8.5 + r.Below(2500) / 1000.0);
    Add(hh["declared_income"], r, 10, r.Chance(5) ? (std::int64_t{1} << 62) : r.Below(100000));
    Add(hh["registered_on"], r, 10, base + r.Below(31000));
    Add(hh["milieu"], r, 10, 0, 0, r.Chance(50) ? "rural" : "urban");
    for (int k = 0; k < members; ++k) {
      Add(mm["birth_date"], r, 5, base + r.Below(31000) + (r.Chance(20) ? r.Below(3) * 365 : 0));
      Add(mm["schooling"], r, 10, 0, 0, r.Pick<std::string>({"none", "out_of_school", "primary", "lower_secondary"}));
      Add(mm["disability_percent"], r, 10, r.Pick<std::int64_t>({0, 0, 30, 50, 80, 100}));
      Add(mm["relationship"], r, 5, 0, 0, r.Pick<std::string>({"head", "spouse", "child", "child", "other"}));
      Add(mm["sex"], r, 5, 0, 0, r.Chance(50) ? "F" : "M");
      Add(mm["income"], r, 10, r.Chance(5) ? INT64_MAX - r.Below(10) : r.Below(5000) - 100);
      Add(mm["weight"], r, 10, 0, r.Below(2000) / 8.0 - 50);
      Add(mm["father_deceased"], r, 10, r.Below(2));
    }
  }
  return std::move(b.batch());
}

class RuleGenerator {
 public:
  explicit RuleGenerator(Random& r) : r_(r) {}

  std::string Of(Type t, int depth, const std::string& var) {
    const bool leaf = depth <= 0 || r_.Chance(25);
    switch (t) {
      case Type::kInt:
        return leaf ? IntLeaf(var) : IntNode(depth - 1, var);
      case Type::kDecimal:
        return leaf ? r_.Pick<std::string>({"2.5", "0.0", "param(\"p.dec\")", "socio_economic_index",
                                            var.empty() ? "1.25" : var + ".weight"})
                    : DecimalNode(depth - 1, var);
      case Type::kDate:
        return leaf ? r_.Pick<std::string>({"date(\"2000-02-29\")", "registered_on",
                                            var.empty() ? "date(\"2020-06-01\")" : var + ".birth_date"})
                    : DateNode(depth - 1, var);
      default:
        return leaf ? BoolLeaf(var) : BoolNode(depth - 1, var);
    }
  }

 private:
  std::string Var() { return "v" + std::to_string(next_var_++); }
  std::string Agg(const std::string& fn, Type body, int depth) {
    const std::string v = Var();
    return "members." + fn + "(" + v + ", " + Of(body, depth, v) + ")";
  }

  std::string IntLeaf(const std::string& var) {
    std::vector<std::string> c = {std::to_string(r_.Below(106) - 5), "4611686018427387904", "param(\"p.int\")",
                                  "declared_income", "0"};
    if (!var.empty()) c.insert(c.end(), {var + ".income", var + ".disability_percent", "age(" + var + ".birth_date)"});
    return r_.Pick(c);
  }
  std::string IntNode(int d, const std::string& var) {
    switch (r_.Below(var.empty() ? 9 : 10)) {
      case 0:
        return "(" + Of(Type::kInt, d, var) + " " + r_.Pick<std::string>({"+", "-", "*", "/"}) + " " +
               Of(Type::kInt, d, var) + ")";
      case 1:
        return "-" + Of(Type::kInt, d, var);
      case 2:
        return "(" + Of(Type::kBool, d, var) + " ? " + Of(Type::kInt, d, var) + " : " + Of(Type::kInt, d, var) + ")";
      case 3:
        return Agg("count", Type::kBool, d);
      case 4:
        return Agg("sum", Type::kInt, d);
      case 5:
        return Agg(r_.Chance(50) ? "min" : "max", Type::kInt, d);
      case 6:
        return std::string(r_.Chance(50) ? "min(" : "max(") + Of(Type::kInt, d, var) + ", " + Of(Type::kInt, d, var) +
               ")";
      case 7:
        return "age(" + Of(Type::kDate, d, var) + ")";
      case 8:
        return "(" + Of(Type::kInt, d, var) + " / " + r_.Pick<std::string>({"0", "-1", "3"}) + ")";
      default:
        return var + ".rank_by(" + r_.Pick<std::string>({"birth_date", "income", "weight", "schooling"}) + ", " +
               Of(Type::kBool, d, var) + ")";
    }
  }
  std::string DecimalNode(int d, const std::string& var) {
    switch (r_.Below(5)) {
      case 0:
        return "(" + Of(Type::kDecimal, d, var) + " " + r_.Pick<std::string>({"+", "-", "*", "/"}) + " " +
               Of(r_.Chance(50) ? Type::kInt : Type::kDecimal, d, var) + ")";
      case 1:
        return "(" + Of(Type::kBool, d, var) + " ? " + Of(Type::kDecimal, d, var) + " : " + Of(Type::kInt, d, var) +
               ")";
      case 2:
        return Agg("sum", Type::kDecimal, d);
      case 3:
        return Agg(r_.Chance(50) ? "min" : "max", Type::kDecimal, d);
      default:
        return "max(" + Of(Type::kInt, d, var) + ", " + Of(Type::kDecimal, d, var) + ")";
    }
  }
  std::string DateNode(int d, const std::string& var) {
    switch (r_.Below(3)) {
      case 0:
        return Agg(r_.Chance(50) ? "min" : "max", Type::kDate, d);
      case 1:
        return "min(" + Of(Type::kDate, d, var) + ", " + Of(Type::kDate, d, var) + ")";
      default:
        return "(" + Of(Type::kBool, d, var) + " ? " + Of(Type::kDate, d, var) + " : " + Of(Type::kDate, d, var) + ")";
    }
  }
  std::string BoolLeaf(const std::string& var) {
    std::vector<std::string> c = {"true", "false", "urban", "receives_family_allowance", "(milieu == \"rural\")"};
    if (!var.empty()) {
      c.insert(c.end(), {var + ".father_deceased", "(" + var + ".schooling in [\"primary\", \"lower_secondary\"])",
                         "(" + var + ".sex != \"F\")", "(" + var + ".relationship == \"child\")"});
    }
    return r_.Pick(c);
  }
  std::string BoolNode(int d, const std::string& var) {
    const std::string cmp = r_.Pick<std::string>({"==", "!=", "<", "<=", ">", ">="});
    switch (r_.Below(9)) {
      case 0:
        return "(" + Of(Type::kInt, d, var) + " " + cmp + " " + Of(Type::kInt, d, var) + ")";
      case 1:
        return "(" + Of(Type::kDecimal, d, var) + " " + cmp + " " + Of(Type::kInt, d, var) + ")";
      case 2:
        return "(" + Of(Type::kDate, d, var) + " " + cmp + " " + Of(Type::kDate, d, var) + ")";
      case 3:
        return "!" + Of(Type::kBool, d, var);
      case 4:
        return "(" + Of(Type::kBool, d, var) + (r_.Chance(50) ? " && " : " || ") + Of(Type::kBool, d, var) + ")";
      case 5:
        return "has(" + Of(Type::kInt, d, var) + ")";
      case 6:
        return Agg("exists", Type::kBool, d);
      case 7:
        return "(" + Of(Type::kInt, d, var) + " in [1, 0, -3, 50])";
      default:
        return "(" + Of(Type::kBool, d, var) + " ? " + Of(Type::kBool, d, var) + " : " + Of(Type::kBool, d, var) + ")";
    }
  }

  Random& r_;
  int next_var_ = 0;
};

}  // namespace sanad::rules::testing
