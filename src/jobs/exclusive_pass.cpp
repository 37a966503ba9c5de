#include "jobs/exclusive_pass.h"

namespace sanad::jobs {

Result<JobRecord> ExclusivePass::Start(std::optional<std::int64_t> user_id, const std::string& username) {
  return jobs_.EnqueueOrRunning(
      kind_,
      [&]() {
        auto queued = jobs_.Enqueue(
            NewJob{.kind = kind_, .exclusive_key = kind_, .owner_id = user_id, .owner = username}, clock_.Now());
        if (queued && on_queued_) on_queued_();
        return queued;
      },
      busy_reason_);
}

Result<std::optional<JobRecord>> ExclusivePass::Get(std::int64_t id) { return jobs_.GetOfKind(id, kind_); }

Result<std::int64_t> ExclusivePass::PruneHistory(std::chrono::hours keep) {
  const TimePoint now = clock_.Now();
  {
    std::lock_guard lock(prune_mu_);
    if (pruned_at_ && now - *pruned_at_ < std::chrono::hours(1)) return 0;
    pruned_at_ = now;
  }
  return jobs_.PruneSettled(kind_, now - keep);
}

}  // namespace sanad::jobs
