// Statements prepared once per pooled connection and reused, keyed by their SQL text.
//
// Preparing a statement is the largest cost of a small query: SQLite parses and plans it
// (sqlite3_prepare_v2), PostgreSQL through SOCI pays a PREPARE, an EXECUTE and a DEALLOCATE round trip
// for every `soci::statement`. The queries that run on every request (session check, household and
// person reads, audit append) therefore go through a StatementCache: the first use on a connection
// prepares the statement, later uses only bind and execute it.
//
// Usage, on a Session borrowed from the pool:
//   auto q = s.Prepare("SELECT name FROM t WHERE id = :id");
//   q.Bind(id);
//   if (q.Execute()) do Read(q.Row()); while (q.Next());
//
// Parameters are bound by position, in the order the placeholders appear; their kinds (integer or
// text, each nullable) are fixed by the first use of a statement. A statement's result columns are
// described once; read them through db/row.h (RowInt…) which accept either integer width.
//
// Thread safety: a cache belongs to one pooled connection, which one thread uses at a time.
#pragma once

#include <soci/soci.h>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "db/database_url.h"

namespace sanad::db {

struct StatementCacheStats {
  std::uint64_t prepared = 0;  // statements prepared (cache misses, including one-off statements)
  std::uint64_t reused = 0;    // executions that reused a prepared statement
  std::size_t size = 0;        // statements held
};

class StatementCache;

// One execution of a statement of the cache. Resets the statement when it goes out of scope (on
// SQLite this ends the read snapshot an unfinished statement would keep open). Movable, not copyable.
class Prepared {
 public:
  struct Entry;
  Prepared(StatementCache& cache, Entry* entry, std::unique_ptr<Entry> owned);
  ~Prepared();
  Prepared(Prepared&& other) noexcept;
  Prepared& operator=(Prepared&&) = delete;
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  Prepared& Bind(long long v);
  Prepared& Bind(std::string_view v);
  Prepared& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Prepared& Bind(const char* v) { return Bind(std::string_view(v)); }
  Prepared& Bind(const std::optional<std::string>& v);
  Prepared& Bind(const std::optional<long long>& v);

  // Runs the statement with the parameters bound since the last execution; true when it produced a
  // first row, readable through Row(). Throws what SOCI throws (the cached statement is then dropped).
  bool Execute();
  // Moves to the next row; false at the end.
  bool Next();
  const soci::row& Row() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  long long AffectedRows();

 private:
  void Fail();
  StatementCache* cache_;
  Entry* entry_;
  std::unique_ptr<Entry> owned_;  // a one-off statement (same SQL already in use on this connection)
  std::size_t next_param_ = 0;
};

class StatementCache {
 public:
  // `capacity`: statements kept; beyond it the least recently used idle statement is finalised.
  StatementCache(soci::session& sql, Dialect dialect, std::size_t capacity = 128);
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The statement for `sql`, prepared now if this connection has not prepared it yet. A statement
  // already in use by an enclosing Prepared of the same connection gets a one-off copy.
  Prepared Prepare(std::string_view sql);

  StatementCacheStats Stats() const;
  // Finalises every idle statement (after a schema change on PostgreSQL, whose cached plans may
  // then refuse to run).
  void Clear();

 private:
  friend class Prepared;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unique_ptr<Prepared::Entry> Make(std::string_view sql);
  void Release(Prepared::Entry* e, bool failed);
  void Evict();

  soci::session& sql_;
  Dialect dialect_;
  std::size_t capacity_;
  std::uint64_t tick_ = 0;
  std::uint64_t prepared_ = 0;
  std::uint64_t reused_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Prepared::Entry>, Hash, std::equal_to<>> entries_;
};

}  // namespace sanad::db
