#include "cycles/compute_cycle.h"

#include <time.h>

#include <algorithm>

#include "cycles/cycle_entry_store.h"
#include "db/row.h"
#include "programs/evaluate_batch.h"

namespace sanad::cycles {
namespace {

double ThreadCpu() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

Result<CycleTotals> ComputeCycleEntries(db::Session& session, const programs::Programme& programme, const CycleRun& run,
                                        const CycleProgress& progress) {
  auto compiled = programs::CompileProgramme(programme, run.period);
  if (!compiled) return std::unexpected(compiled.error());
  HouseholdBatchStore store(session, run.cut_off, run.filter, run.chunk_size);
  auto total = store.Count();
  if (!total) return std::unexpected(total.error());
  if (progress) progress(0, *total);
  CycleTotals totals;
  CycleEntryWriter writer;
  for (;;) {
    double t0 = ThreadCpu();
    auto chunk = store.Next();
    if (!chunk) return std::unexpected(chunk.error());
    double t1 = ThreadCpu();
    totals.read_cpu += t1 - t0;
    if (chunk->size() == 0) break;
    auto outcome = programs::EvaluateBatch(*compiled, chunk->batch);
    if (!outcome) return std::unexpected(outcome.error());
    t0 = ThreadCpu();
    totals.evaluate_cpu += t0 - t1;
    auto written = db::Guard([&]() -> Status {
      writer.Write(session, run.cycle_id, *chunk, *outcome);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    totals.write_cpu += ThreadCpu() - t0;
    for (std::size_t h = 0; h < chunk->size(); ++h) {
      totals.eligible += outcome->eligible[h];
      totals.total_minor += outcome->monthly_amount[h] * CycleEntryWriter::kMinorPerUnit;
      totals.one_off_total_minor += outcome->one_off_total[h] * CycleEntryWriter::kMinorPerUnit;
    }
    totals.considered += static_cast<std::int64_t>(chunk->size());
    if (progress) progress(totals.considered, std::max(*total, totals.considered));
  }
  return totals;
}

}  // namespace sanad::cycles
