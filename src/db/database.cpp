#include "db/database.h"

#include <filesystem>
#include <mutex>
#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace sanad::db {

Session::Session(Database& db, std::size_t slot) : db_(db), slot_(slot), sql_(&db.pool_->at(slot)) {}

Session::~Session() { db_.Release(slot_); }

Dialect Session::dialect() const { return db_.dialect(); }

Transaction::Transaction(Session& s) : s_(s) {
  s_.sql() << (s_.dialect() == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      s_.sql() << "ROLLBACK";
    } catch (...) {
      // The connection may already be broken; the pool's next user will see the error.
    }
  }
}

void Transaction::Commit() {
  s_.sql() << "COMMIT";
  done_ = true;
}

Database::Database(DatabaseUrl url, std::size_t pool_size)
    : url_(std::move(url)), pool_size_(pool_size), pool_(std::make_unique<soci::connection_pool>(pool_size)) {}

Database::~Database() = default;

namespace {

// SQLite keeps global allocation statistics behind one mutex taken on every malloc/free; with many
// request threads that mutex dominated profiles. Its default "serialized" mode also locks a mutex on
// every API call; a pooled connection is only ever used by the one thread that leased it, which is
// what "multi-thread" mode requires. Must run before SQLite initialises (no-op after).
void DisableSqliteMemoryStatistics() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(std::string_view url_text, std::size_t pool_size) {
  DisableSqliteMemoryStatistics();
  auto url = ParseDatabaseUrl(url_text);
  if (!url) return std::unexpected(url.error());
  if (pool_size == 0) pool_size = 1;
  std::unique_ptr<Database> db(new Database(*url, pool_size));
  try {
    if (url->dialect == Dialect::kSqlite) {
      auto parent = std::filesystem::path(url->sqlite_path).parent_path();
      if (!parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec);
      }
    }
    for (std::size_t i = 0; i < pool_size; ++i) {
      soci::session& s = db->pool_->at(i);
      if (url->dialect == Dialect::kSqlite) {
        s.open(soci::sqlite3, fmt::format("db=\"{}\" timeout=10", url->sqlite_path));
        s << "PRAGMA journal_mode=WAL";
        s << "PRAGMA foreign_keys=ON";
        s << "PRAGMA busy_timeout=10000";
        s << "PRAGMA synchronous=FULL";
        // The default 2 MB page cache makes index maintenance thrash on registries of millions of
        // rows; 128 MB per connection (allocated only as used) and memory-mapped reads fix that.
        s << "PRAGMA cache_size=-131072";
        s << "PRAGMA mmap_size=1073741824";
        s << "PRAGMA temp_store=MEMORY";
      } else {
        s.open(soci::postgresql, url->pg_connection);
        s << "SET client_min_messages TO WARNING";
      }
    }
  } catch (const std::exception& e) {
    return Fail(Code::kUnavailable, fmt::format("cannot open database {}: {}", url->display, e.what()), "db");
  }
  return db;
}

Session Database::Acquire() {
  std::size_t slot = 0;
  if (!pool_->try_lease(slot, 0)) {
    wait_total_.fetch_add(1, std::memory_order_relaxed);
    slot = pool_->lease();
  }
  in_use_.fetch_add(1, std::memory_order_relaxed);
  acquired_total_.fetch_add(1, std::memory_order_relaxed);
  return Session(*this, slot);
}

void Database::Release(std::size_t slot) {
  in_use_.fetch_sub(1, std::memory_order_relaxed);
  pool_->give_back(slot);
}

PoolStats Database::Stats() const {
  return PoolStats{pool_size_, in_use_.load(), acquired_total_.load(), wait_total_.load()};
}

Error ErrorFromException(const std::exception& e) {
  std::string what = e.what();
  auto has = [&](std::string_view s) { return what.find(s) != std::string::npos; };
  if (has("UNIQUE constraint") || has("duplicate key") || has("23505")) {
    return Error{Code::kAlreadyExists, "a record with the same key already exists", "", 0};
  }
  if (has("FOREIGN KEY") || has("foreign key") || has("23503")) {
    return Error{Code::kFailedPrecondition, "a referenced record does not exist", "", 0};
  }
  if (has("database is locked") || has("could not serialize") || has("40001") || has("deadlock")) {
    return Error{Code::kConflict, "the database was busy with a concurrent change; retry", "", 0};
  }
  return Error{Code::kInternal, fmt::format("database error: {}", what), "", 0};
}

}  // namespace sanad::db
