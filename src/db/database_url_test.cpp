#include "db/database_url.h"

#include <gtest/gtest.h>

namespace sanad::db {
namespace {

TEST(DatabaseUrl, ReadsSqlitePath) {
  auto u = ParseDatabaseUrl("sqlite:var/demo.db");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->dialect, Dialect::kSqlite);
  EXPECT_EQ(u->sqlite_path, "var/demo.db");
}

TEST(DatabaseUrl, ReadsPostgresUserHostPortAndDatabase) {
  auto u = ParseDatabaseUrl("postgresql://sanad@127.0.0.1:5433/registry");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->dialect, Dialect::kPostgres);
  EXPECT_NE(u->pg_connection.find("port=5433"), std::string::npos);
  EXPECT_NE(u->pg_connection.find("dbname='registry'"), std::string::npos);
  EXPECT_NE(u->pg_connection.find("user='sanad'"), std::string::npos);
}

TEST(DatabaseUrl, HidesThePasswordInTheDisplayForm) {
  auto u = ParseDatabaseUrl("postgresql://sanad:secret@db:5432/x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->display.find("secret"), std::string::npos);
}

TEST(DatabaseUrl, RefusesUnknownSchemesAndBadPorts) {
  EXPECT_FALSE(ParseDatabaseUrl("mysql://x@y/z"));
  EXPECT_FALSE(ParseDatabaseUrl("postgresql://x@y:99999/z"));
  EXPECT_FALSE(ParseDatabaseUrl("postgresql://x@y:5432/"));
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:"));
}

TEST(DatabaseUrl, ErrorMessagesNeverShowThePassword) {
  for (const char* url : {"postgress://sanad:s3cret@db:5432/x", "postgresql://sanad:s3cret@db:99999/x",
                          "postgresql://sanad:s3cret@db:5432/"}) {
    auto u = ParseDatabaseUrl(url);
    ASSERT_FALSE(u) << url;
    EXPECT_EQ(u.error().message.find("s3cret"), std::string::npos) << u.error().message;
  }
}

TEST(DatabaseUrl, RedactsOnlyThePassword) {
  EXPECT_EQ(RedactPassword("postgresql://sanad:p@ss:w@db:5432/x"), "postgresql://sanad:********@db:5432/x");
  EXPECT_EQ(RedactPassword("postgresql://sanad@db:5432/x"), "postgresql://sanad@db:5432/x");
  EXPECT_EQ(RedactPassword("sqlite:var/a:b@c.db"), "sqlite:var/a:b@c.db");
  EXPECT_EQ(RedactPassword("mysql://u:pw@h/d"), "mysql://u:********@h/d");
}

}  // namespace
}  // namespace sanad::db
