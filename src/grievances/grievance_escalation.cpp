#include "grievances/grievance_escalation.h"

namespace sanad::grievances {

Result<jobs::Json> GrievanceEscalation::Run(jobs::JobContext& ctx) {
  ctx.SetStage("grievance_escalation.stage.running");
  auto raised = store_.Escalate(clock().Now(), [&ctx](db::Session& s) { return ctx.Fence(s); });
  if (!raised) return std::unexpected(raised.error());
  ctx.SetProgress(*raised, *raised);
  return jobs::Json{{"escalated", *raised}};
}

}  // namespace sanad::grievances
