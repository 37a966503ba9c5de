// The life of a programme cycle (docs/cycles.md): generation as a job on the job runner, approval by a
// second user (four eyes) which freezes it, discarding a draft, and the paid and closed states.
//
// Generation: Generate queues a `cycle_generate` job (exclusive per programme and period); the runner of
// whichever server claims it calls Run, which writes the cycle row, every entry (through the
// EntriesComputer: load the registry as of the cut-off, evaluate, bulk-write) and the totals in ONE
// transaction fenced by the job's lease. A server killed mid-way leaves nothing (the transaction never
// committed); another server takes the job over and computes it again with the same cut-off (saved as
// the job's checkpoint before any work). The unique index on (programme, period) makes a second cycle
// impossible whatever races: the loser reads the winner's cycle.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "cycles/cycle.h"
#include "cycles/cycle_programme.h"
#include "cycles/cycle_store.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "programs/programme.h"
#include "registry/actor.h"

namespace sanad::cycles {

// What the entries computation of one cycle gets.
struct CycleComputation {
  std::int64_t cycle_id = 0;
  const programs::Programme* programme = nullptr;
  std::string period;   // YYYY-MM
  std::string cut_off;  // UTC timestamp: the registry as it stood then
  std::function<void(std::int64_t done, std::int64_t total)> progress;
  std::function<Status()> next_chunk;  // between chunks: fails when the job must stop
};

// Writes every cycle_entries row of the cycle inside the caller's transaction and returns the totals
// (the data plane: ComputeCycleEntries).
using EntriesComputer = std::function<Result<CycleTotals>(db::Session&, const CycleComputation&)>;

// The registry's data plane (ComputeCycleEntries): what `sanad serve` computes entries with.
EntriesComputer RegistryEntries();

// What POST …/cycles gives back: the existing cycle, or the queued job that will compute it.
struct GenerateOutcome {
  std::optional<CycleRow> existing;
  std::optional<jobs::JobRecord> job;
};

// A cycle as a reader within `scope` sees it: the cycle, and the figures of the entries within the
// scope (national: the cycle's own totals) by region.
struct CycleSummary {
  CycleRow cycle;
  CycleTotals totals;
  std::int64_t flagged = 0;
  std::vector<RegionTotals> regions;
};

class CycleService final : public jobs::JobHandler {
 public:
  static constexpr const char* kJobKind = "cycle_generate";

  CycleService(CycleStore& store, jobs::JobStore& jobs, const Clock& clock, EntriesComputer compute);
  CycleService(const CycleService&) = delete;
  CycleService& operator=(const CycleService&) = delete;

  void SetOnQueued(std::function<void()> fn) { on_queued_ = std::move(fn); }
  // Where programmes are looked up (default: the built-in templates; `sanad serve`: the catalogue).
  void SetProgrammes(ProgrammeLookup lookup) { programmes_ = std::move(lookup); }

  // Queues the generation of `programme`'s cycle for `period` (YYYY-MM) from the registry as of
  // `cut_off` (a UTC timestamp not in the future; default: the moment the job starts), or returns the
  // cycle when it already exists. Errors: kNotFound (program.not_found), kInvalidArgument (period,
  // cut_off), kFailedPrecondition (cycle.no_parameters), kConflict (cycle.generation_running).
  Result<GenerateOutcome> Generate(const std::string& programme, const std::string& period,
                                   const std::optional<std::string>& cut_off, const registry::Actor& who);
  // jobs::JobHandler (params: programme, period, cut_off?, generated_by_id, generated_by).
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;
  // The work of one generation, without the runner: the cycle row, entries, totals and flags in one
  // transaction (`fence` runs first inside it). Returns the cycle, or the existing one when another
  // generation committed first.
  Result<CycleRow> Compute(const std::string& programme, const std::string& period, const std::string& cut_off,
                           std::optional<std::int64_t> by_id, const std::string& by,
                           const std::function<Status(db::Session&)>& fence = {},
                           const std::function<void(std::int64_t, std::int64_t)>& progress = {},
                           const std::function<Status()>& next_chunk = {});

  Result<std::optional<CycleRow>> Get(std::int64_t id);
  Result<std::vector<CycleRow>> List(const std::string& programme, const std::string& state, int limit);
  // Errors: kNotFound.
  Result<CycleSummary> Summary(std::int64_t id, const registry::Scope& scope);
  Result<std::pair<std::vector<EntryRow>, long long>> Entries(std::int64_t id, const EntryFilter& filter,
                                                              const registry::Scope& scope, int limit, int offset);
  // The generation job (for its progress). nullopt when absent or of another kind.
  Result<std::optional<jobs::JobRecord>> Job(std::int64_t job_id);

  // Runs the incompatibility checks again over a draft (against today's registry and ledger) and
  // approves it: the approver must not be the user who generated it, and flagged households need
  // `acknowledge_flags`. Errors: kNotFound, kPermissionDenied (cycle.own_cycle), kConflict
  // (cycle.not_draft, cycle.changed), kFailedPrecondition (cycle.flags_unresolved, field
  // acknowledge_flags).
  Result<CycleRow> Approve(std::int64_t id, bool acknowledge_flags, const registry::Actor& who);
  // Deletes a draft and its entries (it may be generated again). Errors: kNotFound, kConflict
  // (cycle.not_draft).
  Result<CycleRow> Discard(std::int64_t id, const registry::Actor& who);
  // approved → paid (the payment work calls it once its batches are out). Errors: kNotFound, kConflict
  // (cycle.not_approved).
  Result<CycleRow> MarkPaid(std::int64_t id);
  // paid → closed. Errors: kNotFound, kConflict (cycle.not_paid).
  Result<CycleRow> Close(std::int64_t id, const registry::Actor& who);

 private:
  Result<CycleRow> MustGet(std::int64_t id);

  CycleStore& store_;
  jobs::JobStore& jobs_;
  const Clock& clock_;
  EntriesComputer compute_;
  ProgrammeLookup programmes_ = BuiltinProgrammeLookup();
  std::function<void()> on_queued_;
};

// YYYY-MM with a month 01–12. Errors: kInvalidArgument (field period).
Status CheckPeriod(std::string_view period);

}  // namespace sanad::cycles
