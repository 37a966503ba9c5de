// Funding calls (issue 13 §2, docs/empowerment.md §Funding calls): a call's checks, the currency by the
// region's country, the submission days, each unmet eligibility condition named, agreement tranches
// summing to the amount approved.
#include "empowerment/call.h"

#include <gtest/gtest.h>

namespace sanad::empowerment {
namespace {

Call Fes() {
  Call c;
  c.code = "FM-2026";
  c.name_ar = "نداء فاس مكناس 2026";
  c.name_fr = "Appel Fès-Meknès 2026";
  c.name_en = "Fès-Meknès call 2026";
  c.region_code = "MA-03";
  c.currency = "MAD";
  c.year = 2026;
  c.envelope_minor = 10'000'000;
  c.opens_at = "2026-03-01";
  c.closes_at = "2026-04-30";
  c.rubric = {{"viability", 40, 2}, {"impact", 30, 1}};
  return c;
}

Registration Her() {
  Registration r;
  r.kind = "auto_entrepreneur";
  r.birth_date = "1988-04-12";
  r.commune_code = "MA-03.231.01.03";
  r.situations = {"widow"};
  return r;
}

std::vector<std::string> Reasons(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  out.reserve(problems.size());
  for (const auto& p : problems) out.push_back(p.reason);
  return out;
}

TEST(Call, TheCurrencyFollowsTheRegionsCountry) {
  EXPECT_EQ(CurrencyOfRegion("MA-03"), "MAD");
  EXPECT_EQ(CurrencyOfRegion("DZ-16"), "DZD");
  EXPECT_FALSE(CurrencyOfRegion("FR-75"));
}

TEST(Call, AUsableCallPassesAndEveryBadFieldIsNamed) {
  EXPECT_TRUE(CheckCall(Fes()));
  Call bad = Fes();
  bad.name_fr = " ";
  bad.envelope_minor = 0;
  bad.closes_at = "2026-02-01";  // before opens_at
  bad.eligibility.kinds = {"employee"};
  bad.eligibility.min_age = 16;  // registrations start at 18
  bad.rubric = {{"viability", 400, 1}};
  auto r = CheckCall(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "empowerment.call_invalid");
  std::vector<std::string> fields;
  for (const auto& p : r.error().problems) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name_fr", "envelope_minor", "closes_at", "eligibility.kinds[0]",
                                              "eligibility.min_age", "rubric[0].max_points"}));
}

TEST(Call, ApplicationsAreSubmittedFromTheFirstToTheLastDayIncluded) {
  EXPECT_FALSE(IsOpen(Fes(), "2026-02-28"));
  EXPECT_TRUE(IsOpen(Fes(), "2026-03-01"));
  EXPECT_TRUE(IsOpen(Fes(), "2026-04-30"));
  EXPECT_FALSE(IsOpen(Fes(), "2026-05-01"));
}

TEST(Call, EachUnmetEligibilityConditionIsNamed) {
  Call c = Fes();
  EXPECT_TRUE(EligibilityProblems(c, Her(), true, true, "2026-03-10").empty());
  c.eligibility.kinds = {"cooperative_member"};
  c.eligibility.situations = {"divorced", "disability"};
  c.eligibility.min_age = 18;
  c.eligibility.max_age = 35;  // she is 37 on 2026-03-10 (born 1988-04-12)
  EXPECT_EQ(Reasons(EligibilityProblems(c, Her(), false, false, "2026-03-10")),
            (std::vector<std::string>{"empowerment.file_incomplete", "empowerment.outside_region",
                                      "empowerment.kind_not_eligible", "empowerment.situation_not_eligible",
                                      "empowerment.age_not_eligible"}));
  // One of the situations is enough; the age is taken on the day (37 until her birthday, then 38).
  c.eligibility = {{"auto_entrepreneur"}, {"divorced", "widow"}, 18, 37};
  EXPECT_TRUE(EligibilityProblems(c, Her(), true, true, "2026-04-11").empty());
  EXPECT_EQ(Reasons(EligibilityProblems(c, Her(), true, true, "2026-04-12")),
            (std::vector<std::string>{"empowerment.age_not_eligible"}));
}

// Issue 13 §3: "attendance can be an eligibility or tranche-release condition" (docs/empowerment.md
// §Training as a condition). The answer whether she completed it is TrainingStore::HasCompletedTraining's.
TEST(Call, ARequiredTrainingIsAConditionNamedWhenUnmet) {
  Call c = Fes();
  c.eligibility.requires_training = "digital_skills";
  EXPECT_TRUE(CheckCall(c));
  EXPECT_TRUE(EligibilityProblems(c, Her(), true, true, "2026-03-10", /*training_completed=*/true).empty());
  const auto unmet = EligibilityProblems(c, Her(), true, true, "2026-03-10", /*training_completed=*/false);
  ASSERT_EQ(Reasons(unmet), (std::vector<std::string>{"empowerment.training_required"}));
  EXPECT_EQ(unmet[0].field, "eligibility.requires_training");
  EXPECT_EQ(unmet[0].params, (MessageParams{{"topic", "digital_skills"}}));
  // Without a required training, the answer does not matter.
  EXPECT_TRUE(EligibilityProblems(Fes(), Her(), true, true, "2026-03-10", false).empty());
  // An unknown topic is refused, on the call and on a tranche.
  c.eligibility.requires_training = "cooking";
  auto bad = CheckCall(c);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().problems.at(0).field, "eligibility.requires_training");
  EXPECT_TRUE(CheckTranches({{"equipment bought", 5'000'000, "business_creation"}}, 5'000'000));
  auto tranche = CheckTranches({{"equipment bought", 5'000'000, "cooking"}}, 5'000'000);
  ASSERT_FALSE(tranche);
  EXPECT_EQ(tranche.error().problems.at(0).field, "tranches[0].requires_training");
}

TEST(Call, TranchesAddUpToTheAmountApproved) {
  EXPECT_TRUE(CheckTranches({{"equipment bought", 3'000'000}, {"activity started", 2'000'000}}, 5'000'000));
  auto sum = CheckTranches({{"equipment bought", 3'000'000}}, 5'000'000);
  ASSERT_FALSE(sum);
  EXPECT_EQ(sum.error().problems.at(0).reason, "empowerment.tranches_sum");
  auto bad = CheckTranches({{"", 5'000'000}, {"x", 0}}, 5'000'000);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().problems.size(), 2u);
  EXPECT_FALSE(CheckTranches({}, 5'000'000));
}

}  // namespace
}  // namespace sanad::empowerment
