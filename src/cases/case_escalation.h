// Timed escalation of overdue cases as a job (kind `case_escalation`) on the job runner (src/jobs): one
// pass raises every open case past its stage's deadline to its supervisor, and a case still overdue
// `DueRules::to_coordinator` later to the regional coordinator (CaseStore::Escalate). The pass is fenced
// by the job's lease, so exactly one app server applies it; at most one pass is queued or running at a
// time (exclusive key). The clock is the application's, so tests move it by hand instead of sleeping.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "cases/case_store.h"
#include "jobs/exclusive_pass.h"

namespace sanad::cases {

class CaseEscalation final : public jobs::ExclusivePass {
 public:
  static constexpr const char* kJobKind = "case_escalation";

  CaseEscalation(CaseStore& store, jobs::JobStore& jobs, const Clock& clock)
      : ExclusivePass(jobs, clock, kJobKind, "case_escalation.busy"), store_(store) {}

  // jobs::JobHandler: {"escalated": n}.
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  CaseStore& store_;
};

}  // namespace sanad::cases
