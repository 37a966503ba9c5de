// Re-scores the households an approved change touched (docs/decisions/0009-rescoring.md). It follows
// the registry change feed (registry_changes) from a position kept in the database (feed_positions):
// each pass locks the position, re-scores with the active model every household of the entries past it
// (read, scored in columns and saved in bulk, as `sanad score` does) and moves the position on, in one
// transaction. A change committed just before a server stops is re-scored after the restart, and with
// several app servers on one database the lock lets one of them handle each entry.
//
// When the feed was pruned past the position (re-scoring stopped for 100 000 changes), the pass scores
// the whole registry instead (ScoreAll) and moves on.
//
// Thread safety: CatchUp from one thread at a time (the feed follower's); it is idempotent.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/time.h"
#include "db/database.h"
#include "registry/change_feed_store.h"
#include "targeting/model.h"
#include "targeting/score_store.h"

namespace sanad::targeting {

struct RescoringOptions {
  std::size_t entries_per_pass = 200;  // feed entries per transaction
  std::size_t chunk = 5000;            // households per read and score
};

struct RescoringTotals {
  std::size_t changes = 0;     // feed entries handled
  std::size_t households = 0;  // households re-scored
  SaveCounts saved;
  bool whole_registry = false;  // the feed was pruned past the position: everything was scored
};

class Rescoring {
 public:
  static constexpr const char* kConsumer = "rescoring";

  Rescoring(db::Database& db, registry::ChangeFeedStore& feed, ScoreStore& scores, Model model, const Clock& clock,
            RescoringOptions options = {});

  const Model& model() const { return model_; }

  // The position reached, created at the feed's end when re-scoring never ran on this database (the
  // registry's earlier households are scored by `sanad score`).
  Result<std::int64_t> Position();

  // Re-scores the households of every feed entry past the position.
  Result<RescoringTotals> CatchUp();

 private:
  Result<RescoringTotals> WholeRegistry(std::int64_t up_to);

  db::Database& db_;
  registry::ChangeFeedStore& feed_;
  ScoreStore& scores_;
  Model model_;
  const Clock& clock_;
  RescoringOptions options_;
  std::atomic<std::int64_t> done_{-1};  // the position after this process's last pass (-1: unknown)
};

}  // namespace sanad::targeting
