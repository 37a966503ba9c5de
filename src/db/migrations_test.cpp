#include "db/migrations.h"

#include <gtest/gtest.h>

namespace sanad::db {
namespace {

TEST(Migrations, AreNumberedWithoutGapsFromOne) {
  const auto& all = EmbeddedMigrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
}

TEST(Migrations, RenderThePrimaryKeyPlaceholderPerDialect) {
  EXPECT_EQ(RenderForDialect("id {{ID}}", Dialect::kSqlite), "id INTEGER PRIMARY KEY");
  EXPECT_NE(RenderForDialect("id {{ID}}", Dialect::kPostgres).find("IDENTITY"), std::string::npos);
  EXPECT_EQ(RenderForDialect("b {{BYTES}}", Dialect::kPostgres), "b BYTEA");
}

}  // namespace
}  // namespace sanad::db
