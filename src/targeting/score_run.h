// Scores every active household chunk by chunk: read a chunk's variables (two queries; two chunks read
// ahead on threads of their own), score it in columns, save it in bulk (score_store.h). Re-running with
// the same model changes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/error.h"
#include "targeting/model.h"
#include "targeting/score_store.h"

namespace sanad::targeting {

struct RunOptions {
  std::string as_of;         // YYYY-MM-DD: the date the members' ages are taken on
  std::string now;           // timestamp written as scored_at
  std::size_t chunk = 5000;  // household ids per chunk (per read, per transaction)
};

struct RunTotals {
  std::size_t households = 0;
  SaveCounts saved;
};

// Called after each chunk with the households done so far and the number of active households counted
// at the start.
using RunProgress = std::function<void(std::size_t done, std::int64_t total)>;

Result<RunTotals> ScoreAll(ScoreStore& store, const Model& model, const RunOptions& options,
                           const RunProgress& progress = {});

}  // namespace sanad::targeting
