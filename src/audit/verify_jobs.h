// Verifying the audit chain as a background job (kind `audit_verify`) on the job runner (src/jobs): a
// log of millions of entries takes longer than a request may. Start queues the job and writes its
// audit entry in one transaction; the runner of whichever app server claims it walks the chain,
// recording progress (entries checked of the log's length) every chunk and stopping at a chunk
// boundary when the job is cancelled or the server stops (it then starts over: a walk only reads).
// The job's result is the report's JSON (verify_report.h). One verification at a time across the
// servers: starting while one is queued or running returns that one.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"

namespace sanad::audit {

// Who starts a verification, for its audit entry.
struct VerifyStarter {
  std::optional<std::int64_t> user_id;
  std::string username;
  std::string ip;
  std::string request_id;
};

class AuditVerifyJobs final : public jobs::JobHandler {
 public:
  static constexpr const char* kJobKind = "audit_verify";

  AuditVerifyJobs(AuditLog& log, jobs::JobStore& jobs, const Clock& clock, long long chunk = 1000);

  // Called after a job was queued (the composition root wakes the local runner with it).
  void SetOnQueued(std::function<void()> fn) { on_queued_ = std::move(fn); }

  // Queues a verification, or returns the one already queued or running.
  Result<jobs::JobRecord> Start(const VerifyStarter& who);
  // nullopt when `id` is not a verification job.
  Result<std::optional<jobs::JobRecord>> Get(std::int64_t id);
  // A queued job is cancelled at once, a running one stops at its next chunk. Errors: kNotFound,
  // kFailedPrecondition (already finished).
  Result<jobs::CancelOutcome> Cancel(std::int64_t id);

  // jobs::JobHandler
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  AuditLog& log_;
  jobs::JobStore& jobs_;
  const Clock& clock_;
  long long chunk_;
  std::function<void()> on_queued_;
};

}  // namespace sanad::audit
