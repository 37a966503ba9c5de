#include "targeting/simulation_run.h"

#include <gtest/gtest.h>

#include "programs/simulate.h"
#include "programs/templates.h"

namespace sanad::targeting {
namespace {

using nlohmann::json;

programs::HouseholdInput Adult(double index) {
  programs::HouseholdInput h{.country = "MA", .socio_economic_index = index, .receives_family_allowance = false};
  h.members.push_back({.relationship = "head", .sex = "F", .birth_date = Date{1975, 4, 1}});
  return h;
}

// Four households without children (ASD's flat 500 DH when eligible), in two chunks:
//   A MA-01 index 9.0  latent 9.2  poor       baseline 500  candidate 600
//   B MA-01 index 10.0 latent 9.5  poor       baseline —    candidate 600 (threshold 10.5)
//   C MA-02 index 9.5  latent 11.0 not poor   baseline 500  candidate 600
//   D MA-02 index 12.0 latent 12.0 not poor   baseline —    candidate —
struct Registry {
  std::vector<std::vector<programs::HouseholdInput>> households{{Adult(9.0), Adult(10.0)}, {Adult(9.5), Adult(12.0)}};
  std::vector<std::vector<std::string>> regions{{"MA-01", "MA-01"}, {"MA-02", "MA-02"}};
  std::vector<std::vector<double>> latent{{9.2, 9.5}, {11.0, 12.0}};
  std::vector<PopulationFilter> asked;

