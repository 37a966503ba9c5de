// SQL of the registry change feed (table registry_changes): one row per applied change request with a
// sequence number that follows commit order without gaps, so that every app server on the database can
// bring its in-memory state (the name index) up to date by reading the rows past the last one it saw.
//
// Thread safety: the store holds no state; Append runs in the caller's transaction, the reads borrow
// their own session.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "registry/applied_change.h"

namespace sanad::registry {

struct FeedEntry {
  std::int64_t seq = 0;
  AppliedChange change;
};

class ChangeFeedStore {
 public:
  // The PostgreSQL notification channel an Append signals (delivered to listeners at commit).
  static constexpr const char* kChannel = "sanad_registry";
  // Rows kept; older ones are pruned by Append (a follower further behind reloads everything).
  static constexpr std::int64_t kRetained = 100'000;

  explicit ChangeFeedStore(db::Database& db) : db_(db) {}

  db::Database& db() { return db_; }

  // Records `change` as the next sequence number, inside the caller's write transaction, and returns
  // it. PostgreSQL: locks the table (readers are not blocked) until the transaction ends, so numbers
  // are assigned in commit order, and queues NOTIFY sanad_registry for the commit; call it last in the
  // transaction. Throws what SOCI throws (the caller's transaction turns it into an Error).
  std::int64_t Append(db::Session& s, const AppliedChange& change, const std::string& now);

  // The highest sequence number committed (0 when the feed is empty).
  Result<std::int64_t> LastSeq();

  // Up to `limit` entries with seq > `after`, in order.
  Result<std::vector<FeedEntry>> After(std::int64_t after, std::size_t limit);

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
