// SQL of re-scoring households after approved changes (rescoring.h): the position reached in the
// registry change feed (table feed_positions, migration 0019) and the households a change's persons
// belong to.
//
// Thread safety: no state; every function runs in the caller's transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"

namespace sanad::targeting {

class RescoringStore {
 public:
  // The position of `consumer`, locked until the transaction ends (PostgreSQL: the row; SQLite: its
  // write transaction already excludes other writers); created at `initial` when it has none.
  static std::int64_t LockPosition(db::Session& s, const std::string& consumer, std::int64_t initial,
                                   const std::string& now);
  static void SetPosition(db::Session& s, const std::string& consumer, std::int64_t seq, const std::string& now);

  // Every household any version of these persons belonged to: a member who moved changes the household
  // left as well as the one joined. A household found this way that did not change is re-scored to the
  // same score (nothing written).
  static std::vector<std::int64_t> HouseholdsOfPersons(db::Session& s, const std::vector<std::int64_t>& person_ids);
};

}  // namespace sanad::targeting
