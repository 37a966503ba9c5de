#include "cycles/compute_cycle.h"

#include <algorithm>

#include "cycles/cycle_entry_store.h"
#include "cycles/read_ahead.h"
#include "db/row.h"
#include "programs/evaluate_batch.h"

namespace sanad::cycles {

Result<CycleTotals> ComputeCycleEntries(db::Session& session, const programs::Programme& programme, const CycleRun& run,
                                        const CycleProgress& progress) {
  auto compiled = programs::CompileProgramme(programme, run.period);
  if (!compiled) return std::unexpected(compiled.error());
  CycleTotals totals;
  CycleEntryWriter writer;
  ReadAhead chunks(
      session, run.cut_off, run.filter, run.chunk_size,
      [&](const RegistryChunk& c) { return programs::EvaluateBatch(*compiled, c.batch); }, run.read_ahead);
  // Counted once the reader has started: the count (only the progress's total) scans every household's
  // span, about a second for 5,000,000, which then overlaps the first chunks' read.
  auto total = HouseholdBatchStore(session, run.cut_off, run.filter, run.chunk_size).Count();
  if (!total) return std::unexpected(total.error());
  if (progress) progress(0, *total);
  totals.read_ahead = chunks.threaded();
  for (;;) {
    auto next = chunks.Next();
    if (!next) return std::unexpected(next.error());
    const RegistryChunk& chunk = next->chunk;
    const programs::BatchOutcome& outcome = next->outcome;
    if (chunk.size() == 0) break;
    const double t0 = ThreadCpuSeconds();
    auto written = db::Guard([&]() -> Status {
      writer.Write(session, run.cycle_id, chunk, outcome);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    totals.write_cpu += ThreadCpuSeconds() - t0;
    for (std::size_t h = 0; h < chunk.size(); ++h) {
      totals.eligible += outcome.eligible[h];
      totals.total_minor += outcome.monthly_amount[h] * CycleEntryWriter::kMinorPerUnit;
      totals.one_off_total_minor += outcome.one_off_total[h] * CycleEntryWriter::kMinorPerUnit;
    }
    totals.considered += static_cast<std::int64_t>(chunk.size());
    if (progress) progress(totals.considered, std::max(*total, totals.considered));
  }
  totals.score_model = writer.score_model().name;
  totals.score_model_version = writer.score_model().version;
  totals.read_cpu = chunks.read_cpu();
  totals.evaluate_cpu = chunks.evaluate_cpu();
  totals.evaluate_ahead_cpu = chunks.evaluate_ahead_cpu();
  totals.read_wait = chunks.waited();
  return totals;
}

}  // namespace sanad::cycles
