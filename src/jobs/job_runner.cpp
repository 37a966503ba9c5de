#include "jobs/job_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

namespace sanad::jobs {

std::string DefaultNodeId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host[0] ? host : "node", getpid());
}

// ---- JobContext ----

JobContext::JobContext(JobRunner& runner, JobRecord job) : runner_(runner), job_(std::move(job)) {
  progress_.done = job_.progress_done;
  progress_.total = job_.progress_total;
  progress_.stage = job_.stage;
  progress_.stage_params = job_.stage_params;
}

const std::string& JobContext::node() const { return runner_.node_id(); }

void JobContext::SetProgress(std::int64_t done, std::int64_t total) {
  std::lock_guard lock(mu_);
  progress_.done = done;
  progress_.total = total;
  progress_dirty_ = true;
}

void JobContext::SetStage(std::string code, Json params) {
  std::lock_guard lock(mu_);
  progress_.stage = std::move(code);
  progress_.stage_params = std::move(params);
  progress_dirty_ = true;
}

std::optional<ProgressUpdate> JobContext::TakeProgress() {
  std::lock_guard lock(mu_);
  if (!progress_dirty_) return std::nullopt;
  progress_dirty_ = false;
  return progress_;
}

Status JobContext::SaveCheckpoint(const Json& state) {
  auto saved = runner_.store_.SaveCheckpoint(job_.id, node(), state, runner_.clock_.Now(), runner_.options_.lease);
  if (!saved) return std::unexpected(saved.error());
  if (!*saved) {
    RequestStop(StopReason::kLeaseLost);
    return Fail(Code::kConflict, fmt::format("job {} is no longer held by {}", job_.id, node()), "id");
  }
  job_.checkpoint = state;
  return Ok();
}

Status JobContext::NextChunk() {
  const auto delay = runner_.options_.test_chunk_delay;
  if (delay.count() > 0) {
    std::unique_lock lock(mu_);
    stop_cv_.wait_for(lock, delay, [this] { return StopRequested(); });
  }
  if (StopRequested()) return Fail(Code::kUnavailable, fmt::format("job {} is stopping", job_.id));
  return Ok();
}

Status JobContext::Fence(db::Session& s) {
  auto st = runner_.store_.Fence(s, job_.id, node());
  if (!st) RequestStop(st.error().code == Code::kFailedPrecondition ? StopReason::kCancelled : StopReason::kLeaseLost);
  return st;
}

void JobContext::RequestStop(StopReason why) {
  StopReason none = StopReason::kNone;
  if (stop_.compare_exchange_strong(none, why)) {
    std::lock_guard lock(mu_);
    stop_cv_.notify_all();
  }
}

// ---- JobRunner ----

JobRunner::JobRunner(JobStore& store, const Clock& clock, JobRunnerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  if (options_.node_id.empty()) options_.node_id = DefaultNodeId();
  options_.workers = std::max(1, options_.workers);
  using std::chrono::milliseconds;
  options_.heartbeat = std::max(options_.heartbeat, milliseconds(10));
  options_.lease = std::max(options_.lease, 2 * options_.heartbeat);
  options_.poll = std::max(options_.poll, milliseconds(10));
  options_.progress_flush = std::max(options_.progress_flush, milliseconds(10));
}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Register(const std::string& kind, JobHandler& handler) {
  std::lock_guard lock(mu_);
  if (!handlers_.contains(kind)) kinds_.push_back(kind);
  handlers_[kind] = &handler;
}

void JobRunner::Start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  stopping_ = false;
  heartbeat_stop_ = false;
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { WorkerLoop(); });
  heartbeat_ = std::thread([this] { HeartbeatLoop(); });
  spdlog::info("job runner {}: {} worker(s), lease {} ms, heartbeat {} ms, kinds: {}", options_.node_id,
               options_.workers, options_.lease.count(), options_.heartbeat.count(), fmt::join(kinds_, ", "));
}

void JobRunner::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    stopping_ = true;
    for (auto& ctx : active_) ctx->RequestStop(StopReason::kShutdown);
    threads = std::move(threads_);
    threads_.clear();
    started_ = false;
  }
  wake_.notify_all();
  // Workers first: the heartbeat keeps their leases alive while handlers reach a chunk boundary.
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
  {
    std::lock_guard lock(mu_);
    heartbeat_stop_ = true;
  }
  wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
}

void JobRunner::Poke() { wake_.notify_all(); }

std::size_t JobRunner::running() const {
  std::lock_guard lock(mu_);
  return active_.size();
}

void JobRunner::WorkerLoop() {
  while (!stopping_) {
    const TimePoint now = clock_.Now();
    if (auto reaped = store_.Reap(now); !reaped) {
      spdlog::warn("job runner {}: {}", options_.node_id, reaped.error().message);
    } else if (reaped->cancelled + reaped->failed > 0) {
      spdlog::info("job runner {}: settled {} cancelled and {} exhausted job(s) left by stopped nodes",
                   options_.node_id, reaped->cancelled, reaped->failed);
    }
    auto job = store_.Claim(kinds_, options_.node_id, now, options_.lease);
    if (job && *job) {
      RunOne(std::move(**job));
      continue;
    }
    if (!job) spdlog::warn("job runner {}: claim failed: {}", options_.node_id, job.error().message);
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, options_.poll, [this] { return stopping_.load(); });
  }
}

