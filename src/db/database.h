// One database layer over SOCI for SQLite (embedded default) and PostgreSQL (scale).
//
// Thread safety: Database is shared by all request threads; each caller borrows a Session from the
// pool for the duration of one unit of work. Sessions are not thread-safe themselves.
#pragma once

#include <soci/soci.h>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "db/database_url.h"
#include "db/soci_optional.h"
#include "db/statement_cache.h"

namespace sanad::db {

struct PoolStats {
  std::size_t size = 0;
  std::size_t in_use = 0;
  std::uint64_t acquired_total = 0;
  std::uint64_t wait_total = 0;  // acquisitions that had to wait for a free connection
};

// The pool's figures in the Prometheus text exposition format (appended to GET /metrics).
std::string PoolMetricsText(const PoolStats& pool);

class Database;

// A pooled connection, returned to the pool on destruction.
class Session {
 public:
  Session(Database& db, std::size_t slot);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  soci::session& sql() { return *sql_; }
  Dialect dialect() const;
  // A statement prepared once on this connection and reused (db/statement_cache.h): for the queries
  // that run on every request.
  Prepared Prepare(std::string_view sql);
  StatementCache& statements();
  Database& database() { return db_; }

 private:
  Database& db_;
  std::size_t slot_;
  soci::session* sql_;
};

// Begins a write transaction (SQLite: BEGIN IMMEDIATE so writers queue on the busy timeout instead of
// failing at upgrade time); rolls back in the destructor unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(Session& s);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Session& s_;
  bool done_ = false;
};

class Database {
 public:
  // Opens `pool_size` connections. SQLite: WAL, foreign keys, busy timeout, synchronous=FULL (an
  // acknowledged write survives a killed process). Errors: kInvalidArgument for a bad URL,
  // kUnavailable when the server or file cannot be opened.
  static Result<std::unique_ptr<Database>> Open(std::string_view url, std::size_t pool_size = 8);
  ~Database();

  Dialect dialect() const { return url_.dialect; }
  const DatabaseUrl& url() const { return url_; }

  Session Acquire();
  // A connection that is free now, or null: never waits (for work that can also run on the caller's
  // connection, e.g. a read-ahead thread, and must not wait for a pool the caller may have exhausted).
  std::unique_ptr<Session> TryAcquire();
  std::size_t pool_size() const { return pool_size_; }
  PoolStats Stats() const;
  // Sums over the pool's connections; read while no connection is in use (tests, shutdown).
  StatementCacheStats StatementStats() const;
  // Round trip to the database (readiness probes). Errors: kUnavailable when it cannot be reached.
  Status Ping();

  // Runs `work` inside a transaction and commits it; SOCI exceptions become Errors (ErrorFromException).
  template <typename T>
  Result<T> InTransaction(const std::function<Result<T>(Session&)>& work);

 private:
  friend class Session;
  explicit Database(DatabaseUrl url, std::size_t pool_size);
  void Release(std::size_t slot);

  DatabaseUrl url_;
  std::size_t pool_size_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::vector<std::unique_ptr<StatementCache>> statements_;  // one per pooled connection, same index
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::uint64_t> acquired_total_{0};
  std::atomic<std::uint64_t> wait_total_{0};
};

// Turns an exception thrown by SOCI or the driver into an Error, classified by the engine's error code
// (PostgreSQL SQLSTATE, SQLite extended result code), never by the message text: unique violation →
// kAlreadyExists (field: the column when the engine names it), foreign key → kFailedPrecondition,
// busy / locked / serialization failure / deadlock → kUnavailable with retry_after_seconds, anything
// else → kInternal whose message holds the driver's text (SQL, bound values) for the log only.
Error ErrorFromException(const std::exception& e);

template <typename T>
Result<T> Database::InTransaction(const std::function<Result<T>(Session&)>& work) {
  try {
    Session s = Acquire();
    Transaction tx(s);
    Result<T> r = work(s);
    if (r) tx.Commit();
    return r;
  } catch (const std::exception& e) {
    return std::unexpected(ErrorFromException(e));
  }
}

}  // namespace sanad::db
