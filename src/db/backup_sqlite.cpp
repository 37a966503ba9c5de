// SQLite backup and restore through the online backup API (sqlite3_backup_init/step/finish).
#include <fmt/format.h>
#include <sqlite3.h>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "db/backup_engines.h"

namespace sanad::db {

namespace {

// Bytes copied per sqlite3_backup_step, i.e. between progress reports (1,024 pages of 4 KiB, 256 of
// 16 KiB: files keep the page size they were made with, db/sqlite_file.h).
constexpr long long kBytesPerStep = 4LL << 20;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

Result<DbHandle> OpenRaw(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) {
    return Fail(Code::kUnavailable,
                fmt::format("cannot open SQLite database {}: {}", path, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)),
                "db");
  }
  sqlite3_busy_timeout(raw, 10000);
  return db;
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    return Fail(Code::kInternal, fmt::format("SQLite: {} ({})", text, sql));
  }
  return Ok();
}

// Runs a query whose rows are (text) or (integer) values; returns them as strings.
Result<std::vector<std::string>> Column(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return Fail(Code::kInternal, fmt::format("SQLite: {} ({})", sqlite3_errmsg(db), sql));
  }
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Fail(Code::kInternal, fmt::format("SQLite: {} ({})", sqlite3_errmsg(db), sql));
  return out;
}

Result<std::vector<std::string>> UserTables(sqlite3* db) {
  return Column(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
}

Result<BackupReport> Describe(sqlite3* db) {
  BackupReport report;
  auto tables = UserTables(db);
  if (!tables) return std::unexpected(tables.error());
  for (const auto& t : *tables) {
    auto n = Column(db, "SELECT COUNT(*) FROM " + QuoteIdentifier(t));
    if (!n) return std::unexpected(n.error());
    report.tables.push_back({t, std::stoll(n->front())});
    if (t == "schema_migrations") {
      auto v = Column(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      if (!v) return std::unexpected(v.error());
      report.schema_version = std::stoi(v->front());
    }
  }
  return report;
}

// Copies the whole of `from` into `to` page batch by page batch. Both connections stay usable by
// others between steps; a busy or locked database is retried.
Status CopyPages(sqlite3* from, sqlite3* to, int pages_per_step, const BackupProgress& progress) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return Fail(Code::kInternal, fmt::format("SQLite backup: {}", sqlite3_errmsg(to)));
  int rc;
  do {
    rc = sqlite3_backup_step(b, pages_per_step);
    if (progress) {
      long long total = sqlite3_backup_pagecount(b);
      progress(total - sqlite3_backup_remaining(b), total);
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  int finished = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return Fail(Code::kInternal, fmt::format("SQLite backup: {}", sqlite3_errstr(rc)));
  if (finished != SQLITE_OK) return Fail(Code::kInternal, fmt::format("SQLite backup: {}", sqlite3_errmsg(to)));
  return Ok();
}

}  // namespace

Result<BackupReport> BackupSqlite(const DatabaseUrl& url, const std::string& partial_path,
                                  const BackupProgress& progress) {
  if (!std::filesystem::exists(url.sqlite_path)) {
    return Fail(Code::kNotFound, fmt::format("no SQLite database at {}", url.sqlite_path), "db");
  }
  auto source = OpenRaw(url.sqlite_path, SQLITE_OPEN_READWRITE);
  if (!source) return std::unexpected(source.error());
  // One read transaction across every step: in WAL mode it pins a snapshot, so the copy is the
  // database as of this instant while the server goes on committing to the WAL (readers do not block
  // writers), and the backup never restarts because of those commits.
  if (auto st = Exec(source->get(), "BEGIN"); !st) return std::unexpected(st.error());
  if (auto st = Column(source->get(), "SELECT COUNT(*) FROM sqlite_master"); !st) return std::unexpected(st.error());

  // partial_path exists, empty, created by Backup() with owner-only permissions: SQLite writes into it.
  Result<BackupReport> report = [&]() -> Result<BackupReport> {
    auto dest = OpenRaw(partial_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dest) return std::unexpected(dest.error());
    auto page = Column(source->get(), "PRAGMA page_size");
    if (!page) return std::unexpected(page.error());
    long long page_size = 4096;
    if (!page->empty()) std::from_chars(page->front().data(), page->front().data() + page->front().size(), page_size);
    const int pages_per_step = static_cast<int>(kBytesPerStep / std::max(1LL, page_size));
    if (auto st = CopyPages(source->get(), dest->get(), pages_per_step, progress); !st)
      return std::unexpected(st.error());
    // The copy inherits WAL mode from the page header; a backup is one self-contained file.
    if (auto st = Exec(dest->get(), "PRAGMA journal_mode=DELETE"); !st) return std::unexpected(st.error());
    auto check = Column(dest->get(), "PRAGMA quick_check");
    if (!check) return std::unexpected(check.error());
    if (check->empty() || check->front() != "ok") {
      return Fail(Code::kInternal, "the copy failed SQLite's quick_check: " + (check->empty() ? "" : check->front()));
    }
    return Describe(dest->get());
  }();
  (void)Exec(source->get(), "COMMIT");
  if (!report) std::filesystem::remove(partial_path);
  return report;
}

Result<RestoreReport> RestoreSqlite(const DatabaseUrl& url, const std::string& in_path, RestoreMode mode) {
  RestoreReport report{BackupKind::kSqlite, false};
  auto source = OpenRaw(in_path, SQLITE_OPEN_READONLY);
  if (!source) return std::unexpected(source.error());
  auto check = Column(source->get(), "PRAGMA quick_check");
  if (!check) return std::unexpected(check.error());
  if (check->empty() || check->front() != "ok") {
    return Fail(Code::kInvalidArgument,
                fmt::format("{} is damaged (quick_check: {})", in_path, check->empty() ? "" : check->front()), "in");
  }
  auto parent = std::filesystem::path(url.sqlite_path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto dest = OpenRaw(url.sqlite_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dest) return std::unexpected(dest.error());
  auto existing = UserTables(dest->get());
  if (!existing) return std::unexpected(existing.error());
  if (!existing->empty()) {
    if (mode == RestoreMode::kEmptyOnly) {
      return Fail(
          Code::kFailedPrecondition,
          fmt::format("{} is not empty ({} tables); restore into a new file, or pass --force to replace its content",
                      url.sqlite_path, existing->size()),
          "db");
    }
    report.replaced = true;
  }
  // Out of WAL mode for the copy: SQLite's backup cannot change the page size of a target in WAL mode,
  // and the backup's may differ from the target's (db/sqlite_file.h). Fails while another connection has
  // the target open.
  if (auto st = Exec(dest->get(), "PRAGMA journal_mode=DELETE"); !st) return std::unexpected(st.error());
  // One step for all pages: the destination is written under one exclusive lock and one transaction,
  // so an interrupted restore leaves the target as it was.
  if (auto st = CopyPages(source->get(), dest->get(), -1, {}); !st) return std::unexpected(st.error());
  if (auto st = Exec(dest->get(), "PRAGMA journal_mode=WAL"); !st) return std::unexpected(st.error());
  return report;
}

}  // namespace sanad::db
