#include "targeting/score_engine.h"

#include <gtest/gtest.h>

#include "targeting/test_support.h"

#include <nlohmann/json.hpp>

namespace sanad::targeting {
namespace {

using testing::kHandModel;  // the scores below are computed by hand with it

Model TestModel() {
  auto m = ParseModel(kHandModel);
  EXPECT_TRUE(m.has_value());
  return *m;
}

HouseholdBatch ThreeHouseholds() {
  HouseholdBatch b;
  // A: urban, Rabat-Salé-Kénitra's neighbour MA-03, 4 members of whom 2 children, 150 DH/month of
  // electricity, a villa, a car, 2 ha (not counted: the land term is rural only).
  auto a = b.Add(1, true, std::string(RegionOfCommune("MA-03.231.01.03")), 4);
  b.at(Variable::kSpendElectricity, a) = 150;
  b.at(Variable::kChildrenUnder15, a) = 2;
  b.at(Variable::kDwellingType, a) = 0;  // villa
  b.at(Variable::kHasCar, a) = 1;
  b.at(Variable::kLandHectares, a) = 2;
  // B: rural, MA-08 (no region effect in this model), 6 members of whom 3 children, electricity spend
  // unknown, a rural house, no car, 3 ha.
  auto r = b.Add(2, false, "MA-08", 6);
  b.at(Variable::kChildrenUnder15, r) = 3;
  b.at(Variable::kDwellingType, r) = 4;  // rural_house
  b.at(Variable::kHasCar, r) = 0;
  b.at(Variable::kLandHectares, r) = 3;
  // C: a person living alone in an urban MA-01 commune, 100 DH/month of electricity, nothing else known.
  auto c = b.Add(3, true, "MA-01", 1);
  b.at(Variable::kSpendElectricity, c) = 100;
  return b;
}

TEST(Score, MatchesHandComputedScoresShapedAfterDomainSection1_2) {
  ScoredBatch s = Score(TestModel(), ThreeHouseholds());
  ASSERT_EQ(s.score.size(), 3u);
  // A: 9.825 + 0.12 − 0.138·4 + 0.00469·16 + 0.000755·150·12/4 − 0.25·2/4 + 0.45 + 0.35 = 10.48279
  EXPECT_NEAR(s.score[0], 10.48279, 1e-9);
  // B: 9.69 − 0.138·6 + 0.00469·36 − 0.25·3/6 + 0.03·3/6 = 8.92084
  EXPECT_NEAR(s.score[1], 8.92084, 1e-9);
  // C: 9.825 − 0.138 + 0.00469 + 0.000755·100·12 = 10.59769
  EXPECT_NEAR(s.score[2], 10.59769, 1e-9);
}

TEST(Score, ContributionsSumToTheScoreAndNameTheirTerm) {
  ScoredBatch s = Score(TestModel(), ThreeHouseholds());
  ASSERT_EQ(s.parts.size(), s.part_labels.size());
  for (std::size_t i = 0; i < s.score.size(); ++i) {
    double sum = 0;
    for (const auto& part : s.parts) sum += part[i];
    EXPECT_DOUBLE_EQ(sum, s.score[i]) << i;
  }
  EXPECT_EQ(s.part_labels[0], "intercept");
  EXPECT_EQ(s.part_labels[1], "region");
  EXPECT_EQ(s.part_labels[2], "household_size");
  EXPECT_EQ(s.part_labels[4], "spend_electricity/annual_per_capita");
  EXPECT_EQ(s.part_labels[6], "dwelling_type=villa");
  EXPECT_EQ(s.part_labels[8], "land_hectares/per_capita@rural");
  EXPECT_NEAR(s.parts[4][0], 0.33975, 1e-12);
  EXPECT_DOUBLE_EQ(s.parts[1][0], 0.12);
}

TEST(Score, ContributionsJsonKeepsNonZeroPartsAndReadsBackToTheScore) {
  ScoredBatch s = Score(TestModel(), ThreeHouseholds());
  auto j = nlohmann::json::parse(ContributionsJson(s, 2));
  EXPECT_FALSE(j.contains("region"));
  EXPECT_FALSE(j.contains("dwelling_type=villa"));
  EXPECT_DOUBLE_EQ(j.at("intercept").get<double>(), 9.825);
  double sum = 0;
  for (const auto& [k, v] : j.items()) sum += v.get<double>();
  EXPECT_NEAR(sum, s.score[2], 1e-12);
  // Written as text: the labels in the model's order, each value the shortest text that reads back.
  EXPECT_EQ(ContributionsJson(s, 2), R"({"intercept":9.825,"household_size":-0.138,"household_size_squared":0.00469,)"
                                     R"("spend_electricity/annual_per_capita":0.906})");
}

TEST(Score, AnEmptyBatchGivesNoScores) {
  ScoredBatch s = Score(TestModel(), HouseholdBatch{});
  EXPECT_TRUE(s.score.empty());
  EXPECT_EQ(s.parts.size(), 9u);
}

}  // namespace
}  // namespace sanad::targeting
