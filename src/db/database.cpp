#include "db/database.h"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <filesystem>
#include <mutex>

#include "db/sqlite_file.h"

namespace sanad::db {

Session::Session(Database& db, std::size_t slot) : db_(db), slot_(slot), sql_(&db.pool_->at(slot)) {}

Session::~Session() { db_.Release(slot_); }

Dialect Session::dialect() const { return db_.dialect(); }

Prepared Session::Prepare(std::string_view sql) { return statements().Prepare(sql); }

StatementCache& Session::statements() { return *db_.statements_[slot_]; }

namespace {

// SQLite: the transaction statements are prepared once per connection like any other hot statement.
// PostgreSQL: SOCI sends a one-time query in a single round trip already (and transaction control is
// best left out of named prepared statements).
void Run(Session& s, const char* sql) {
  if (s.dialect() == Dialect::kSqlite) {
    s.Prepare(sql).Execute();
  } else {
    s.sql() << sql;
  }
}

}  // namespace

Transaction::Transaction(Session& s) : s_(s) {
  Run(s_, s_.dialect() == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      Run(s_, "ROLLBACK");
    } catch (...) {
      // The connection may already be broken; the pool's next user will see the error.
    }
  }
}

void Transaction::Commit() {
  Run(s_, "COMMIT");
  done_ = true;
}

Database::Database(DatabaseUrl url, std::size_t pool_size)
    : url_(std::move(url)), pool_size_(pool_size), pool_(std::make_unique<soci::connection_pool>(pool_size)) {}

