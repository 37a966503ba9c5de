// A job kind run as a single pass over the whole database — escalations past a deadline, reminders,
// deliveries from an outbox: at most one pass is queued or running at a time (the exclusive key is the
// kind), so a second request answers the pass already under way instead of queuing another. The pass's
// writes are fenced by the job's lease (JobContext::Fence), so exactly one app server applies it even when
// several share the database. Subclasses write Run(); starting and reading a pass is here, once.
//
// Thread safety: Start and Get may be called concurrently; SetOnQueued before the first Start.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "core/time.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"

namespace sanad::jobs {

class ExclusivePass : public JobHandler {
 public:
  // `busy_reason`: the error code when a pass cannot be queued nor found (it finished in between, twice).
  ExclusivePass(JobStore& jobs, const Clock& clock, std::string kind, std::string busy_reason)
      : jobs_(jobs), clock_(clock), kind_(std::move(kind)), busy_reason_(std::move(busy_reason)) {}

  // Called after a pass is queued (the application pokes its runner).
  void SetOnQueued(std::function<void()> fn) { on_queued_ = std::move(fn); }

  // Queues a pass, or returns the one already queued or running.
  Result<JobRecord> Start(std::optional<std::int64_t> user_id, const std::string& username);
  // The pass `id` when it is of this kind.
  Result<std::optional<JobRecord>> Get(std::int64_t id);
  // Deletes this kind's settled passes that finished more than `keep` ago (JobStore::PruneSettled), at
  // most once an hour per process: a timer calls it on every tick, and a pass every minute would
  // otherwise leave half a million rows a year. 0 without a look at the table inside the hour.
  Result<std::int64_t> PruneHistory(std::chrono::hours keep);

 protected:
  const Clock& clock() const { return clock_; }

 private:
  JobStore& jobs_;
  const Clock& clock_;
  const std::string kind_;
  const std::string busy_reason_;
  std::function<void()> on_queued_;
  std::mutex prune_mu_;
  std::optional<TimePoint> pruned_at_;  // guarded by prune_mu_
};

}  // namespace sanad::jobs
