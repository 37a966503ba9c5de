// Intake and escalation of e-service reports: a validated submission is placed (commune, region),
// dispatched (a unit, or a counsellor pool), given its deadline and codes, and stored; the escalation
// job marks unacknowledged reports past their deadline for the regional coordinator's overdue board.
//
// The escalation runs as a job of the shared job runner (kind `eservices_escalation`): whichever app
// server claims it runs it, one at a time across servers (exclusive key), and the pass itself is an
// idempotent conditional UPDATE, so a second pass escalates nothing twice.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "areas/area_store.h"
#include "core/batch_writer.h"
#include "core/time.h"
#include "eservices/report_store.h"
#include "jobs/exclusive_pass.h"

namespace sanad::eservices {

// Group commit of report intake (core/batch_writer.h): one writer thread, one transaction per batch.
using IntakeBatcher = core::BatchWriter<NewReport, Report>;

struct Submitted {
  Report report;
  std::string tracking_code;  // shown once to the reporter; only its hash is stored
};

class ReportService final : public jobs::ExclusivePass {
 public:
  static constexpr const char* kJobKind = "eservices_escalation";

  ReportService(ReportStore& store, areas::AreaStore& areas, jobs::JobStore& jobs, const Clock& clock)
      : ExclusivePass(jobs, clock, kJobKind, "eservice.escalation_busy"),
        store_(store),
        areas_(areas),
        intake_([&store](std::vector<NewReport>& batch) { return store.InsertBatch(batch); }) {}
  ReportStore& store() { return store_; }

  // Validates, dispatches and stores a report. `over_limit`: the sender is over a rate limit (a
  // life-safety report is kept and flagged). `entered_by`: the call-centre agent. Errors:
  // kInvalidArgument (form.invalid with every problem; field.not_a_commune), the database's.
  Result<Submitted> Submit(ReportInput in, bool over_limit, std::optional<std::string> entered_by);
  // The same without waiting for the commit: returns the codes at once (nothing is stored yet) and
  // calls `stored` once the report is durable or its batch failed (group commit, core/batch_writer.h).
  // The caller must not acknowledge the report to anyone before `stored` says it is stored. Errors
  // returned directly: validation and placement, as Submit.
  Result<Submitted> SubmitAsync(ReportInput in, bool over_limit, IntakeBatcher::Done stored);

  // Escalation passes: Start and Get (jobs::ExclusivePass).

  // jobs::JobHandler: one escalation pass at the clock's now; result {"escalated": n}.
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  ReportStore& store_;
  areas::AreaStore& areas_;
  IntakeBatcher intake_;  // last: its writer thread stops before the rest goes

  // Validation, placement, dispatch, deadline and codes: the report as it will be stored.
  Result<std::pair<NewReport, std::string>> Prepare(ReportInput in, bool over_limit,
                                                    std::optional<std::string> entered_by);
};

// Queues an escalation pass every `period` on this app server (the first one period after Start). With
// several servers, the job's exclusive key keeps one pass queued or running at a time across them.
class EscalationScheduler {
 public:
  EscalationScheduler(ReportService& service, std::chrono::milliseconds period) : service_(service), period_(period) {}
  ~EscalationScheduler() { Stop(); }
  EscalationScheduler(const EscalationScheduler&) = delete;
  EscalationScheduler& operator=(const EscalationScheduler&) = delete;
  void Start();
  void Stop();

 private:
  ReportService& service_;
  std::chrono::milliseconds period_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sanad::eservices
