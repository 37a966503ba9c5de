// Visits (issue 13 §3, §4; docs/empowerment.md#visits): reading a visit, the monitoring milestones at 6,
// 12 and 24 months after her activity started (clamped to a shorter month's end).
#include "empowerment/visit.h"

#include <gtest/gtest.h>

namespace sanad::empowerment {
namespace {

using nlohmann::json;

TEST(ReadVisit, ReadsAnAccompanimentWithItsNextStep) {
  auto v = ReadVisit({{"kind", "accompaniment"},
                      {"visited_on", "2026-04-01"},
                      {"visitor", "Nadia"},
                      {"notes", "Stand au souk"},
                      {"next_step", "Ouvrir un compte"},
                      {"next_step_due", "2026-04-15"}});
  ASSERT_TRUE(v) << v.error().reason;
  EXPECT_EQ(v->next_step_due, "2026-04-15");
}

TEST(ReadVisit, NamesEveryBadFieldAtOnce) {
  auto v = ReadVisit({{"kind", "monitoring"},
                      {"visited_on", "2026-04-31"},
                      {"visitor", ""},
                      {"next_step", "x"},
                      {"milestone_months", 9},
                      {"monthly_income", -5}});
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().reason, "empowerment.visit_invalid");
  std::vector<std::string> fields;
  for (const auto& p : v.error().problems) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"visited_on", "visitor", "next_step_due", "monthly_income",
                                              "milestone_months", "activity_running"}));
  // An accompaniment carries no monitoring figures.
  auto a = ReadVisit({{"kind", "accompaniment"}, {"visited_on", "2026-04-01"}, {"visitor", "N"}, {"jobs_created", 2}});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().problems.at(0).reason, "empowerment.monitoring_only");
}

TEST(OverdueMonitoring, MilestonesAtSixTwelveAndTwentyFourMonthsNotYetCovered) {
  const Date start{2025, 8, 31};
  // 6 months after 31 August is 28 February (clamped); on 1 March it is overdue, the 12-month one is not.
  auto due = OverdueMonitoring(start, {}, Date{2026, 3, 1});
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].months, 6);
  EXPECT_EQ(due[0].due, "2026-02-28");
  EXPECT_TRUE(OverdueMonitoring(start, {}, Date{2026, 2, 28}).empty());  // due that day: not yet overdue
  auto later = OverdueMonitoring(start, {6}, Date{2027, 9, 1});
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].months, 12);
  EXPECT_EQ(later[1].due, "2027-08-31");
}

}  // namespace
}  // namespace sanad::empowerment
