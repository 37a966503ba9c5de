#include "targeting/score_run.h"

#include <algorithm>
#include <deque>
#include <future>

namespace sanad::targeting {

namespace {
// Chunks read ahead of scoring and saving, each on a thread and pooled connection of its own: the reads
// (two queries over the households and all their members) are most of a run, and two of them at once
// keep both cores of a small server busy while the caller scores and saves in order.
constexpr std::size_t kReadsAhead = 2;
}  // namespace

Result<RunTotals> ScoreAll(ScoreStore& store, const Model& model, const RunOptions& options,
                           const RunProgress& progress) {
  auto total = store.CountActive();
  if (!total) return std::unexpected(total.error());
  auto span = store.IdSpan();
  if (!span) return std::unexpected(span.error());
  RunTotals totals;
  if (!*span) return totals;
  // A version kept with another definition is refused before any score is saved under it.
  if (auto kept = store.RecordModel(model, options.now); !kept) return std::unexpected(kept.error());
  // Chunks are ranges of `chunk` ids, so that the next ones can be read before this one is: households
  // ids are allocated in sequence, and a range whose households have all gone reads nothing.
  const auto chunk = static_cast<std::int64_t>(std::max<std::size_t>(options.chunk, 1));
  const auto [lowest, highest] = **span;
  std::int64_t next = lowest;
  std::deque<std::future<Result<HouseholdBatch>>> ahead;
  auto read_next = [&] {
    if (next > highest) return;
    const std::int64_t first = next, last = std::min(highest, first + (chunk - 1));
    next = last + 1;
    ahead.push_back(std::async(
        std::launch::async, [&store, first, last, &options] { return store.ReadRange(first, last, options.as_of); }));
  };
  for (std::size_t k = 0; k < kReadsAhead; ++k) read_next();
  while (!ahead.empty()) {
    auto batch = ahead.front().get();
    ahead.pop_front();
    if (!batch) return std::unexpected(batch.error());  // the reads in flight finish as `ahead` goes
    read_next();
    if (batch->size() == 0) continue;
    const ScoredBatch scored = Score(model, *batch);
    auto saved = store.Save(model, *batch, scored, options.as_of, options.now);
    if (!saved) return std::unexpected(saved.error());
    totals.households += batch->size();
    totals.saved += *saved;
    if (progress) progress(totals.households, *total);
  }
  return totals;
}

}  // namespace sanad::targeting
