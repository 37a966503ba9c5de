#include "db/migrations.h"

#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>
#include <string_view>

namespace sanad::db {
namespace {

TEST(Migrations, AreNumberedWithoutGapsFromOne) {
  const auto& all = EmbeddedMigrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
}

// The number of SQL statements in `text` as SQLite reads it (a trigger's body is part of its statement).
// SQLite runs only the first statement of a text it is given, silently: a dialect block holding two
// (a DELETE then an INSERT) once applied as the DELETE alone.
int SqliteStatements(std::string_view text) {
  int count = 0;
  std::size_t start = 0;
  for (std::size_t end = text.find(';'); end != std::string_view::npos; end = text.find(';', end + 1)) {
    const std::string candidate(text.substr(start, end + 1 - start));
    if (sqlite_api::sqlite3_complete(candidate.c_str()) != 0) {
      ++count;
      start = end + 1;
    }
  }
  if (text.substr(start).find_first_not_of(" \t\r\n") != std::string_view::npos) ++count;
  return count;
}

TEST(Migrations, EachStatementRunOnSqliteIsOneStatement) {
  ASSERT_EQ(SqliteStatements("DELETE FROM t;\nINSERT INTO t VALUES (1)"), 2);
  ASSERT_EQ(SqliteStatements("CREATE TRIGGER x BEFORE UPDATE ON t BEGIN SELECT RAISE(ABORT, 'no'); END"), 1);
  for (const auto& m : EmbeddedMigrations()) {
    for (const auto& statement : MigrationStatements(m, Dialect::kSqlite)) {
      EXPECT_EQ(SqliteStatements(statement), 1) << m.version << " " << m.name << ":\n" << statement;
    }
  }
}

TEST(Migrations, RenderThePrimaryKeyPlaceholderPerDialect) {
  EXPECT_EQ(RenderForDialect("id {{ID}}", Dialect::kSqlite), "id INTEGER PRIMARY KEY");
  EXPECT_NE(RenderForDialect("id {{ID}}", Dialect::kPostgres).find("IDENTITY"), std::string::npos);
  EXPECT_EQ(RenderForDialect("b {{BYTES}}", Dialect::kPostgres), "b BYTEA");
}

}  // namespace
}  // namespace sanad::db