Database::~Database() {
  statements_.clear();  // finalised before their connections close
}

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
        // Errors then carry SQLITE_CONSTRAINT_UNIQUE, SQLITE_BUSY_SNAPSHOT…, which ErrorFromException reads.
        sqlite_api::sqlite3_extended_result_codes(static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_,
                                                  1);
        // Before journal_mode, which writes a new file's header: its page size is fixed then. An
        // existing file keeps its own.
        s << "PRAGMA page_size=" << kSqlitePageSize;
        s << "PRAGMA journal_mode=WAL";
        s << "PRAGMA foreign_keys=ON";
        s << "PRAGMA busy_timeout=10000";
        s << "PRAGMA synchronous=FULL";
        // The default 2 MB page cache makes index maintenance thrash on registries of millions of
        // rows; 128 MB per connection (allocated only as used) fixes that. No memory-mapped reads: in
        // WAL mode every commit (each audited read commits its audit entry) makes every other
        // connection unmap and remap the whole file on its next read, and the munmap's TLB shootdowns
        // and the page faults after it cost more than the reads they save (profiled under load).
        s << "PRAGMA cache_size=-131072";
        s << "PRAGMA mmap_size=0";
        s << "PRAGMA temp_store=MEMORY";
      } else {
        s.open(soci::postgresql, url->pg_connection);
        s << "SET client_min_messages TO WARNING";
      }
      db->statements_.push_back(std::make_unique<StatementCache>(s, url->dialect));
    }
  } catch (const std::exception& e) {
    return FailWith(Code::kUnavailable, "database.unreachable",
                    fmt::format("cannot open database {}: {}", url->display, e.what()), "db");
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

std::unique_ptr<Session> Database::TryAcquire() {
  std::size_t slot = 0;
  if (!pool_->try_lease(slot, 0)) return nullptr;
  in_use_.fetch_add(1, std::memory_order_relaxed);
  acquired_total_.fetch_add(1, std::memory_order_relaxed);
  return std::make_unique<Session>(*this, slot);
}

void Database::Release(std::size_t slot) {
  in_use_.fetch_sub(1, std::memory_order_relaxed);
  pool_->give_back(slot);
}

PoolStats Database::Stats() const {
  return PoolStats{pool_size_, in_use_.load(), acquired_total_.load(), wait_total_.load()};
}

StatementCacheStats Database::StatementStats() const {
  StatementCacheStats total;
  for (const auto& c : statements_) {
    auto s = c->Stats();
    total.prepared += s.prepared;
    total.reused += s.reused;
    total.size += s.size;
  }
  return total;
}

Status Database::Ping() {
  try {
    Session s = Acquire();
    int one = 0;
    s.sql() << "SELECT 1", soci::into(one);
    return {};
  } catch (const std::exception& e) {
    return FailWith(Code::kUnavailable, "database.unreachable", fmt::format("database unreachable: {}", e.what()));
  }
}

std::string PoolMetricsText(const PoolStats& pool) {
  std::string out;
  out += "# HELP sanad_db_pool_connections Database connections in the pool.\n";
  out += "# TYPE sanad_db_pool_connections gauge\n";
  out += fmt::format("sanad_db_pool_connections {}\n", pool.size);
  out += "# HELP sanad_db_pool_in_use Database connections currently borrowed.\n";
  out += "# TYPE sanad_db_pool_in_use gauge\n";
  out += fmt::format("sanad_db_pool_in_use {}\n", pool.in_use);
  out += "# HELP sanad_db_pool_acquired_total Connections borrowed from the pool.\n";
  out += "# TYPE sanad_db_pool_acquired_total counter\n";
  out += fmt::format("sanad_db_pool_acquired_total {}\n", pool.acquired_total);
  out += "# HELP sanad_db_pool_waits_total Borrows that had to wait for a free connection.\n";
  out += "# TYPE sanad_db_pool_waits_total counter\n";
  out += fmt::format("sanad_db_pool_waits_total {}\n", pool.wait_total);
  return out;
}

namespace {

// The column a unique violation names, for Error::field. The violation itself is classified by its
// code; this only reads the column out of the text both engines print: SQLite "UNIQUE constraint
// failed: users.username" and PostgreSQL's detail "Key (username)=(…) already exists".
std::string UniqueColumn(std::string_view what) {
  if (auto p = what.find("constraint failed: "); p != std::string_view::npos) {
    std::string_view rest = what.substr(p + 19);
    rest = rest.substr(0, rest.find_first_of(", \n"));
    if (auto dot = rest.find('.'); dot != std::string_view::npos) rest.remove_prefix(dot + 1);
    return std::string(rest);
  }
  if (auto p = what.find("Key ("); p != std::string_view::npos) {
    std::string_view rest = what.substr(p + 5);
    auto close = rest.find(")=");
    if (close != std::string_view::npos && rest.substr(0, close).find_first_of(",( ") == std::string_view::npos) {
      return std::string(rest.substr(0, close));
    }
  }
  return "";
}

// A database refusal a client may see: its catalogue code, with the English text kept for the log.
Error Classified(Code code, std::string_view reason, std::string message, std::string field = "") {
  Error e{code, std::move(message), std::move(field), 0, std::string(reason)};
  if (code == Code::kUnavailable) e.retry_after_seconds = 1;
  return e;
}

}  // namespace

Error ErrorFromException(const std::exception& e) {
  const std::string what = e.what();
  Error internal{Code::kInternal, fmt::format("database error: {}", what), "", 0};
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "23505")
      return Classified(Code::kAlreadyExists, MsgCode("database.duplicate_key"),
                        "a record with the same key already exists", UniqueColumn(what));
    if (state == "23503")
      return Classified(Code::kFailedPrecondition, MsgCode("database.reference_missing"),
                        "a referenced record does not exist");
    // 40001 serialization_failure, 40P01 deadlock_detected, 55P03 lock_not_available, 57P01..57P03
    // server shutting down / cannot connect now, class 08 connection exceptions, class 53
    // insufficient resources: the same request may succeed when retried.
    if (state == "40001" || state == "40P01" || state == "55P03" || state.starts_with("57P") ||
        state.starts_with("08") || state.starts_with("53")) {
      return Classified(Code::kUnavailable, MsgCode("database.busy"), "the database is busy; retry shortly");
    }
    return internal;
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int rc = lite->result();  // extended result code (enabled on every connection in Open)
    switch (rc) {
      case SQLITE_CONSTRAINT_UNIQUE:
      case SQLITE_CONSTRAINT_PRIMARYKEY:
        return Classified(Code::kAlreadyExists, MsgCode("database.duplicate_key"),
                          "a record with the same key already exists", UniqueColumn(what));
      case SQLITE_CONSTRAINT_FOREIGNKEY:
        return Classified(Code::kFailedPrecondition, MsgCode("database.reference_missing"),
                          "a referenced record does not exist");
      default:
        break;
    }
    switch (rc & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Classified(Code::kUnavailable, MsgCode("database.busy"), "the database is busy; retry shortly");
      default:
        return internal;
    }
  }
  return internal;
}

}  // namespace sanad::db
