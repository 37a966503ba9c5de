#include "db/backup.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "db/database.h"
#include "db/migrations.h"
#include "db/sqlite_file.h"

namespace sanad::db {
namespace {

namespace fs = std::filesystem;

class SqliteBackup : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("sanad_backup_test_{}_{}", ::getpid(),
                                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // A migrated database with `bulk_rows` rows of 1 KiB in an extra table, so that it spans many
  // backup steps.
  std::unique_ptr<Database> Make(const std::string& name, int bulk_rows) {
    auto db = Database::Open("sqlite:" + Path(name), 2);
    EXPECT_TRUE(db.has_value());
    EXPECT_TRUE(Migrate(**db).has_value());
    auto s = (*db)->Acquire();
    s.sql() << "CREATE TABLE bulk (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)";
    s.sql() << "BEGIN";
    for (int i = 0; i < bulk_rows; ++i)
      s.sql() << "INSERT INTO bulk (payload) VALUES (printf('%.1024d', :i))", soci::use(i);
    s.sql() << "COMMIT";
    return std::move(*db);
  }

  // A file with SQLite's default 4 KiB pages, as versions before db/sqlite_file.h made them, holding
  // one row in `bulk`.
  void MakeFourKiB(const std::string& name, const std::string& payload) {
    soci::session raw(soci::sqlite3, "db=" + Path(name));
    raw << "PRAGMA page_size=4096";
    raw << "PRAGMA journal_mode=WAL";
    raw << "CREATE TABLE bulk (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)";
    raw << "INSERT INTO bulk (payload) VALUES (:p)", soci::use(payload);
  }

  fs::path dir_;
};

long long Rows(const std::vector<TableCount>& tables, const std::string& name) {
  auto it = std::find_if(tables.begin(), tables.end(), [&](const TableCount& t) { return t.table == name; });
  return it == tables.end() ? -1 : it->rows;
}

TEST_F(SqliteBackup, IsTheDatabaseAsOfItsStartWhileAnotherConnectionKeepsWriting) {
  auto db = Make("live.db", 12000);  // ~12 MB: a dozen steps of 1,024 pages
  auto url = ParseDatabaseUrl("sqlite:" + Path("live.db"));
  int steps = 0;
  auto report = Backup(*url, Path("copy.db"), [&](long long, long long) {
    // A commit between every two steps, as a serving process would make. (Without a pinned snapshot
    // each commit restarts the copy: after 200 steps the writer stops so that such a copy ends, with
    // the extra rows in it, and fails below instead of running forever.)
    if (++steps > 200) return;
    auto s = db->Acquire();
    s.sql() << "INSERT INTO bulk (payload) VALUES ('written during the backup')";
  });
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_GT(steps, 2) << "the copy must proceed in several steps";
  EXPECT_EQ(Rows(report->tables, "bulk"), 12000);
  EXPECT_EQ(report->schema_version, EmbeddedMigrations().back().version);
  EXPECT_FALSE(fs::exists(Path("copy.db.partial")));
  EXPECT_EQ(fs::status(Path("copy.db")).permissions() & fs::perms::others_read, fs::perms::none);

  // The written rows are in the live database, not in the copy; the copy restores as it was taken.
  long long live = 0;
  db->Acquire().sql() << "SELECT COUNT(*) FROM bulk", soci::into(live);
  EXPECT_EQ(live, 12000 + std::min(steps, 200));
  auto restored_url = ParseDatabaseUrl("sqlite:" + Path("restored.db"));
  auto restored = Restore(*restored_url, Path("copy.db"), RestoreMode::kEmptyOnly);
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  EXPECT_FALSE(restored->replaced);
  auto check = Database::Open("sqlite:" + Path("restored.db"), 1);
  ASSERT_TRUE(check.has_value());
  auto s = (*check)->Acquire();
  auto counts = CountTableRows(s.sql(), Dialect::kSqlite);
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(*counts, report->tables);
}

TEST_F(SqliteBackup, NeverOverwritesAFile) {
  auto db = Make("live.db", 1);
  std::ofstream(Path("taken")) << "x";
  auto r = Backup(*ParseDatabaseUrl("sqlite:" + Path("live.db")), Path("taken"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Code::kAlreadyExists);
  auto missing = Backup(*ParseDatabaseUrl("sqlite:" + Path("nothing.db")), Path("out.db"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  EXPECT_FALSE(fs::exists(Path("nothing.db"))) << "a backup must not create its source";
  EXPECT_FALSE(fs::exists(Path("out.db.partial")));
}

TEST_F(SqliteBackup, RestoreRefusesANonEmptyTargetUnlessToldToReplaceIt) {
  auto db = Make("live.db", 3);
  auto url = *ParseDatabaseUrl("sqlite:" + Path("live.db"));
  ASSERT_TRUE(Backup(url, Path("copy.db")).has_value());
  db->Acquire().sql() << "INSERT INTO bulk (payload) VALUES ('after the backup')";
  db.reset();
  auto refused = Restore(url, Path("copy.db"), RestoreMode::kEmptyOnly);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Code::kFailedPrecondition);
  auto replaced = Restore(url, Path("copy.db"), RestoreMode::kReplace);
  ASSERT_TRUE(replaced.has_value()) << replaced.error().message;
  EXPECT_TRUE(replaced->replaced);
  auto again = Database::Open("sqlite:" + Path("live.db"), 1);
  long long n = 0;
  (*again)->Acquire().sql() << "SELECT COUNT(*) FROM bulk", soci::into(n);
  EXPECT_EQ(n, 3);
}

TEST_F(SqliteBackup, FileKindsAreToldApartAndAMismatchIsRefused) {
  auto db = Make("live.db", 1);
  // pg_dump's custom-format header starts with these bytes (the NUL included: a literal would stop there).
  constexpr char kPgDumpMagic[] = {'P', 'G', 'D', 'M', 'P', '\x01', '\x0e', '\x00'};
  std::ofstream(Path("archive.dump"), std::ios::binary)
      << std::string_view(kPgDumpMagic, sizeof kPgDumpMagic) << std::string(100, 'x');
  std::ofstream(Path("junk")) << "hello";
  EXPECT_EQ(*DetectBackupKind(Path("live.db")), BackupKind::kSqlite);
  EXPECT_EQ(*DetectBackupKind(Path("archive.dump")), BackupKind::kPgDump);
  EXPECT_EQ(*DetectBackupKind(Path("junk")), BackupKind::kUnknown);
  EXPECT_EQ(DetectBackupKind(Path("absent")).error().code, Code::kNotFound);
  auto into_sqlite =
      Restore(*ParseDatabaseUrl("sqlite:" + Path("new.db")), Path("archive.dump"), RestoreMode::kEmptyOnly);
  ASSERT_FALSE(into_sqlite.has_value());
  EXPECT_EQ(into_sqlite.error().code, Code::kInvalidArgument);
  EXPECT_NE(into_sqlite.error().message.find("pg_dump archive"), std::string::npos) << into_sqlite.error().message;
  EXPECT_FALSE(fs::exists(Path("new.db")));
  auto into_pg =
      Restore(*ParseDatabaseUrl("postgresql://u@127.0.0.1:1/none"), Path("live.db"), RestoreMode::kEmptyOnly);
  ASSERT_FALSE(into_pg.has_value());
  EXPECT_NE(into_pg.error().message.find("is a SQLite database"), std::string::npos) << into_pg.error().message;
}

// Databases made before the page size was raised keep SQLite's 4 KiB pages (db/sqlite_file.h): a backup of
// either kind restores over the other. SQLite's backup cannot change the page size of a target in WAL
// mode, which every database this program opened is.
TEST_F(SqliteBackup, RestoreReplacesADatabaseOfAnotherPageSize) {
  auto db = Make("live.db", 3);
  long long made = 0;
  db->Acquire().sql() << "PRAGMA page_size", soci::into(made);
  EXPECT_EQ(made, kSqlitePageSize) << "a file this program creates";
  auto url = *ParseDatabaseUrl("sqlite:" + Path("live.db"));
  ASSERT_TRUE(Backup(url, Path("copy.db")).has_value());
  db.reset();
  MakeFourKiB("old.db", "old");
  auto old_url = *ParseDatabaseUrl("sqlite:" + Path("old.db"));
  auto replaced = Restore(old_url, Path("copy.db"), RestoreMode::kReplace);
  ASSERT_TRUE(replaced.has_value()) << replaced.error().message;
  // The page size and the rows are the backup's, and the file is back in WAL mode.
  auto read = [&](long long& rows, long long& page) {
    auto again = Database::Open("sqlite:" + Path("old.db"), 1);
    ASSERT_TRUE(again.has_value());
    auto s = (*again)->Acquire();
    std::string mode;
    s.sql() << "SELECT COUNT(*) FROM bulk", soci::into(rows);
    s.sql() << "PRAGMA page_size", soci::into(page);
    s.sql() << "PRAGMA journal_mode", soci::into(mode);
    EXPECT_EQ(mode, "wal");
  };
  long long n = 0, page = 0;
  read(n, page);
  EXPECT_EQ(n, 3);
  EXPECT_EQ(page, kSqlitePageSize);

  // And the other way: a backup of a 4 KiB file over a database made by this version.
  MakeFourKiB("small.db", "small");
  ASSERT_TRUE(Backup(*ParseDatabaseUrl("sqlite:" + Path("small.db")), Path("copy4k.db")).has_value());
  auto back = Restore(old_url, Path("copy4k.db"), RestoreMode::kReplace);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  read(n, page);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(page, 4096);
}

TEST(BackupCatalog, OrdersTablesParentsFirst) {
  auto db = Database::Open("sqlite::memory:", 1);
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE(Migrate(**db).has_value());
  auto s = (*db)->Acquire();
  auto tables = ListTables(s.sql(), Dialect::kSqlite);
  ASSERT_TRUE(tables.has_value());
  auto order = DependencyOrder(s.sql(), Dialect::kSqlite, *tables);
  ASSERT_TRUE(order.has_value());
  ASSERT_EQ(order->size(), tables->size());
  auto at = [&](const std::string& t) { return std::find(order->begin(), order->end(), t) - order->begin(); };
  EXPECT_LT(at("areas"), at("area_parents"));
  EXPECT_LT(at("users"), at("user_roles"));
  EXPECT_LT(at("households"), at("persons"));
  EXPECT_LT(at("persons"), at("benefits"));
  EXPECT_LT(at("change_requests"), at("change_request_targets"));
  EXPECT_LT(at("linkage_jobs"), at("linkage_candidates"));
  EXPECT_EQ(QuoteIdentifier("odd\"name"), "\"odd\"\"name\"");
}

}  // namespace
}  // namespace sanad::db
