// The data plane of a programme cycle: its entries computed from the registry as it stood at the
// cut-off (HouseholdBatchStore → programs::EvaluateBatch → CycleEntryWriter), chunk by chunk, inside a
// transaction the caller owns. The cycle's lifecycle (generation job, approval, API) builds on this.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/error.h"
#include "cycles/household_batch_store.h"
#include "db/database.h"
#include "programs/programme.h"

namespace sanad::cycles {

struct CycleTotals {
  std::int64_t considered = 0;
  std::int64_t eligible = 0;
  std::int64_t total_minor = 0;
  std::int64_t one_off_total_minor = 0;
  // The model and version of the cycle's scores (that of its first household with a score; empty when
  // none had one): what an entry whose inputs name no model was scored by (cycle_entry_store.h).
  std::string score_model, score_model_version;
  // CPU seconds spent reading the registry (the read-ahead thread's, or the calling thread's), evaluating
  // the chunks (on both threads; evaluate_ahead_cpu of it on the read-ahead thread), and writing the
  // entries (the calling thread's): what the benchmark reports (bench/asd_cycle.cpp).
  double read_cpu = 0, evaluate_cpu = 0, evaluate_ahead_cpu = 0, write_cpu = 0;
  // Wall seconds the calling thread waited for chunks; whether the read ran ahead on its own connection.
  double read_wait = 0;
  bool read_ahead = false;
};

struct CycleRun {
  std::int64_t cycle_id = 0;
  std::string period;   // YYYY-MM
  std::string cut_off;  // UTC timestamp: the registry state read
  AsOfFilter filter;
  std::size_t chunk_size = kDefaultChunk;
  // Read the registry ahead on a second pooled connection when one is free (cycles/read_ahead.h).
  bool read_ahead = true;
};

// done / total households so far (the job runner's progress).
using CycleProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Computes and writes every entry of the cycle through `session`, on which the caller holds the
// transaction (all or nothing). Compiles the programme once; errors: those of CompileProgramme and
// EvaluateBatch, and database errors.
Result<CycleTotals> ComputeCycleEntries(db::Session& session, const programs::Programme& programme, const CycleRun& run,
                                        const CycleProgress& progress = {});

}  // namespace sanad::cycles
