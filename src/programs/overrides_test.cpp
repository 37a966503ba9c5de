#include "programs/overrides.h"

#include <gtest/gtest.h>

#include "programs/simulate.h"
#include "programs/templates.h"

namespace sanad::programs {
namespace {

const Programme& Asd() { return *FindBuiltin("ASD"); }

TEST(Overrides, ReplaceTheValuesOfTheSetInForce) {
  auto p = WithOverrides(Asd(), {2026, 3, 1}, {{"asd.index_threshold", 10.5}, {"asd.flat", std::int64_t{650}}});
  ASSERT_TRUE(p.has_value()) << p.error().reason;
  ASSERT_EQ(p->parameter_sets.size(), 1u);
  const auto& params = p->parameter_sets[0].params;
  EXPECT_EQ(std::get<double>(params.at("asd.index_threshold")), 10.5);
  EXPECT_EQ(std::get<std::int64_t>(params.at("asd.flat")), 650);
  // The other values are the 2026 set's (domain.md §1.1: 300 DH for a child of rank 1–3 aged 0–5).
  EXPECT_EQ(std::get<std::int64_t>(params.at("asd.r1_3.young")), 300);
  // The candidate decides: a household without children at index 10.2 is now eligible, for 650 DH.
  HouseholdInput h{.country = "MA", .socio_economic_index = 10.2, .receives_family_allowance = false};
  h.members.push_back({.relationship = "head", .sex = "M", .birth_date = Date{1970, 1, 1}});
  auto sim = Simulate(*p, h, "2026-03");
  ASSERT_TRUE(sim.has_value());
  EXPECT_TRUE(sim->eligible);
  EXPECT_EQ(sim->monthly_amount, 650);
  auto base = Simulate(Asd(), h, "2026-03");
  ASSERT_TRUE(base.has_value());
  EXPECT_FALSE(base->eligible);
}

TEST(Overrides, NoOverrideGivesTheSetInForce) {
  auto p = WithOverrides(Asd(), {2025, 6, 1}, {});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(std::get<std::int64_t>(p->parameter_sets[0].params.at("asd.r1_3.young")), 250);
}

TEST(Overrides, WholeDecimalForAnIntAndIntForADecimal) {
  auto p = WithOverrides(Asd(), {2026, 3, 1}, {{"asd.flat", 600.0}, {"asd.index_threshold", std::int64_t{10}}});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(std::get<std::int64_t>(p->parameter_sets[0].params.at("asd.flat")), 600);
  EXPECT_EQ(std::get<double>(p->parameter_sets[0].params.at("asd.index_threshold")), 10.0);
}

TEST(Overrides, NameEveryUnknownOrNonIntegerParameter) {
  auto p = WithOverrides(Asd(), {2026, 3, 1}, {{"asd.treshold", 10.0}, {"asd.flat", 600.5}, {"nope", std::int64_t{1}}});
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, Code::kFailedPrecondition);  // 422: the request is well formed
  EXPECT_EQ(p.error().reason, "program.overrides_invalid");
  ASSERT_EQ(p.error().problems.size(), 3u);
  EXPECT_EQ(p.error().problems[0].reason, "program.override_unknown");
  EXPECT_EQ(p.error().problems[0].field, "overrides.asd.treshold");
  EXPECT_EQ(p.error().problems[1].reason, "program.override_not_integer");
  EXPECT_EQ(p.error().problems[1].field, "overrides.asd.flat");
  EXPECT_EQ(p.error().problems[2].field, "overrides.nope");
}

// A candidate parameter below zero (an amount, a threshold, an age) is no candidate a ministry could
// decree: named, as the other problems are (asd.floor -100 was simulated).
TEST(Overrides, NameEveryParameterBelowZero) {
  auto p =
      WithOverrides(Asd(), {2026, 3, 1},
                    {{"asd.floor", std::int64_t{-100}}, {"asd.index_threshold", -0.5}, {"asd.flat", std::int64_t{0}}});
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().reason, "program.overrides_invalid");
  ASSERT_EQ(p.error().problems.size(), 2u);
  EXPECT_EQ(p.error().problems[0].reason, "program.override_negative");
  EXPECT_EQ(p.error().problems[0].field, "overrides.asd.floor");
  EXPECT_EQ(p.error().problems[1].field, "overrides.asd.index_threshold");
}

TEST(Overrides, NoSetInForce) {
  auto p = WithOverrides(Asd(), {2020, 1, 1}, {});
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().reason, "program.no_parameters");
}

}  // namespace
}  // namespace sanad::programs