  PopulationReader Reader() {
    return [this](const PopulationFilter& filter, const ChunkVisitor& visit) -> Status {
      asked.push_back(filter);
      for (std::size_t c = 0; c < households.size(); ++c) {
        rules::Batch batch = programs::BatchOf(households[c]);
        if (auto st = visit({batch, regions[c], latent[c], {}, 4}); !st) return st;
      }
      return Ok();
    };
  }
};

SimulationRequest Candidate() {
  return {.period = "2026-03",
          .overrides = {{"asd.index_threshold", 10.5}, {"asd.flat", std::int64_t{600}}},
          .area = std::string("MA")};
}

TEST(TargetingSimulationRun, BaselineAndCandidateByRegion) {
  Registry registry;
  std::vector<std::pair<std::int64_t, std::int64_t>> progress;
  auto result = RunSimulation(*programs::FindBuiltin("ASD"), Candidate(), registry.Reader(),
                              [&progress](std::int64_t done, std::int64_t total) {
                                progress.emplace_back(done, total);
                                return Ok();
                              });
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  const json& r = *result;
  EXPECT_EQ(registry.asked, (std::vector<PopulationFilter>{{std::string("MA"), "MA"}}));  // ASD: Moroccan households
  EXPECT_EQ(progress, (std::vector<std::pair<std::int64_t, std::int64_t>>{{2, 4}, {4, 4}}));
  EXPECT_EQ(r["programme"], "ASD");
  EXPECT_EQ(r["currency"], "MAD");
  EXPECT_DOUBLE_EQ(r["poverty_line"].get<double>(), 9.743001);  // Morocco's default
  EXPECT_EQ(r["parameters"]["baseline"]["asd.flat"], 500);
  EXPECT_EQ(r["parameters"]["candidate"]["asd.flat"], 600);
  EXPECT_EQ(r["parameters"]["candidate"]["asd.r1_3.young"], 300);  // not overridden: the 2026 set's

  const json& total = r["total"];
  EXPECT_EQ(total["households"], 4);
  EXPECT_EQ(total["poor_households"], 2);
  EXPECT_EQ(total["baseline"]["covered_households"], 2);
  EXPECT_EQ(total["baseline"]["monthly_cost_minor"], 100000);  // 2 × 500 DH in centimes
  EXPECT_EQ(total["baseline"]["yearly_cost_minor"], 1200000);
  EXPECT_DOUBLE_EQ(total["baseline"]["inclusion_error"].get<double>(), 0.5);  // C
  EXPECT_DOUBLE_EQ(total["baseline"]["exclusion_error"].get<double>(), 0.5);  // B
  EXPECT_EQ(total["candidate"]["covered_households"], 3);
  EXPECT_EQ(total["candidate"]["monthly_cost_minor"], 180000);
  EXPECT_DOUBLE_EQ(total["candidate"]["inclusion_error"].get<double>(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(total["candidate"]["exclusion_error"].get<double>(), 0.0);

  ASSERT_EQ(r["regions"].size(), 2u);
  EXPECT_EQ(r["regions"][0]["region"], "MA-01");
  EXPECT_EQ(r["regions"][0]["candidate"]["monthly_cost_minor"], 120000);
  EXPECT_EQ(r["regions"][1]["region"], "MA-02");
  EXPECT_DOUBLE_EQ(r["regions"][1]["baseline"]["coverage_rate"].get<double>(), 0.5);
  // No poor household in MA-02: every beneficiary is an inclusion error, and no exclusion error to speak of.
  EXPECT_TRUE(r["regions"][1]["baseline"]["exclusion_error"].is_null());

  const std::string csv = SimulationCsv(r);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "region,scenario,households,persons,measured_households,poor_households,poor_persons,covered_households,"
            "covered_persons,coverage_rate,monthly_cost_minor,one_off_cost_minor,yearly_cost_minor,inclusion_error,"
            "exclusion_error");
  EXPECT_NE(csv.find("\r\nMA-02,baseline,2,2,2,0,0,1,1,0.5,50000,0,600000,1.0,\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\ntotal,candidate,4,4,4,2,2,3,3,0.75,180000,0,2160000,"), std::string::npos) << csv;
  std::size_t lines = 0;
  for (char ch : csv) lines += ch == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 7u);  // header, 2 regions × 2 scenarios, total × 2
}

// The yearly cost counts the one-off grants of the year: a mother and her son in primary school, born
// 2016-05-01, eligible (index 9.0 < 9.743001): 12 × the 500 DH floor (one child of rank 1 in school, 300 DH
// in 2026, raised to the household minimum) plus the school-start grant of decree 2-24-706 paid in
// September, 200 DH for primary school (docs/domain.md §1.1). The March simulation still counts it.
TEST(TargetingSimulationRun, YearlyCostCountsTheSchoolStartGrant) {
  programs::HouseholdInput h = Adult(9.0);
  h.members.push_back({.relationship = "child", .sex = "M", .birth_date = Date{2016, 5, 1}, .schooling = "primary"});
  const std::vector<programs::HouseholdInput> households{h};
  const std::vector<std::string> regions{"MA-01"};
  const std::vector<double> latent{9.2};
  PopulationReader reader = [&](const PopulationFilter&, const ChunkVisitor& visit) -> Status {
    rules::Batch batch = programs::BatchOf(households);
    return visit({batch, regions, latent, {}, 1});
  };
  SimulationRequest request{.period = "2026-03", .overrides = {{"asd.school_grant.primary", std::int64_t{250}}}};
  auto result = RunSimulation(*programs::FindBuiltin("ASD"), request, reader, {});
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  const json& total = (*result)["total"];
  EXPECT_EQ(total["baseline"]["monthly_cost_minor"], 50000);
  EXPECT_EQ(total["baseline"]["one_off_cost_minor"], 20000);
  EXPECT_EQ(total["baseline"]["yearly_cost_minor"], 12 * 50000 + 20000);
  // A candidate grant of 250 DH moves the one-off cost only.
  EXPECT_EQ(total["candidate"]["monthly_cost_minor"], 50000);
  EXPECT_EQ(total["candidate"]["one_off_cost_minor"], 25000);
  EXPECT_EQ(total["candidate"]["yearly_cost_minor"], 12 * 50000 + 25000);
}

TEST(TargetingSimulationRun, UnknownParameterIsRefusedBeforeReading) {
  Registry registry;
  SimulationRequest request = Candidate();
  request.overrides.emplace_back("asd.treshold", 10.0);
  auto checked = CheckRequest(*programs::FindBuiltin("ASD"), request);
  ASSERT_FALSE(checked.has_value());
  EXPECT_EQ(checked.error().problems.at(0).field, "overrides.asd.treshold");
  auto result = RunSimulation(*programs::FindBuiltin("ASD"), request, registry.Reader(), nullptr);
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(registry.asked.empty());
}

TEST(TargetingSimulationRun, ProgressErrorStopsTheRun) {
  Registry registry;
  int calls = 0;
  auto result = RunSimulation(*programs::FindBuiltin("ASD"), Candidate(), registry.Reader(),
                              [&calls](std::int64_t, std::int64_t) -> Status {
                                ++calls;
                                return Failure(Code::kUnavailable, "targeting_simulation.failed");
                              });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(calls, 1);
}

TEST(TargetingSimulationRun, RequestRoundTripsThroughJson) {
  SimulationRequest r = Candidate();
  r.poverty_line = 9.5;
  auto back = RequestFromJson(RequestJson(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->period, "2026-03");
  EXPECT_EQ(back->poverty_line, 9.5);
  EXPECT_EQ(back->area, "MA");
  ASSERT_EQ(back->overrides.size(), 2u);
  // JSON objects come back in name order.
  EXPECT_EQ(back->overrides[0].first, "asd.flat");
  EXPECT_EQ(std::get<std::int64_t>(back->overrides[0].second), 600);
  EXPECT_EQ(std::get<double>(back->overrides[1].second), 10.5);
}

}  // namespace
}  // namespace sanad::targeting
