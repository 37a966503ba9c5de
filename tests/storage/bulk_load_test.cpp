// db::BulkInsert on SQLite and PostgreSQL: every row and value arrives as given — NULLs, quotes,
// commas, newlines and Arabic text included — typed by the column, inside the caller's transaction.
#include "db/bulk_load.h"

#include <gtest/gtest.h>

#include "db/row.h"
#include "test_db.h"

namespace sanad::db {
namespace {

class BulkLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(testing::FreshDatabaseUrl(testing::BackendFromEnv()), 2);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto s = db_->Acquire();
    s.sql() << "CREATE TABLE bulk_t (id BIGINT PRIMARY KEY, name TEXT, amount DOUBLE PRECISION, note TEXT)";
  }
  std::unique_ptr<Database> db_;
};

TEST_F(BulkLoad, InsertsEveryRowWithNullsAndAwkwardTextIntact) {
  const ColumnValues cols = {
      {"1", "2", "3"},
      {"plain", "فاطمة الزهراء", "quote \" and, comma\nnewline"},
      {"1.5", std::nullopt, "-2"},
      {std::nullopt, "", "x"},
  };
  auto done = db_->InTransaction<int>([&](Session& s) -> Result<int> {
    BulkInsert(s, "bulk_t", {"id", "name", "amount", "note"}, cols, 3);
    return 0;
  });
  ASSERT_TRUE(done) << done.error().message;
  auto s = db_->Acquire();
  soci::rowset<soci::row> rs = s.sql().prepare << "SELECT id, name, amount, note FROM bulk_t ORDER BY id";
  std::vector<std::tuple<long long, std::string, std::optional<double>, std::optional<std::string>>> got;
  for (const auto& r : rs) {
    got.emplace_back(RowInt(r, 0), r.get<std::string>(1),
                     r.get_indicator(2) == soci::i_null ? std::nullopt : std::optional<double>(RowDouble(r, 2)),
                     RowOptStr(r, 3));
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0],
            std::make_tuple(1LL, std::string("plain"), std::optional<double>(1.5), std::optional<std::string>()));
  EXPECT_EQ(std::get<1>(got[1]), "فاطمة الزهراء");
  EXPECT_EQ(std::get<2>(got[1]), std::nullopt);
  // An empty string stays an empty string, not NULL (only nullopt is NULL).
  EXPECT_EQ(std::get<3>(got[1]), std::optional<std::string>(""));
  EXPECT_EQ(std::get<1>(got[2]), "quote \" and, comma\nnewline");
  EXPECT_EQ(std::get<2>(got[2]), std::optional<double>(-2));
}

TEST_F(BulkLoad, ReadsComputedCellsThroughTheCellFunction) {
  std::optional<std::string> id, name;
  auto done = db_->InTransaction<int>([&](Session& s) -> Result<int> {
    BulkInsert(s, "bulk_t", {"id", "name"}, 250,
               [&](std::size_t c, std::size_t r) -> const std::optional<std::string>& {
                 if (c == 0) return id = std::to_string(r + 1);
                 return name = "n" + std::to_string(r + 1);
               });
    return 0;
  });
  ASSERT_TRUE(done) << done.error().message;
  auto s = db_->Acquire();
  long long n = 0;
  std::string last;
  s.sql() << "SELECT COUNT(*) FROM bulk_t", soci::into(n);
  s.sql() << "SELECT name FROM bulk_t WHERE id = 250", soci::into(last);
  EXPECT_EQ(n, 250);
  EXPECT_EQ(last, "n250");
}

TEST_F(BulkLoad, ABadRowFailsTheTransactionAndLeavesNothing) {
  const ColumnValues cols = {{"1", "1"}, {"a", "b"}};  // duplicate primary key
  auto done = db_->InTransaction<int>([&](Session& s) -> Result<int> {
    BulkInsert(s, "bulk_t", {"id", "name"}, cols, 2);
    return 0;
  });
  EXPECT_FALSE(done);
  auto s = db_->Acquire();
  long long n = -1;
  s.sql() << "SELECT COUNT(*) FROM bulk_t", soci::into(n);
  EXPECT_EQ(n, 0);
}

}  // namespace
}  // namespace sanad::db
