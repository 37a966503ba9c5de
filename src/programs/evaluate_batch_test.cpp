// EvaluateBatch: a household's outcome does not depend on the households evaluated with it. Random
// households give the same simulation one by one and in one batch, for every built-in programme and
// periods with and without one-offs; and the batch's contract (the country column) is checked.
#include "programs/evaluate_batch.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "programs/simulate.h"
#include "programs/templates.h"
#include "rules/test_random.h"

namespace sanad::programs {
namespace {

using rules::testing::Random;

template <typename T>
std::optional<T> Maybe(Random& r, int null_percent, T value) {
  return r.Chance(null_percent) ? std::nullopt : std::optional<T>(std::move(value));
}

MemberInput RandomMember(Random& r, bool head) {
  MemberInput m;
  m.relationship = head ? "head" : r.Pick<std::string>({"spouse", "child", "child", "child", "grandchild", "other"});
  m.sex = r.Chance(50) ? "F" : "M";
  // Born between 1940 and 2026: children, adults and the elderly, some around the age bands' edges.
  m.birth_date = Maybe(r, 5, Date{1940 + r.Below(87), static_cast<unsigned>(1 + r.Below(12)), 1u});
  m.marital_status = Maybe(r, 10, r.Pick<std::string>({"single", "married", "divorced", "widowed"}));
  m.schooling = Maybe(r, 10,
                      r.Pick<std::string>({"not_applicable", "none", "primary", "lower_secondary", "upper_secondary",
                                           "higher", "out_of_school"}));
  m.disability_percent = Maybe(r, 10, r.Pick<std::int64_t>({0, 0, 0, 30, 50, 80, 100}));
  m.able_to_work = Maybe(r, 30, r.Chance(70));
  m.in_institution = Maybe(r, 30, r.Chance(5));
  return m;
}

HouseholdInput RandomHousehold(Random& r) {
  HouseholdInput h;
  h.country = r.Chance(70) ? "MA" : "DZ";
  h.socio_economic_index = Maybe(r, 5, 8.5 + r.Below(2500) / 1000.0);
  h.receives_family_allowance = Maybe(r, 5, r.Chance(20));
  h.has_proven_income = Maybe(r, 5, r.Chance(30));
  const int members = r.Below(10);
  for (int k = 0; k < members; ++k) h.members.push_back(RandomMember(r, k == 0));
  return h;
}

TEST(EvaluateBatch, SameResultOneByOneAndInOneBatch) {
  Random r(20261205);
  std::vector<HouseholdInput> households;
  households.reserve(600);
  for (int i = 0; i < 600; ++i) households.push_back(RandomHousehold(r));
  const rules::Batch batch = BatchOf(households);
  for (const auto& programme : BuiltinProgrammes()) {
    for (const char* period : {"2025-03", "2026-09"}) {
      auto outcome = EvaluateBatch(programme, batch, period);
      ASSERT_TRUE(outcome) << programme.code << " " << outcome.error().reason;
      ASSERT_EQ(outcome->households, households.size());
      int eligible = 0;
      for (std::size_t h = 0; h < households.size(); ++h) {
        auto alone = Simulate(programme, households[h], period);
        ASSERT_TRUE(alone) << alone.error().reason;
        const Simulation together = SimulationOf(*outcome, h, programme.currency);
        EXPECT_EQ(together.eligible, alone->eligible) << programme.code << " " << period << " #" << h;
        EXPECT_EQ(together.monthly_amount, alone->monthly_amount) << programme.code << " #" << h;
        EXPECT_EQ(together.lines, alone->lines) << programme.code << " #" << h;
        EXPECT_EQ(together.one_offs, alone->one_offs) << programme.code << " #" << h;
        EXPECT_EQ(together.reasons, alone->reasons) << programme.code << " #" << h;
        eligible += together.eligible ? 1 : 0;
      }
      // The households are varied enough that both outcomes occur for every programme.
      EXPECT_GT(eligible, 0) << programme.code;
      EXPECT_LT(eligible, static_cast<int>(households.size())) << programme.code;
    }
  }
}

TEST(EvaluateBatch, ColumnsAddUpPerHousehold) {
  Random r(7);
  std::vector<HouseholdInput> households;
  households.reserve(300);
  for (int i = 0; i < 300; ++i) households.push_back(RandomHousehold(r));
  auto outcome = EvaluateBatch(*FindBuiltin("ASD"), BatchOf(households), "2026-09");
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome->one_off_labels, std::vector<std::string>{"program.line.asd.school_start_grant"});
  for (std::size_t h = 0; h < outcome->households; ++h) {
    std::int64_t sum = 0;
    for (const auto& line : outcome->line_amounts) sum += line[h];
    EXPECT_EQ(sum, outcome->monthly_amount[h]);
    EXPECT_EQ(outcome->one_off_amounts[0][h], outcome->one_off_total[h]);
    const bool has_reasons = outcome->reason_offsets[h + 1] > outcome->reason_offsets[h];
    EXPECT_NE(outcome->eligible[h] != 0, has_reasons) << h;
    if (outcome->eligible[h] == 0) {
      EXPECT_EQ(outcome->monthly_amount[h] + outcome->one_off_total[h], 0);
    }
  }
}

// An amount past kMaxAmount (a line, the lines' running sum, a one-off or the one-offs' sum) cannot be
// paid: the household is not eligible, the reason naming the line that went past, rather than an amount
// wrapped around 64 bits (or past them once in minor units, or in a national cycle's total).
TEST(EvaluateBatch, AnAmountPastTheBoundIsNotEligibleWithItsLine) {
  std::vector<HouseholdInput> one(1);
  one[0].country = "MA";
  auto outcome_of = [&](std::vector<Line> lines, std::vector<OneOff> one_offs) {
    Programme p = *FindBuiltin("ASD");
    p.eligibility.clear();  // every household of the country passes
    p.lines = std::move(lines);
    p.one_offs = std::move(one_offs);
    auto outcome = EvaluateBatch(p, BatchOf(one), "2026-09");
    EXPECT_TRUE(outcome) << outcome.error().reason;
    return SimulationOf(*outcome, 0, "MAD");
  };
  auto past = [](const Simulation& s, const std::string& line) {
    EXPECT_FALSE(s.eligible);
    EXPECT_EQ(s.monthly_amount, 0);
    EXPECT_TRUE(s.lines.empty());
    EXPECT_TRUE(s.one_offs.empty());
    ASSERT_EQ(s.reasons.size(), 1u);
    EXPECT_EQ(s.reasons[0].code, "program.reason.amount_out_of_range");
    EXPECT_EQ(s.reasons[0].params,
              (std::vector<std::pair<std::string, std::string>>{{"line", line}, {"max", std::to_string(kMaxAmount)}}));
  };
  // Two lines of 2^62: their sum wraps to -2^63 in 64 bits.
  past(outcome_of({{"a", "4611686018427387904"}, {"b", "4611686018427387904"}}, {}), "a");
  // Each line within the bound, their sum past it.
  past(outcome_of({{"a", "600000000"}, {"b", "600000000"}}, {}), "b");
  past(outcome_of({{"a", "-1000000001"}}, {}), "a");
  past(outcome_of({{"a", "500"}}, {{"grant", "1000000001", 0}}), "grant");
  past(outcome_of({{"a", "500"}}, {{"g1", "600000000", 0}, {"g2", "600000000", 0}}), "g2");
  // At the bound: paid.
  const Simulation at = outcome_of({{"a", std::to_string(kMaxAmount)}}, {{"grant", std::to_string(kMaxAmount), 0}});
  EXPECT_TRUE(at.eligible);
  EXPECT_EQ(at.monthly_amount, kMaxAmount);
  ASSERT_EQ(at.one_offs.size(), 1u);
  EXPECT_EQ(at.one_offs[0].amount, kMaxAmount);
}

// A cash transfer is never negative: a household whose lines add up to less than zero (a deduction larger
// than what it deducts from), or with a one-off below zero, is not eligible and the reason says so. Before,
// it was "eligible" for -500 MAD and the cycle's total went below zero. A line below zero is a deduction:
// allowed while the total is not.
TEST(EvaluateBatch, ANegativeTotalOrOneOffIsNotEligible) {
  std::vector<HouseholdInput> one(1);
  one[0].country = "MA";
  auto outcome_of = [&](std::vector<Line> lines, std::vector<OneOff> one_offs) {
    Programme p = *FindBuiltin("ASD");
    p.eligibility.clear();
    p.lines = std::move(lines);
    p.one_offs = std::move(one_offs);
    auto outcome = EvaluateBatch(p, BatchOf(one), "2026-09");
    EXPECT_TRUE(outcome) << outcome.error().reason;
    return SimulationOf(*outcome, 0, "MAD");
  };
  using Params = std::vector<std::pair<std::string, std::string>>;
  const Simulation below = outcome_of({{"base", "300"}, {"deduction", "-800"}}, {});
  EXPECT_FALSE(below.eligible);
  EXPECT_EQ(below.monthly_amount, 0);
  ASSERT_EQ(below.reasons.size(), 1u);
  EXPECT_EQ(below.reasons[0].code, "program.reason.monthly_negative");
  EXPECT_EQ(below.reasons[0].params, (Params{{"amount", "-500"}}));
  const Simulation grant = outcome_of({{"base", "300"}}, {{"grant", "-200", 0}});
  EXPECT_FALSE(grant.eligible);
  EXPECT_TRUE(grant.one_offs.empty());
  ASSERT_EQ(grant.reasons.size(), 1u);
  EXPECT_EQ(grant.reasons[0].code, "program.reason.one_off_negative");
  EXPECT_EQ(grant.reasons[0].params, (Params{{"line", "grant"}, {"amount", "-200"}}));
  const Simulation deducted = outcome_of({{"base", "300"}, {"deduction", "-100"}}, {{"grant", "0", 0}});
  EXPECT_TRUE(deducted.eligible);
  EXPECT_EQ(deducted.monthly_amount, 200);
  EXPECT_TRUE(deducted.reasons.empty());
}

TEST(EvaluateBatch, OneOffsOnlyInTheirMonth) {
  auto compiled = CompileProgramme(*FindBuiltin("ASD"), "2026-03");
  ASSERT_TRUE(compiled);
  EXPECT_TRUE(compiled->one_offs.empty());
  EXPECT_EQ(compiled->lines.size(), FindBuiltin("ASD")->lines.size());
}

TEST(EvaluateBatch, EmptyBatch) {
  auto outcome = EvaluateBatch(*FindBuiltin("ASD"), BatchOf(std::vector<HouseholdInput>{}), "2026-09");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->households, 0u);
  EXPECT_EQ(outcome->reason_offsets, std::vector<std::uint32_t>{0});
}

TEST(EvaluateBatch, TheCountryColumnIsRequired) {
  std::vector<HouseholdInput> one(1);
  one[0].country = "MA";
  rules::Batch batch = BatchOf(one);
  batch.household.erase("country");
  auto outcome = EvaluateBatch(*FindBuiltin("ASD"), batch, "2026-03");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().reason, "rule.batch_invalid");
  auto bad_period = EvaluateBatch(*FindBuiltin("ASD"), BatchOf(one), "2026-3");
  ASSERT_FALSE(bad_period);
  EXPECT_EQ(bad_period.error().reason, "program.bad_period");
}

}  // namespace
}  // namespace sanad::programs
