#include "cases/case_escalation.h"

namespace sanad::cases {

Result<jobs::JobRecord> CaseEscalation::Start(std::optional<std::int64_t> user_id, const std::string& username) {
  // Twice: the pass that held the key may finish between the refusal and the look-up.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto queued =
        jobs_.Enqueue(jobs::NewJob{.kind = kJobKind, .exclusive_key = kJobKind, .owner_id = user_id, .owner = username},
                      clock_.Now());
    if (queued) {
      if (on_queued_) on_queued_();
      return queued;
    }
    if (queued.error().code != Code::kConflict) return queued;
    auto recent = jobs_.List(kJobKind, 20);
    if (!recent) return std::unexpected(recent.error());
    for (auto& j : *recent) {
      if (j.state == jobs::JobState::kQueued || j.state == jobs::JobState::kRunning) return std::move(j);
    }
  }
  return Failure(Code::kConflict, "case_escalation.busy");
}

Result<std::optional<jobs::JobRecord>> CaseEscalation::Get(std::int64_t id) {
  auto job = jobs_.Get(id);
  if (!job || !*job) return job;
  if ((*job)->kind != kJobKind) return std::optional<jobs::JobRecord>();
  return job;
}

Result<jobs::Json> CaseEscalation::Run(jobs::JobContext& ctx) {
  ctx.SetStage("case_escalation.stage.running");
  auto raised = store_.Escalate(clock_.Now(), [&ctx](db::Session& s) { return ctx.Fence(s); });
  if (!raised) return std::unexpected(raised.error());
  ctx.SetProgress(*raised, *raised);
  return jobs::Json{{"escalated", *raised}};
}

}  // namespace sanad::cases
