#include "targeting/simulation.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace sanad::targeting {
namespace {

constexpr double kLine = 9.743001;

// Five households, by hand (latent: log annual consumption per person; poor when ≤ 9.743001):
//   h1 MA-01, 4 persons, 9.0       poor      baseline 500   candidate 500
//   h2 MA-01, 2 persons, 10.0      not poor  baseline 300   candidate —
//   h3 MA-01, 3 persons, unknown   —         baseline 400   candidate —
//   h4 MA-02, 5 persons, 9.5       poor      baseline —     candidate 600
//   h5 MA-02, 1 person,  9.743001  poor (on the line)       baseline 500   candidate 500
// added in two chunks that mix the regions: {h1, h4} then {h2, h3, h5}.
struct Chunk {
  std::vector<std::string> region;
  std::vector<std::uint32_t> size;
  std::vector<double> latent;
  std::vector<std::uint8_t> present;
  std::vector<std::uint8_t> base_eligible, cand_eligible;
  std::vector<std::int64_t> base_amount, cand_amount;

  Status AddTo(SimulationAccumulator& acc) const {
    const std::array<ScenarioColumns, 2> scenarios{ScenarioColumns{base_eligible, base_amount},
                                                   ScenarioColumns{cand_eligible, cand_amount}};
    return acc.Add({region, size, latent, present}, scenarios);
  }
};

std::vector<SimulationRow> HandRows(PaymentFrequency frequency = PaymentFrequency::kMonthly) {
  SimulationAccumulator acc(kLine, 2, frequency);
  const Chunk first{{"MA-01", "MA-02"}, {4, 5}, {9.0, 9.5}, {1, 1}, {1, 0}, {1, 1}, {500, 0}, {500, 600}};
  // A household not eligible may carry any amount: it is ignored (h3's candidate 999).
  const Chunk second{{"MA-01", "MA-01", "MA-02"},
                     {2, 3, 1},
                     {10.0, 0.0, kLine},
                     {1, 0, 1},
                     {1, 1, 1},
                     {0, 0, 1},
                     {300, 400, 500},
                     {0, 999, 500}};
  EXPECT_TRUE(first.AddTo(acc).has_value());
  EXPECT_TRUE(second.AddTo(acc).has_value());
  return acc.Rows();
}

TEST(TargetingSimulation, CountsAndMeasuresByRegionAndNationally) {
  const auto rows = HandRows();
  ASSERT_EQ(rows.size(), 3u);
  const auto& r1 = rows[0];
  EXPECT_EQ(r1.region, "MA-01");
  EXPECT_EQ(r1.counts.households, 3);
  EXPECT_EQ(r1.counts.persons, 9);
  EXPECT_EQ(r1.counts.measured_households, 2);
  EXPECT_EQ(r1.counts.poor_households, 1);
  EXPECT_EQ(r1.counts.poor_persons, 4);
  // Baseline in MA-01: all three covered, one of the two measured is poor.
  EXPECT_EQ(r1.scenarios[0].covered_households, 3);
  EXPECT_EQ(r1.scenarios[0].covered_persons, 9);
  EXPECT_DOUBLE_EQ(r1.scenarios[0].coverage_rate, 1.0);
  EXPECT_EQ(r1.scenarios[0].monthly_cost_minor, 120000);  // (500 + 300 + 400) DH
  EXPECT_EQ(r1.scenarios[0].yearly_cost_minor, 1440000);
  EXPECT_DOUBLE_EQ(*r1.scenarios[0].inclusion_error, 0.5);
  EXPECT_DOUBLE_EQ(*r1.scenarios[0].exclusion_error, 0.0);
  // Candidate in MA-01: h1 only.
  EXPECT_EQ(r1.scenarios[1].covered_households, 1);
  EXPECT_DOUBLE_EQ(r1.scenarios[1].coverage_rate, 1.0 / 3);
  EXPECT_EQ(r1.scenarios[1].monthly_cost_minor, 50000);
  EXPECT_DOUBLE_EQ(*r1.scenarios[1].inclusion_error, 0.0);

  const auto& r2 = rows[1];
  EXPECT_EQ(r2.region, "MA-02");
  EXPECT_EQ(r2.counts.poor_households, 2);  // h5 on the line counts as poor
  EXPECT_EQ(r2.counts.poor_persons, 6);
  EXPECT_EQ(r2.scenarios[0].covered_households, 1);
  EXPECT_DOUBLE_EQ(*r2.scenarios[0].exclusion_error, 0.5);
  EXPECT_DOUBLE_EQ(*r2.scenarios[0].inclusion_error, 0.0);
  EXPECT_EQ(r2.scenarios[1].covered_persons, 6);
  EXPECT_EQ(r2.scenarios[1].monthly_cost_minor, 110000);
  EXPECT_DOUBLE_EQ(*r2.scenarios[1].exclusion_error, 0.0);

  const auto& nat = rows[2];
  EXPECT_EQ(nat.region, "");
  EXPECT_EQ(nat.counts.households, 5);
  EXPECT_EQ(nat.counts.persons, 15);
  EXPECT_EQ(nat.counts.poor_households, 3);
  EXPECT_EQ(nat.scenarios[0].covered_households, 4);
  EXPECT_EQ(nat.scenarios[0].covered_persons, 10);
  EXPECT_DOUBLE_EQ(nat.scenarios[0].coverage_rate, 0.8);
  EXPECT_EQ(nat.scenarios[0].monthly_cost_minor, 170000);
  EXPECT_EQ(nat.scenarios[0].yearly_cost_minor, 2040000);
  EXPECT_DOUBLE_EQ(*nat.scenarios[0].inclusion_error, 1.0 / 3);  // h2 among h1, h2, h5 (h3 unmeasured)
  EXPECT_DOUBLE_EQ(*nat.scenarios[0].exclusion_error, 1.0 / 3);  // h4 among h1, h4, h5
  EXPECT_EQ(nat.scenarios[1].covered_households, 3);
  EXPECT_EQ(nat.scenarios[1].monthly_cost_minor, 160000);
  EXPECT_DOUBLE_EQ(*nat.scenarios[1].inclusion_error, 0.0);
  EXPECT_DOUBLE_EQ(*nat.scenarios[1].exclusion_error, 0.0);
}

TEST(TargetingSimulation, YearlyEntitlementHasNoMonthlyCost) {
  const auto rows = HandRows(PaymentFrequency::kYearly);
  EXPECT_FALSE(rows.back().scenarios[0].monthly_cost_minor.has_value());
  EXPECT_EQ(rows.back().scenarios[0].yearly_cost_minor, 170000);
}

TEST(TargetingSimulation, ErrorsAreAbsentWithoutDenominator) {
  SimulationAccumulator acc(kLine, 1, PaymentFrequency::kMonthly);
  const std::vector<std::string> region{"MA-01"};
  const std::vector<std::uint32_t> size{2};
  const std::vector<double> latent{11.0};
  const std::vector<std::uint8_t> eligible{0};
  const std::vector<std::int64_t> amount{0};
  const std::array<ScenarioColumns, 1> s{ScenarioColumns{eligible, amount}};
  ASSERT_TRUE(acc.Add({region, size, latent, {}}, s).has_value());
  const auto rows = acc.Rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows[0].scenarios[0].inclusion_error.has_value());  // nobody covered
  EXPECT_FALSE(rows[0].scenarios[0].exclusion_error.has_value());  // nobody poor
  EXPECT_DOUBLE_EQ(rows[0].scenarios[0].coverage_rate, 0.0);
}

