// The per-connection statement cache (db/statement_cache.h) on the database named by SANAD_TEST_DB:
// statements are prepared once and reused, parameters and NULLs bind again on every execution, rows
// are read again, a failed statement is dropped, nested use of one statement works, and an unfinished
// SQLite read does not keep its snapshot once its Prepared is gone.
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/row.h"
#include "test_db.h"

namespace sanad {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::FreshDatabaseUrl(testing::BackendFromEnv());
    auto db = db::Database::Open(url_, 1);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto s = db_->Acquire();
    s.sql() << "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT, qty BIGINT)";
  }

  std::string url_;
  std::unique_ptr<db::Database> db_;
};

constexpr const char* kInsert = "INSERT INTO items (id, name, qty) VALUES (:id, :name, :qty)";
constexpr const char* kSelect = "SELECT id, name, qty FROM items WHERE id >= :from ORDER BY id";

TEST_F(StatementCacheTest, PreparesOnceAndRebindsOnEveryExecution) {
  auto s = db_->Acquire();
  const auto before = s.statements().Stats();
  for (long long i = 1; i <= 5; ++i) {
    auto q = s.Prepare(kInsert);
    q.Bind(i).Bind("item " + std::to_string(i)).Bind(i % 2 ? std::optional<long long>(i * 10) : std::nullopt);
    EXPECT_FALSE(q.Execute());
    EXPECT_EQ(q.AffectedRows(), 1);
  }
  const auto after = s.statements().Stats();
  EXPECT_EQ(after.prepared - before.prepared, 1u);
  EXPECT_EQ(after.reused - before.reused, 4u);

  for (long long from : {1LL, 4LL}) {
    auto q = s.Prepare(kSelect);
    q.Bind(from);
    std::vector<std::pair<long long, std::optional<long long>>> rows;
    if (q.Execute()) {
      do rows.emplace_back(db::RowInt(q.Row(), 0), db::RowOptInt(q.Row(), 2));
      while (q.Next());
    }
    ASSERT_EQ(rows.size(), from == 1 ? 5u : 2u);
    EXPECT_EQ(rows.front().first, from);
    EXPECT_EQ(rows.back().first, 5);
    EXPECT_EQ(rows.back().second, std::optional<long long>(50));
    if (from == 4) {
      EXPECT_EQ(rows.front().second, std::nullopt);  // NULL bound, NULL read back
    }
  }
}

TEST_F(StatementCacheTest, NullTextParameterAndNoRow) {
  auto s = db_->Acquire();
  s.Prepare(kInsert).Bind(7LL).Bind(std::optional<std::string>()).Bind(1LL).Execute();
  auto q = s.Prepare("SELECT COUNT(*) FROM items WHERE name IS NULL AND id = :id");
  q.Bind(7LL);
  ASSERT_TRUE(q.Execute());
  EXPECT_EQ(db::RowInt(q.Row(), 0), 1);
  auto none = s.Prepare("SELECT name FROM items WHERE id = :id");
  none.Bind(99LL);
  EXPECT_FALSE(none.Execute());
}

TEST_F(StatementCacheTest, FailedStatementIsDroppedAndTheNextOneWorks) {
  auto s = db_->Acquire();
  s.Prepare(kInsert).Bind(1LL).Bind("a").Bind(1LL).Execute();
  const auto size = s.statements().Stats().size;
  {
    auto q = s.Prepare(kInsert);
    q.Bind(1LL).Bind("duplicate").Bind(2LL);
    EXPECT_THROW(q.Execute(), std::exception);  // primary key
  }
  EXPECT_EQ(s.statements().Stats().size, size - 1);
  s.Prepare(kInsert).Bind(2LL).Bind("b").Bind(2LL).Execute();
  auto q = s.Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(q.Execute());
  EXPECT_EQ(db::RowInt(q.Row(), 0), 2);
}

TEST_F(StatementCacheTest, NestedUseOfOneStatementGetsItsOwnCopy) {
  auto s = db_->Acquire();
  for (long long i = 1; i <= 3; ++i) s.Prepare(kInsert).Bind(i).Bind("x").Bind(i).Execute();
  auto outer = s.Prepare(kSelect);
  outer.Bind(1LL);
  long long pairs = 0;
  for (bool row = outer.Execute(); row; row = outer.Next()) {
    auto inner = s.Prepare(kSelect);
    inner.Bind(db::RowInt(outer.Row(), 0));
    for (bool r2 = inner.Execute(); r2; r2 = inner.Next()) ++pairs;
  }
  EXPECT_EQ(pairs, 3 + 2 + 1);
}

// The first use of a statement fixes its parameters; a later use that binds fewer or more is a bug.
TEST_F(StatementCacheTest, WrongNumberOfParametersIsRefused) {
  auto s = db_->Acquire();
  s.Prepare(kSelect).Bind(1LL).Execute();
  EXPECT_THROW(s.Prepare(kSelect).Execute(), std::logic_error);
  EXPECT_THROW(s.Prepare(kSelect).Bind(1LL).Bind(2LL), std::logic_error);
  EXPECT_THROW(s.Prepare(kSelect).Bind("text"), std::logic_error);  // kind fixed too
}

TEST_F(StatementCacheTest, CapacityEvictsTheLeastRecentlyUsed) {
  auto s = db_->Acquire();
  db::StatementCache cache(s.sql(), db_->dialect(), 2);
  for (int i = 0; i < 5; ++i) {
    auto q = cache.Prepare("SELECT " + std::to_string(i));
    ASSERT_TRUE(q.Execute());
  }
  EXPECT_EQ(cache.Stats().size, 2u);
  EXPECT_EQ(cache.Stats().prepared, 5u);
}

// A read left unfinished must not pin its snapshot: another connection's write is seen by the next
// read of the same cached statement.
TEST_F(StatementCacheTest, UnfinishedReadDoesNotKeepItsSnapshot) {
  auto other = db::Database::Open(url_, 1);
  ASSERT_TRUE(other) << other.error().message;
  {
    auto s = db_->Acquire();
    for (long long i = 1; i <= 3; ++i) s.Prepare(kInsert).Bind(i).Bind("x").Bind(i).Execute();
  }
  auto s = db_->Acquire();
  {
    auto q = s.Prepare(kSelect);
    q.Bind(1LL);
    ASSERT_TRUE(q.Execute());  // first of three rows read, the rest never fetched
  }
  {
    auto w = (*other)->Acquire();
    w.sql() << "INSERT INTO items (id, name, qty) VALUES (10, 'new', 1)";
  }
  auto q = s.Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(q.Execute());
  EXPECT_EQ(db::RowInt(q.Row(), 0), 4);
}

TEST_F(StatementCacheTest, TransactionsCommitAndRollBack) {
  {
    auto s = db_->Acquire();
    db::Transaction tx(s);
    s.Prepare(kInsert).Bind(1LL).Bind("kept").Bind(1LL).Execute();
    tx.Commit();
  }
  {
    auto s = db_->Acquire();
    db::Transaction tx(s);
    s.Prepare(kInsert).Bind(2LL).Bind("dropped").Bind(1LL).Execute();
  }
  auto s = db_->Acquire();
  auto q = s.Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(q.Execute());
  EXPECT_EQ(db::RowInt(q.Row(), 0), 1);
}

}  // namespace
}  // namespace sanad
