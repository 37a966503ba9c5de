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
#include "jobs/exclusive_pass.h"

namespace sanad::grievances {

class GrievanceEscalation final : public jobs::ExclusivePass {
 public:
  static constexpr const char* kJobKind = "grievance_escalation";

  GrievanceEscalation(GrievanceStore& store, jobs::JobStore& jobs, const Clock& clock)
      : ExclusivePass(jobs, clock, kJobKind, "grievance_escalation.busy"), store_(store) {}

  // jobs::JobHandler: {"escalated": n}.
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  GrievanceStore& store_;
};

}  // namespace sanad::grievances