TEST(TargetingSimulation, NanLatentIsUnmeasured) {
  SimulationAccumulator acc(kLine, 1, PaymentFrequency::kMonthly);
  const std::vector<std::string> region{"MA-01", "MA-01"};
  const std::vector<std::uint32_t> size{2, 3};
  const std::vector<double> latent{std::nan(""), 9.0};
  const std::vector<std::uint8_t> eligible{1, 1};
  const std::vector<std::int64_t> amount{500, 500};
  const std::array<ScenarioColumns, 1> s{ScenarioColumns{eligible, amount}};
  ASSERT_TRUE(acc.Add({region, size, latent, {}}, s).has_value());
  const auto rows = acc.Rows();
  EXPECT_EQ(rows[0].counts.measured_households, 1);
  EXPECT_EQ(rows[0].counts.poor_households, 1);
  EXPECT_DOUBLE_EQ(*rows[0].scenarios[0].inclusion_error, 0.0);  // the unmeasured beneficiary is left out
}

TEST(TargetingSimulation, EmptyRegistryGivesOnlyTheNationalRow) {
  SimulationAccumulator acc(kLine, 2, PaymentFrequency::kMonthly);
  const auto rows = acc.Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].counts.households, 0);
  EXPECT_EQ(rows[0].scenarios.size(), 2u);
  EXPECT_DOUBLE_EQ(rows[0].scenarios[0].coverage_rate, 0.0);
}

TEST(TargetingSimulation, RejectsColumnsOfDifferentLengths) {
  SimulationAccumulator acc(kLine, 1, PaymentFrequency::kMonthly);
  const std::vector<std::string> region{"MA-01", "MA-02"};
  const std::vector<std::uint32_t> size{2, 3};
  const std::vector<double> latent{9.0, 9.0};
  const std::vector<std::uint8_t> eligible{1};
  const std::vector<std::int64_t> amount{1, 1};
  const std::array<ScenarioColumns, 1> s{ScenarioColumns{eligible, amount}};
  auto st = acc.Add({region, size, latent, {}}, s);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().reason, "targeting.simulation_columns");
  // The wrong number of scenarios.
  auto none = acc.Add({region, size, latent, {}}, {});
  ASSERT_FALSE(none.has_value());
}

}  // namespace
}  // namespace sanad::targeting
