#include "microcredit/packed_schedule.h"

#include <gtest/gtest.h>

#include "microcredit/microcredit_store.h"

namespace sanad::microcredit {
namespace {

TEST(PackedSchedule, RoundTripsASchedule) {
  // Amounts in santimes; instalments in whole dinars with the remainder on the last (docs/microcredit.md).
  const std::vector<LoanInstalment> schedule{{1, "2026-04-15", 416600}, {2, "2026-05-15", 418200}};
  const std::string packed = PackSchedule(schedule);
  EXPECT_EQ(packed, "2026-04-15:416600;2026-05-15:418200");
  std::vector<Day> due{7};
  std::vector<std::int64_t> principal{9};
  ASSERT_TRUE(UnpackSchedule(packed, due, principal));
  EXPECT_EQ(due, (std::vector<Day>{7, DayOf(2026, 4, 15), DayOf(2026, 5, 15)}));
  EXPECT_EQ(principal, (std::vector<std::int64_t>{9, 416600, 418200}));
}

TEST(PackedSchedule, AnEmptyScheduleHasNoInstalment) {
  std::vector<Day> due;
  std::vector<std::int64_t> principal;
  EXPECT_EQ(PackSchedule({}), "");
  EXPECT_TRUE(UnpackSchedule("", due, principal));
  EXPECT_TRUE(due.empty());
}

TEST(PackedSchedule, AMalformedTextAppendsNothing) {
  for (std::string_view bad : {"2026-04-15", "2026-04-15:", "2026-04-15:12;", "2026-4-15:12", "2026-13-01:5",
                               "2026-04-15:12;x", "2026-04-15:12,2026-05-15:3", "2026-04-15:1234567890123456789"}) {
    std::vector<Day> due{1};
    std::vector<std::int64_t> principal{2};
    EXPECT_FALSE(UnpackSchedule(bad, due, principal)) << bad;
    EXPECT_EQ(due.size(), 1U) << bad;
    EXPECT_EQ(principal.size(), 1U) << bad;
  }
}

TEST(PackedSchedule, ReadsStoredDates) {
  EXPECT_EQ(DayOfStoredDate("1970-01-01"), 0);
  EXPECT_EQ(DayOfStoredDate("2026-06-30"), DayOf(2026, 6, 30));
  EXPECT_EQ(DayOfStoredDate("2026-06-3"), -1);
  EXPECT_EQ(DayOfStoredDate("2026/06/30"), -1);
}

}  // namespace
}  // namespace sanad::microcredit
