#include "core/time.h"

#include <gtest/gtest.h>

namespace sanad {
namespace {

TEST(ParseDate, AcceptsARealDay) {
  auto d = ParseDate("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->ToString(), "2024-02-29");
}

TEST(ParseDate, RefusesADayThatDoesNotExistAndNamesTheField) {
  auto d = ParseDate("2023-02-29", "as_of");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, Code::kInvalidArgument);
  EXPECT_EQ(d.error().field, "as_of");
}

TEST(ParseDate, RefusesOtherShapes) {
  for (auto bad : {"2024-2-29", "20240229", "2024-02-29x", "", "abcd-ef-gh", "2024/02/29"}) {
    EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
  }
}

TEST(Timestamp, RoundTripsWithMicroseconds) {
  auto t = ParseTimestamp("2026-11-23T19:53:10.123456Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatTimestamp(*t), "2026-11-23T19:53:10.123456Z");
  EXPECT_EQ(DateOf(*t).ToString(), "2026-11-23");
}

TEST(Timestamp, SortsLexicographicallyInTimeOrder) {
  auto a = FormatTimestamp(*ParseTimestamp("2026-01-02T03:04:05Z"));
  auto b = FormatTimestamp(*ParseTimestamp("2026-01-02T03:04:05.5Z"));
  EXPECT_LT(a, b);
}

TEST(CompletedYears, CountsABirthdayFromItsOwnDay) {
  const Date birth{2005, 3, 15};
  EXPECT_EQ(CompletedYears(birth, Date{2026, 3, 14}), 20);
  EXPECT_EQ(CompletedYears(birth, Date{2026, 3, 15}), 21);
  EXPECT_EQ(CompletedYears(birth, Date{2026, 2, 28}), 20);
  EXPECT_EQ(CompletedYears(birth, Date{2005, 3, 15}), 0);
  // Born on 29 February: one more year on 1 March of a common year, not on 28 February.
  const Date leap{2004, 2, 29};
  EXPECT_EQ(CompletedYears(leap, Date{2022, 2, 28}), 17);
  EXPECT_EQ(CompletedYears(leap, Date{2022, 3, 1}), 18);
}

}  // namespace
}  // namespace sanad
