// DedupService: the life of a deduplication job (start, live state, cancellation, the runner's entry
// point). A run's work is in dedup_run.cpp, the review queue in candidate_decisions.cpp, external lists
// and the cross-programme check in external_lists.cpp.
#include "dedup/dedup_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

namespace sanad::dedup {

using Json = nlohmann::json;

DedupService::DedupService(DedupStore& store, registry::ChangeService& changes, jobs::JobStore& jobs,
                           const Clock& clock, DedupOptions options)
    : store_(store), changes_(changes), jobs_(jobs), clock_(clock), options_(options) {}

int DedupService::Threads() const {
  if (options_.threads > 0) return options_.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Result<JobRow> DedupService::StartJob(const registry::Actor& who) {
  const TimePoint now = clock_.Now();
  JobRow row;
  row.status = "running";
  row.stage = "queued";
  row.area_code = who.scope.area;
  row.started_by_id = who.user_id;
  row.started_by = who.username;
  row.started_at = FormatTimestamp(now);
  auto inserted = store_.db().InTransaction<JobRow>([&](db::Session& s) -> Result<JobRow> {
    auto job = store_.InsertJob(s, row);
    if (!job) return job;
    // The scope (area and the date its boundaries are read at) travels with the job, so that a rerun on
    // another server covers exactly the same persons.
    jobs::NewJob queued{.kind = kJobKind,
                        .params = {{"linkage_job_id", job->id},
                                   {"area", who.scope.area ? Json(*who.scope.area) : Json(nullptr)},
                                   {"today", who.scope.today}},
                        .area_code = who.scope.area,
                        .exclusive_key = kJobKind,
                        .owner_id = who.user_id,
                        .owner = who.username};
    auto run = jobs_.Enqueue(s, queued, now);
    if (!run) {
      if (run.error().code == Code::kConflict) {
        return Failure(Code::kConflict, "linkage_job.already_running");
      }
      return std::unexpected(run.error());
    }
    store_.SetRunJob(s, job->id, run->id);
    job->run_job_id = run->id;
    return job;
  });
  if (inserted && on_queued_) on_queued_();
  return inserted;
}

JobRow DedupService::WithLiveState(JobRow row) {
  if (row.status != "running" || !row.run_job_id) return row;
  auto run = jobs_.Get(*row.run_job_id);
  if (!run || !*run) return row;
  const jobs::JobRecord& j = **run;
  switch (j.state) {
    case jobs::JobState::kQueued:
      row.stage = "queued";
      break;
    case jobs::JobState::kRunning:
    case jobs::JobState::kSucceeded:  // its 'done' commit is what ends a job: not yet visible here
      row.stage = j.stage;
      if (j.stage_params.is_object()) {
        for (const auto& [key, value] : j.stage_params.items()) {
          row.stage_params.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
        }
      }
      row.pairs_compared = j.progress_done;
      if (j.started_at) {
        if (auto started = ParseTimestamp(*j.started_at)) {
          row.seconds = std::chrono::duration<double>(clock_.Now() - *started).count();
        }
      }
      break;
    case jobs::JobState::kFailed:  // e.g. interrupted on every attempt: the handler never recorded it
      row.status = "failed";
      row.stage = "failed";
      row.error = j.error_code == "attempts_exhausted" ? std::string(MsgCode("linkage_job.attempts_exhausted"))
                                                       : j.error_message.value_or(j.error_code.value_or("failed"));
      row.finished_at = j.finished_at;
      break;
    case jobs::JobState::kCancelled:
      row.status = "cancelled";
      row.stage = "cancelled";
      row.finished_at = j.finished_at;
      break;
  }
  return row;
}

Result<std::vector<JobRow>> DedupService::ListJobs(const registry::Scope& scope, int limit) {
  auto rows = store_.ListJobs(limit, scope);
  if (!rows) return rows;
  for (auto& r : *rows) r = WithLiveState(std::move(r));
  return rows;
}

Result<std::optional<JobRow>> DedupService::GetJob(std::int64_t id, const registry::Scope& scope) {
  auto row = store_.GetJob(id, scope);
  if (!row || !*row) return row;
  return std::optional<JobRow>(WithLiveState(std::move(**row)));
}

Result<JobRow> DedupService::CancelJob(std::int64_t id, const registry::Actor& who) {
  auto row = GetJob(id, who.scope);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Failure(Code::kNotFound, "linkage_job.not_found", {{"id", std::to_string(id)}}, "id");
  const bool owner = (*row)->started_by_id && who.user_id && *(*row)->started_by_id == *who.user_id;
  if (!(*row)->area_code && !owner && !who.administrator) {
    return Failure(Code::kPermissionDenied, "linkage_job.not_owner",
                   {{"id", std::to_string(id)}, {"owner", (*row)->started_by}}, "id");
  }
  if ((*row)->status != "running") {
    return Failure(Code::kFailedPrecondition, "linkage_job.not_running", {{"id", std::to_string(id)}}, "id");
  }
  const TimePoint now = clock_.Now();
  JobRow cancelled = **row;
  cancelled.status = "cancelled";
  cancelled.stage = "cancelled";
  cancelled.finished_at = FormatTimestamp(now);
  cancelled.error = fmt::format("cancelled by {}", who.username);
  // One transaction: the job row and the request to stop. The server running the job writes its
  // results under a fence that this request makes fail (or, if it committed first, this finds the job
  // no longer running).
  auto done = store_.db().InTransaction<JobRow>([&](db::Session& s) -> Result<JobRow> {
    auto ok = store_.FinishJob(s, cancelled);
    if (!ok) return std::unexpected(ok.error());
    if (!*ok) return Failure(Code::kFailedPrecondition, "linkage_job.not_running", {{"id", std::to_string(id)}}, "id");
    if (cancelled.run_job_id) {
      auto req = jobs_.RequestCancel(s, *cancelled.run_job_id, now);
      if (!req && req.error().code != Code::kFailedPrecondition) return std::unexpected(req.error());
    }
    return cancelled;
  });
  return done;
}

Result<jobs::Json> DedupService::Run(jobs::JobContext& ctx) {
  const Json& p = ctx.params();
  if (!p.contains("linkage_job_id") || !p["linkage_job_id"].is_number_integer()) {
    return Fail(Code::kInternal, "dedup job without linkage_job_id", "params");  // the queue's bug
  }
  const std::int64_t id = p["linkage_job_id"].get<std::int64_t>();
  registry::Scope scope;
  if (p.contains("area") && p["area"].is_string()) scope.area = p["area"].get<std::string>();
  scope.today = p.value("today", DateOf(clock_.Now()).ToString());
  auto row = store_.GetJob(id, registry::Scope{});  // the runner acts for the job's starter: no scope of its own
  if (!row) return std::unexpected(row.error());
  if (!*row) return Failure(Code::kNotFound, "linkage_job.not_found", {{"id", std::to_string(id)}}, "linkage_job_id");
  auto result = [](const JobRow& j) {
    return Json{{"linkage_job_id", j.id}, {"records", j.records}, {"candidate_pairs", j.candidate_pairs},
                {"matches", j.matches},   {"review", j.review},   {"proposed", j.proposed}};
  };
  // A previous attempt committed its results and died before the job was marked succeeded.
  if ((*row)->status == "done") return result(**row);
  if ((*row)->status != "running") {
    return Failure(Code::kFailedPrecondition, "linkage_job.not_running", {{"id", std::to_string(id)}},
                   "linkage_job_id");
  }
  auto r = Execute(ctx, **row, scope);
  if (!r && !ctx.StopRequested()) {
    JobRow failed = **row;
    failed.status = "failed";
    failed.stage = "failed";
    // A catalogue failure carries its code, not a text: the code is what the job row keeps then.
    failed.error = r.error().message.empty() ? r.error().reason : r.error().message;
    failed.finished_at = FormatTimestamp(clock_.Now());
    auto recorded = store_.db().InTransaction<bool>([&](db::Session& s) -> Result<bool> {
      if (auto st = ctx.Fence(s); !st) return std::unexpected(st.error());
      return store_.FinishJob(s, failed);
    });
    (void)recorded;  // lost the lease or cancelled meanwhile: the job row says so already
  }
  return r;
}

}  // namespace sanad::dedup
