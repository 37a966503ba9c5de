#include "grievances/grievance_escalation.h"

namespace sanad::grievances {

Result<jobs::JobRecord> GrievanceEscalation::Start(std::optional<std::int64_t> user_id, const std::string& username) {
  return jobs_.EnqueueOrRunning(
      kJobKind,
      [&]() {
        auto queued = jobs_.Enqueue(
            jobs::NewJob{.kind = kJobKind, .exclusive_key = kJobKind, .owner_id = user_id, .owner = username},
            clock_.Now());
        if (queued && on_queued_) on_queued_();
        return queued;
      },
      "grievance_escalation.busy");
}

Result<std::optional<jobs::JobRecord>> GrievanceEscalation::Get(std::int64_t id) {
  return jobs_.GetOfKind(id, kJobKind);
}

Result<jobs::Json> GrievanceEscalation::Run(jobs::JobContext& ctx) {
  ctx.SetStage("grievance_escalation.stage.running");
  auto raised = store_.Escalate(clock_.Now(), [&ctx](db::Session& s) { return ctx.Fence(s); });
  if (!raised) return std::unexpected(raised.error());
  ctx.SetProgress(*raised, *raised);
  return jobs::Json{{"escalated", *raised}};
}

}  // namespace sanad::grievances
