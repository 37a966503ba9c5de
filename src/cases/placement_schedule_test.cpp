// The follow-up visit schedule of alternative-care placements (docs/cases.md#placements): monthly for
// the first six months, then quarterly; a worker may bring a visit forward, never push it back.
#include "cases/placement_schedule.h"

#include <gtest/gtest.h>

namespace sanad::cases {
namespace {

Date D(const char* s) { return *ParseDate(s); }

TEST(PlacementSchedule, MonthlyForSixMonthsThenQuarterly) {
  EXPECT_EQ(NextVisitDue(D("2026-01-01"), std::nullopt, std::nullopt).ToString(), "2026-01-31");
  EXPECT_EQ(NextVisitDue(D("2026-01-01"), D("2026-02-10"), std::nullopt).ToString(), "2026-03-12");
  // Day 179 is still in the first six months; day 180 is not.
  EXPECT_EQ(NextVisitDue(D("2026-01-01"), AddDays(D("2026-01-01"), 179), std::nullopt).ToString(),
            AddDays(D("2026-01-01"), 209).ToString());
  EXPECT_EQ(NextVisitDue(D("2026-01-01"), AddDays(D("2026-01-01"), 180), std::nullopt).ToString(),
            AddDays(D("2026-01-01"), 270).ToString());
}

TEST(PlacementSchedule, AnEarlierVisitMayBeAskedButNotALaterOne) {
  EXPECT_EQ(NextVisitDue(D("2026-01-01"), D("2026-01-05"), D("2026-01-20")).ToString(), "2026-01-20");
  EXPECT_EQ(NextVisitDue(D("2026-01-01"), D("2026-01-05"), D("2026-06-01")).ToString(), "2026-02-04");
}

TEST(PlacementSchedule, KindsAndDayArithmetic) {
  EXPECT_TRUE(IsPlacementKind("kafala"));
  EXPECT_TRUE(IsPlacementKind("foster_family"));
  EXPECT_FALSE(IsPlacementKind("adoption"));                    // not a placement kind under Moroccan or Algerian law
  EXPECT_EQ(DaysBetween(D("2028-02-28"), D("2028-03-01")), 2);  // leap year
  EXPECT_EQ(AddDays(D("2026-12-31"), 1).ToString(), "2027-01-01");
}

}  // namespace
}  // namespace sanad::cases
