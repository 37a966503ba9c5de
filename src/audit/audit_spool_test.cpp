// The audit spool of a SQLite database (audit_spool.h): entries written on their own are durable in
// the spool without touching the registry file, reach the chain in order when folded, survive a killed
// process, are never folded twice nor taken for folded ones, and a spool that cannot be written refuses
// the entry (the read it records is then not answered). PostgreSQL has no spool (skipped there).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "audit/audit_log.h"
#include "audit/audit_spool.h"
#include "db/migrations.h"
#include "db/row.h"
#include "test_db.h"

namespace sanad::audit {
namespace {

namespace fs = std::filesystem;

class AuditSpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::BackendFromEnv() != testing::Backend::kSqlite) GTEST_SKIP() << "SQLite only: no spool on PostgreSQL";
    dir_ = fs::temp_directory_path() / ("sanad-spool-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "registry.db").string();
    db_ = Open();
    ASSERT_TRUE(db::Migrate(*db_));
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<db::Database> Open() {
    auto db = db::Database::Open("sqlite:" + path_, 4);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
  }
  std::unique_ptr<AuditLog> SpooledLog(db::Database& db) {
    auto log = std::make_unique<AuditLog>(db, clock_);
    auto st = log->OpenSpool();
    EXPECT_TRUE(st) << st.error().message;
    return log;
  }
  static AuditEntry View(int i) {
    AuditEntry e;
    e.username = "amina";
    e.action = "view";
    e.record_type = "household";
    e.record_id = std::to_string(i);
    e.ip = "127.0.0.1";
    e.request_id = "r" + std::to_string(i);
    e.details = "{}";
    return e;
  }
  long long Scalar(const std::string& sql) {
    auto s = db_->Acquire();
    long long v = 0;
    s.sql() << sql, soci::into(v);
    return v;
  }
  // The record ids of the chain, in chain order.
  std::vector<std::string> ChainRecordIds() {
    std::vector<std::string> out;
    auto s = db_->Acquire();
    soci::rowset<soci::row> rows = (s.sql().prepare << "SELECT record_id FROM audit_log ORDER BY id");
    for (const auto& r : rows) out.push_back(r.get<std::string>(0));
    return out;
  }

  SystemClock clock_;
  fs::path dir_;
  std::string path_;
  std::unique_ptr<db::Database> db_;
};

TEST_F(AuditSpoolTest, SpooledEntriesLeaveTheRegistryFileUntouchedUntilFolded) {
  auto log = SpooledLog(*db_);
  // PRAGMA data_version changes when another connection commits to the file: what empties the page
  // cache of every registry connection.
  const long long before = Scalar("PRAGMA data_version");
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(log->Append(View(i)));
  EXPECT_EQ(Scalar("PRAGMA data_version"), before);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_log"), 0);

  // A reader of the log sees every durable entry: Query folds first.
  auto page = log->Query(AuditQuery{});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 5);
  EXPECT_EQ(ChainRecordIds(), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  auto report = log->Verify();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->checked, 5);
  EXPECT_FALSE(report->broken()) << report->reason;
  auto spool = AuditSpool::Open(path_);
  ASSERT_TRUE(spool);
  auto left = (*spool)->After(0, 10);
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
}

TEST_F(AuditSpoolTest, AChangeAuditedInItsTransactionFollowsWhatWasSpooledBeforeIt) {
  auto log = SpooledLog(*db_);
  ASSERT_TRUE(log->Append(View(1)));  // a refused sign-in, say
  ASSERT_TRUE(log->Append(View(2)));
  auto in = db_->InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto e = log->AppendIn(s, View(3));  // the change that followed
    if (!e) return std::unexpected(e.error());
    return true;
  });
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(ChainRecordIds(), (std::vector<std::string>{"1", "2", "3"}));
  ASSERT_TRUE(log->Append(View(4)));
  ASSERT_TRUE(log->Fold());  // folds 4 only, and drops what the transaction folded
  EXPECT_EQ(ChainRecordIds(), (std::vector<std::string>{"1", "2", "3", "4"}));
  auto spool = AuditSpool::Open(path_);
  ASSERT_TRUE(spool);
  auto left = (*spool)->After(0, 10);
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
  auto report = log->Verify();
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->broken()) << report->reason;
}

