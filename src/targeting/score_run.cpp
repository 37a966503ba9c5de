#include "targeting/score_run.h"

namespace sanad::targeting {

Result<RunTotals> ScoreAll(ScoreStore& store, const Model& model, const RunOptions& options,
                           const RunProgress& progress) {
  auto total = store.CountActive();
  if (!total) return std::unexpected(total.error());
  RunTotals totals;
  std::int64_t after = 0;
  const std::size_t chunk = options.chunk == 0 ? 1 : options.chunk;
  while (true) {
    auto batch = store.ReadActive(after, chunk, options.as_of);
    if (!batch) return std::unexpected(batch.error());
    if (batch->size() == 0) break;
    const ScoredBatch scored = Score(model, *batch);
    auto saved = store.Save(model, *batch, scored, options.as_of, options.now);
    if (!saved) return std::unexpected(saved.error());
    totals.households += batch->size();
    totals.saved += *saved;
    after = batch->id.back();
    if (progress) progress(totals.households, *total);
    if (batch->size() < chunk) break;
  }
  return totals;
}

}  // namespace sanad::targeting
