#include "db/sort_order.h"

#include <gtest/gtest.h>

namespace sanad::db {
namespace {

constexpr SortColumn kColumns[] = {{"name", "u.name"}, {"area", "COALESCE(u.area, '')"}};

TEST(SortOrder, AKeyOrdersByItsSqlWithTiesByTheTiebreakInTheSameDirection) {
  EXPECT_EQ(OrderBy(kColumns, "name", "u.id", "u.id DESC"), "u.name, u.id");
  EXPECT_EQ(OrderBy(kColumns, "-area", "u.id", "u.id DESC"), "COALESCE(u.area, '') DESC, u.id DESC");
}

TEST(SortOrder, NoValueOrAnUnknownOneGivesTheDefaultNeverTheClientsText) {
  EXPECT_EQ(OrderBy(kColumns, "", "u.id", "u.id DESC"), "u.id DESC");
  EXPECT_EQ(OrderBy(kColumns, "u.password; --", "u.id", "u.id DESC"), "u.id DESC");
  EXPECT_EQ(OrderBy(kColumns, "-", "u.id", "u.id DESC"), "u.id DESC");
}

TEST(SortOrder, TheAllowListHoldsEachKeyBothWays) {
  EXPECT_EQ(SortValues(kColumns), (std::vector<std::string>{"name", "-name", "area", "-area"}));
}

}  // namespace
}  // namespace sanad::db
