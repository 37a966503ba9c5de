// Scoring and allocation (issue 13 §2): points within the rubric, conflicts of interest left out, two
// reviewers at least, best-to-worst allocation in full within the envelope, over-budget approvals refused.
#include "empowerment/funding.h"

#include <gtest/gtest.h>

namespace sanad::empowerment {
namespace {

const std::vector<Criterion> kRubric = {{"viability", 40, 2}, {"impact", 30, 1}, {"innovation", 10, 1}};

TEST(Funding, PointsOutOfRangeAreNamedPerCriterion) {
  auto r = CheckPoints(kRubric, {{"viability", 41}, {"impact", -1}, {"bogus", 3}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "empowerment.scores_invalid");
  std::vector<std::string> fields;
  for (const auto& p : r.error().problems) fields.push_back(p.field + ":" + p.reason);
  EXPECT_EQ(fields, (std::vector<std::string>{"points.viability:empowerment.score_out_of_range",
                                              "points.impact:empowerment.score_out_of_range",
                                              "points.bogus:field.unknown", "points.innovation:field.required"}));
  EXPECT_TRUE(CheckPoints(kRubric, {{"viability", 40}, {"impact", 0}, {"innovation", 10}}));
}

TEST(Funding, TheScoreIsTheMeanOfReviewersWithoutAConflict) {
  // Reviewer a: (2·40/40 + 30/30 + 0/10)/4 = 75; reviewer b: (2·20/40 + 15/30 + 10/10)/4 = 62.5.
  std::vector<Review> reviews = {{"a", false, {{"viability", 40}, {"impact", 30}, {"innovation", 0}}},
                                 {"b", false, {{"viability", 20}, {"impact", 15}, {"innovation", 10}}},
                                 {"c", true, {{"viability", 0}, {"impact", 0}, {"innovation", 0}}}};
  auto s = ApplicationScore(kRubric, reviews);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(*s, 68.75);
  reviews.erase(reviews.begin());
  EXPECT_FALSE(ApplicationScore(kRubric, reviews));  // one review left that counts
}

TEST(Funding, AllocatesBestToWorstInFullWithinTheEnvelope) {
  // 100,000 DH: the best (60,000) fits, the second (50,000) does not, the third (30,000) does.
  auto a = Allocate(10'000'000, {{1, 80, 5'000'000, "2026-01-02"},
                                 {2, 90, 6'000'000, "2026-01-01"},
                                 {3, 70, 3'000'000, "2026-01-03"},
                                 {4, 60, 2'000'000, "2026-01-04"}});
  EXPECT_EQ(a.funded, (std::vector<std::pair<std::int64_t, long long>>{{2, 6'000'000}, {3, 3'000'000}}));
  EXPECT_EQ(a.unfunded, (std::vector<std::int64_t>{1, 4}));
  EXPECT_EQ(a.used_minor, 9'000'000);
  EXPECT_EQ(a.remaining_minor, 1'000'000);
}

TEST(Funding, TiesGoToTheEarlierSubmission) {
  auto a = Allocate(1'000, {{7, 50, 1'000, "2026-02-02"}, {8, 50, 1'000, "2026-02-01"}});
  ASSERT_EQ(a.funded.size(), 1u);
  EXPECT_EQ(a.funded[0].first, 8);
}

TEST(Funding, AnApprovalOverTheEnvelopeIsRefused) {
  EXPECT_TRUE(CheckWithinEnvelope(10'000, 6'000, 4'000));
  auto r = CheckWithinEnvelope(10'000, 6'000, 4'001);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "empowerment.over_budget");
  EXPECT_EQ(r.error().params, (MessageParams{{"amount", "4001"}, {"remaining", "4000"}}));
}

TEST(Funding, ARubricNeedsDistinctCriteriaWithPoints) {
  EXPECT_TRUE(CheckRubric(kRubric));
  auto r = CheckRubric({{"a", 10, 1}, {"a", 0, 0}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problems.size(), 3u);
}

}  // namespace
}  // namespace sanad::empowerment