void JobRunner::RunOne(JobRecord job) {
  JobHandler* handler = nullptr;
  {
    std::lock_guard lock(mu_);
    handler = handlers_.at(job.kind);
  }
  spdlog::info("job {} ({}): claimed by {} (attempt {}{})", job.id, job.kind, options_.node_id, job.attempts,
               job.checkpoint ? ", resuming from its checkpoint" : "");
  auto ctx = std::make_shared<JobContext>(*this, std::move(job));
  {
    // Stop() sets stopping_ under this lock: a job claimed while the node was being stopped is given
    // back without running; any other is in active_ and receives the stop request.
    std::lock_guard lock(mu_);
    if (!stopping_) active_.push_back(ctx);
  }
  if (stopping_) {
    if (auto released = store_.Release(ctx->id(), options_.node_id); !released) {
      spdlog::error("job {}: could not give it back: {}", ctx->id(), released.error().message);
    }
    return;
  }
  Result<Json> r;
  try {
    r = handler->Run(*ctx);
  } catch (const std::exception& e) {
    r = Fail(Code::kInternal, fmt::format("unexpected error: {}", e.what()));
  } catch (...) {
    r = Fail(Code::kInternal, "unexpected error");
  }
  {
    std::lock_guard lock(mu_);
    std::erase(active_, ctx);
    ctx->finished_ = true;  // a heartbeat already under way must not report the settled job as lost
  }
  const std::int64_t id = ctx->id();
  const TimePoint now = clock_.Now();
  // The heartbeat writes progress at most every progress_flush: the last of it is written now, before
  // the final state, so that a job shows where it ended (not for a job whose lease is lost: not ours).
  if (ctx->stop_reason() != StopReason::kLeaseLost) {
    if (auto progress = ctx->TakeProgress()) {
      if (auto st = store_.Heartbeat(id, options_.node_id, now, options_.lease, progress); !st)
        spdlog::warn("job {}: its last progress could not be written: {}", id, st.error().message);
    }
  }
  Result<bool> recorded = true;
  std::string outcome;
  if (r) {
    // The work is done (and committed by the handler): it succeeded even if a stop came late.
    recorded = store_.MarkSucceeded(id, options_.node_id, *r, now);
    outcome = "succeeded";
  } else {
    switch (ctx->stop_reason()) {
      case StopReason::kCancelled:
        recorded = store_.MarkCancelled(id, options_.node_id, now);
        outcome = "cancelled";
        break;
      case StopReason::kShutdown:
        recorded = store_.Release(id, options_.node_id);
        outcome = "given back (node stopping)";
        break;
      case StopReason::kLeaseLost:
        recorded = false;
        outcome = "abandoned (lease lost)";
        break;
      case StopReason::kNone:
        recorded = store_.MarkFailed(id, options_.node_id, r.error(), now);
        outcome = fmt::format("failed: {}", r.error().message);
        break;
    }
  }
  if (!recorded) {
    spdlog::error("job {} ({}): {} but its state could not be recorded: {}", id, ctx->kind(), outcome,
                  recorded.error().message);
  } else if (!*recorded && ctx->stop_reason() != StopReason::kLeaseLost) {
    spdlog::warn("job {} ({}): {} but the lease had been lost meanwhile", id, ctx->kind(), outcome);
  } else {
    spdlog::info("job {} ({}) on {}: {}", id, ctx->kind(), options_.node_id, outcome);
  }
}

void JobRunner::Beat(JobContext& ctx, bool extend) {
  auto progress = ctx.TakeProgress();
  if (!extend && !progress) return;
  auto st = store_.Heartbeat(ctx.id(), options_.node_id, clock_.Now(), options_.lease, progress);
  if (!st) {
    // The database is unreachable: keep trying; if the lease expires meanwhile, the fence stops us.
    spdlog::warn("job {}: heartbeat failed: {}", ctx.id(), st.error().message);
    if (progress) {
      std::lock_guard lock(ctx.mu_);
      ctx.progress_dirty_ = true;
    }
    return;
  }
  if (ctx.finished_) return;
  if (*st == LeaseStatus::kLost) {
    spdlog::warn("job {}: lease lost by {}; stopping it here", ctx.id(), options_.node_id);
    ctx.RequestStop(StopReason::kLeaseLost);
  } else if (*st == LeaseStatus::kCancelRequested) {
    ctx.RequestStop(StopReason::kCancelled);
  }
}

void JobRunner::HeartbeatLoop() {
  using Steady = std::chrono::steady_clock;
  const auto tick = std::min(options_.heartbeat, options_.progress_flush);
  auto last_extend = Steady::now();
  for (;;) {
    std::vector<std::shared_ptr<JobContext>> active;
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, tick, [this] { return heartbeat_stop_; });
      if (heartbeat_stop_) return;
      active = active_;
    }
    const bool extend = Steady::now() - last_extend >= options_.heartbeat;
    if (extend) last_extend = Steady::now();
    for (auto& ctx : active) Beat(*ctx, extend);
  }
}

}  // namespace sanad::jobs
