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

}  // namespace sanad::jobs
