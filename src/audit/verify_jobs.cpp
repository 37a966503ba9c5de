#include "audit/verify_jobs.h"

#include "audit/verify_report.h"

namespace sanad::audit {

AuditVerifyJobs::AuditVerifyJobs(AuditLog& log, jobs::JobStore& jobs, const Clock& clock, long long chunk)
    : log_(log), jobs_(jobs), clock_(clock), chunk_(chunk) {}

Result<jobs::JobRecord> AuditVerifyJobs::Start(const VerifyStarter& who) {
  return jobs_.EnqueueOrRunning(
      kJobKind,
      [&]() {
        auto queued = jobs_.db().InTransaction<jobs::JobRecord>([&](db::Session& s) -> Result<jobs::JobRecord> {
          auto job = jobs_.Enqueue(
              s,
              jobs::NewJob{.kind = kJobKind, .exclusive_key = kJobKind, .owner_id = who.user_id, .owner = who.username},
              clock_.Now());
          if (!job) return job;
          AuditEntry e;
          e.user_id = who.user_id;
          e.username = who.username;
          e.action = "verify";
          e.record_type = "audit_log";
          e.ip = who.ip;
          e.request_id = who.request_id;
          e.details = nlohmann::json{{"job_id", job->id}}.dump();
          if (auto a = log_.AppendIn(s, std::move(e)); !a) return std::unexpected(a.error());
          return job;
        });
        if (queued && on_queued_) on_queued_();
        return queued;
      },
      "audit_verify.busy");
}

Result<std::optional<jobs::JobRecord>> AuditVerifyJobs::Get(std::int64_t id) { return jobs_.GetOfKind(id, kJobKind); }

Result<jobs::CancelOutcome> AuditVerifyJobs::Cancel(std::int64_t id) {
  auto job = Get(id);
  if (!job) return std::unexpected(job.error());
  if (!*job) return Failure(Code::kNotFound, "audit_verify.not_found", {{"id", std::to_string(id)}}, "id");
  return jobs_.RequestCancel(id, clock_.Now());
}

Result<jobs::Json> AuditVerifyJobs::Run(jobs::JobContext& ctx) {
  VerifyProgress progress{.on_chunk =
                              [&ctx](long long checked, long long total) {
                                ctx.SetProgress(checked, total);
                                return ctx.NextChunk();
                              },
                          .every = chunk_};
  auto report = log_.Verify(nullptr, &progress);
  if (!report) return std::unexpected(report.error());
  return VerifyReportJson(*report);
}

}  // namespace sanad::audit
