// Escalation of overdue grievances as a job (kind `grievance_escalation`) on the shared job runner
// (src/jobs): one pass marks every grievance past its SLA deadline as escalated to the regional
// coordinator (GrievanceStore::Escalate). The pass is fenced by the job's lease, so exactly one app
// server applies it, and at most one pass is queued or running at a time (exclusive key). The clock is
// the application's: tests move it by hand instead of sleeping.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "grievances/grievance_store.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"

namespace sanad::grievances {

class GrievanceEscalation final : public jobs::JobHandler {
 public:
  static constexpr const char* kJobKind = "grievance_escalation";

  GrievanceEscalation(GrievanceStore& store, jobs::JobStore& jobs, const Clock& clock)
      : store_(store), jobs_(jobs), clock_(clock) {}

  void SetOnQueued(std::function<void()> fn) { on_queued_ = std::move(fn); }

  // Queues a pass, or returns the one already queued or running.
  Result<jobs::JobRecord> Start(std::optional<std::int64_t> user_id, const std::string& username);
  Result<std::optional<jobs::JobRecord>> Get(std::int64_t id);

  // jobs::JobHandler: {"escalated": n}.
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  GrievanceStore& store_;
  jobs::JobStore& jobs_;
  const Clock& clock_;
  std::function<void()> on_queued_;
};

}  // namespace sanad::grievances
