#include "cases/case_escalation.h"

namespace sanad::cases {

Result<jobs::Json> CaseEscalation::Run(jobs::JobContext& ctx) {
  ctx.SetStage("case_escalation.stage.running");
  auto raised = store_.Escalate(clock().Now(), [&ctx](db::Session& s) { return ctx.Fence(s); });
  if (!raised) return std::unexpected(raised.error());
  ctx.SetProgress(*raised, *raised);
  return jobs::Json{{"escalated", *raised}};
}

}  // namespace sanad::cases