TEST_F(AuditSpoolTest, EntriesLeftByAKilledProcessAreFoldedAtTheNextStart) {
  {
    // What a server killed before its next fold leaves: durable entries in the spool only.
    auto spool = AuditSpool::Open(path_);
    ASSERT_TRUE(spool);
    std::vector<AuditEntry> batch{View(7), View(8)};
    for (auto& e : batch) e.at = "2026-12-05T06:00:00Z";
    ASSERT_TRUE((*spool)->Write(batch));
  }
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_log"), 0);
  auto log = SpooledLog(*db_);  // opening folds
  EXPECT_EQ(ChainRecordIds(), (std::vector<std::string>{"7", "8"}));
  auto s = db_->Acquire();
  std::string at;
  s.sql() << "SELECT at FROM audit_log WHERE id = 1", soci::into(at);
  EXPECT_EQ(at, "2026-12-05T06:00:00Z");  // the time of the event, not of the fold
}

TEST_F(AuditSpoolTest, AFoldCutShortBeforeTheSpoolIsEmptiedDoesNotFoldTwice) {
  const fs::path spool_file = AuditSpool::PathFor(path_);
  {
    auto spool = AuditSpool::Open(path_);
    ASSERT_TRUE(spool);
    std::vector<AuditEntry> batch{View(1), View(2), View(3)};
    for (auto& e : batch) e.at = "2026-12-05T06:00:00Z";
    ASSERT_TRUE((*spool)->Write(batch));
  }  // the last connection closes: the spool's WAL is checkpointed into its file
  fs::copy_file(spool_file, dir_ / "spool.kept");
  SpooledLog(*db_).reset();  // folds the three and empties the spool
  ASSERT_EQ(ChainRecordIds().size(), 3u);
  // The spool as it was before the rows were dropped (a crash between the fold's commit and the drop).
  fs::remove(spool_file.string() + "-wal");
  fs::remove(spool_file.string() + "-shm");
  fs::copy_file(dir_ / "spool.kept", spool_file, fs::copy_options::overwrite_existing);
  auto log = SpooledLog(*db_);
  ASSERT_TRUE(log->Append(View(4)));
  ASSERT_TRUE(log->Fold());
  EXPECT_EQ(ChainRecordIds(), (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST_F(AuditSpoolTest, ANewSpoolFileIsFoldedFromItsStart) {
  {
    auto log = SpooledLog(*db_);
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE(log->Append(View(i)));
  }
  const std::string spool_file = AuditSpool::PathFor(path_);
  for (const auto& suffix : {"", "-wal", "-shm"}) fs::remove(spool_file + suffix);
  // The new file numbers its entries from 1 again; they are not taken for the three folded ones.
  auto log = SpooledLog(*db_);
  ASSERT_TRUE(log->Append(View(4)));
  ASSERT_TRUE(log->Append(View(5)));
  ASSERT_TRUE(log->Fold());
  EXPECT_EQ(ChainRecordIds(), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
}

TEST_F(AuditSpoolTest, TwoProcessesShareOneSpoolAndFoldEveryEntryOnce) {
  auto other_db = Open();  // a second process's connections (a command run beside the server)
  auto a = SpooledLog(*db_);
  auto b = SpooledLog(*other_db);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 ? *a : *b;
      for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(log.Append(View(t * 1000 + i)));
        if (i % 10 == 0) {
          ASSERT_TRUE(log.Fold());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(a->Fold());
  ASSERT_TRUE(b->Fold());
  auto ids = ChainRecordIds();
  EXPECT_EQ(ids.size(), 200u);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
  auto report = a->Verify();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->checked, 200);
  EXPECT_FALSE(report->broken()) << report->reason;
}

TEST_F(AuditSpoolTest, AnEntryTheSpoolCannotTakeIsRefused) {
  auto log = SpooledLog(*db_);
  {
    auto spool = db::Database::Open("sqlite:" + AuditSpool::PathFor(path_), 1);
    ASSERT_TRUE(spool);
    auto s = (*spool)->Acquire();
    s.sql() << "DROP TABLE spooled_entries";
  }
  auto r = log->Append(View(1));
  EXPECT_FALSE(r);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_log"), 0);
}

}  // namespace
}  // namespace sanad::audit
