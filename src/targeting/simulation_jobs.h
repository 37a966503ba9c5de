// Targeting simulations as background jobs (kind `targeting_simulation`) on the job runner (src/jobs): a
// national registry takes longer to read and evaluate twice than a request may last. Start checks the
// request (a bad period or parameter name is refused at once) and queues the job over the caller's area;
// whichever app server claims it reads the registry through the reader the composition root gave, and
// the job's stored result is the simulation's JSON (simulation_run.h). Simulations only read: a job
// interrupted by a shutdown or a lost lease starts over.
//
// Who sees a simulation: aggregates only, no personal data. A job run over an area is visible to callers
// whose scope is exactly that area, a national job to national callers only, so nobody reads the counts
// of households outside their scope.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "programs/programme.h"
#include "targeting/simulation_run.h"

namespace sanad::targeting {

// The programme with this code (kNotFound: program.not_found). One lookup for the whole simulation
// (the API's checks and the job), wired in the composition root.
using ProgrammeLookup = std::function<Result<programs::Programme>(std::string_view code)>;

struct SimulationStarter {
  std::optional<std::int64_t> user_id;
  std::string username;
};

class SimulationJobs final : public jobs::JobHandler {
 public:
  static constexpr const char* kJobKind = "targeting_simulation";

  SimulationJobs(jobs::JobStore& jobs, const Clock& clock, ProgrammeLookup lookup, PopulationReader reader);

  // Called after a job was queued (the composition root wakes the local runner with it).
  void SetOnQueued(std::function<void()> fn) { on_queued_ = std::move(fn); }

  // Checks the request against the programme and queues the simulation (request.area: the caller's).
  // Errors: program.not_found, and CheckRequest's.
  Result<jobs::JobRecord> Start(std::string_view programme, const SimulationRequest& request,
                                const SimulationStarter& who);
  // The job, or nullopt when `id` is not a simulation of `programme` visible from `scope_area`.
  Result<std::optional<jobs::JobRecord>> Get(std::int64_t id, std::string_view programme,
                                             const std::optional<std::string>& scope_area);
  // The parameters in force in `period` and the default poverty line, to prefill a candidate:
  // {programme, period, currency, poverty_line, parameters:{name: value}}.
  Result<nlohmann::json> Defaults(std::string_view programme, std::string_view period);

  // jobs::JobHandler
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  jobs::JobStore& jobs_;
  const Clock& clock_;
  ProgrammeLookup lookup_;
  PopulationReader reader_;
  std::function<void()> on_queued_;
};

}  // namespace sanad::targeting
