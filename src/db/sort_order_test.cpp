#include "db/sort_order.h"

#include <gtest/gtest.h>

namespace sanad::db {
namespace {

constexpr SortColumn kColumns[] = {{"name", "u.name", true}, {"area", "COALESCE(u.area, '')", true}, {"age", "u.age"}};

TEST(SortOrder, AKeyOrdersByItsSqlWithTiesByTheTiebreakInTheSameDirection) {
  EXPECT_EQ(OrderBy(Dialect::kSqlite, kColumns, "name", "u.id", "u.id DESC"), "u.name, u.id");
  EXPECT_EQ(OrderBy(Dialect::kSqlite, kColumns, "-area", "u.id", "u.id DESC"), "COALESCE(u.area, '') DESC, u.id DESC");
}

TEST(SortOrder, TextGoesByItsBytesOnBothDatabases) {
  // PostgreSQL's default collation follows the server's locale; SQLite's (BINARY) already compares bytes.
  EXPECT_EQ(OrderBy(Dialect::kPostgres, kColumns, "-name", "u.id", "u.id DESC"),
            "u.name COLLATE \"C\" DESC, u.id DESC");
  EXPECT_EQ(OrderBy(Dialect::kPostgres, kColumns, "area", "u.id", "u.id DESC"),
            "COALESCE(u.area, '') COLLATE \"C\", u.id");
  EXPECT_EQ(OrderBy(Dialect::kPostgres, kColumns, "age", "u.id", "u.id DESC"), "u.age, u.id");
  EXPECT_EQ(TextOrder("p.given_name_ar", Dialect::kSqlite), "p.given_name_ar");
}

TEST(SortOrder, NoValueOrAnUnknownOneGivesTheDefaultNeverTheClientsText) {
  EXPECT_EQ(OrderBy(Dialect::kSqlite, kColumns, "", "u.id", "u.id DESC"), "u.id DESC");
  EXPECT_EQ(OrderBy(Dialect::kSqlite, kColumns, "u.password; --", "u.id", "u.id DESC"), "u.id DESC");
  EXPECT_EQ(OrderBy(Dialect::kSqlite, kColumns, "-", "u.id", "u.id DESC"), "u.id DESC");
}

TEST(SortOrder, TheAllowListHoldsEachKeyBothWays) {
  EXPECT_EQ(SortValues(kColumns), (std::vector<std::string>{"name", "-name", "area", "-area", "age", "-age"}));
}

}  // namespace
}  // namespace sanad::db
