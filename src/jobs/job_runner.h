// The one runner of background jobs (docs/decisions/0005-job-runner.md). Each app server (node) has a
// JobRunner: worker threads poll the jobs table for claimable jobs of the kinds registered here, run
// the kind's handler, and record the outcome; a heartbeat thread extends the lease of every job the node
// runs and persists its progress. A node that dies stops heartbeating; once its lease expires another
// node claims the job, which resumes from its last checkpoint (or restarts; handlers are written to be
// idempotent). Exactly one node runs a job at a time: the claim is atomic and every write of the running
// node is fenced by its lease.
//
// Handlers get a JobContext: progress and stage (a code + parameters, never a sentence), a stop check
// between chunks (cancellation, shutdown or a lost lease), a checkpoint, and a fence that proves
// ownership inside the handler's own transaction.
//
// Thread safety: Register before Start; everything else may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "jobs/job_store.h"

namespace sanad::jobs {

struct JobRunnerOptions {
  std::string node_id;                              // unique per process; empty = hostname:pid
  int workers = 1;                                  // jobs this node runs at once
  std::chrono::milliseconds lease{15'000};          // a job is taken over this long after the last heartbeat
  std::chrono::milliseconds heartbeat{5'000};       // lease extension period (< lease / 2)
  std::chrono::milliseconds poll{1'000};            // idle worker's wait between claims
  std::chrono::milliseconds progress_flush{1'000};  // progress reaches the database at most this late
  std::chrono::milliseconds test_chunk_delay{0};    // TEST ONLY: sleep at every chunk boundary
};

// Why a running job must stop.
enum class StopReason { kNone, kCancelled, kShutdown, kLeaseLost };

class JobRunner;

class JobContext {
 public:
  JobContext(JobRunner& runner, JobRecord job);
  JobContext(const JobContext&) = delete;
  JobContext& operator=(const JobContext&) = delete;

  std::int64_t id() const { return job_.id; }
  const std::string& kind() const { return job_.kind; }
  const Json& params() const { return job_.params; }
  const std::optional<std::string>& area_code() const { return job_.area_code; }
  int attempt() const { return job_.attempts; }  // 1 on the first claim
  const std::string& node() const;
  // The resume state a previous attempt saved, if any.
  const std::optional<Json>& checkpoint() const { return job_.checkpoint; }

  // Progress and stage are kept in memory and written at the next flush (thread-safe; may be called
  // from the handler's own worker threads).
  void SetProgress(std::int64_t done, std::int64_t total = 0);
  void SetStage(std::string code, Json params = Json::object());

  // Persists the resume state now. Errors: kConflict when the lease was lost.
  Status SaveCheckpoint(const Json& state);
  // True once the job must stop (cancelled, node shutting down, lease lost).
  bool StopRequested() const { return stop_.load() != StopReason::kNone; }
  StopReason stop_reason() const { return stop_.load(); }
  // Call between chunks: applies the test delay, then fails (kUnavailable) when the job must stop.
  Status NextChunk();
  // Inside the handler's own write transaction: fails unless this node still holds the job (kConflict)
  // and no cancellation was requested (kFailedPrecondition); the job row stays locked until the
  // transaction ends.
  Status Fence(db::Session& s);

 private:
  friend class JobRunner;
  void RequestStop(StopReason why);
  std::optional<ProgressUpdate> TakeProgress();  // nullopt when nothing changed since the last take

  JobRunner& runner_;
  JobRecord job_;
  std::atomic<StopReason> stop_{StopReason::kNone};
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  ProgressUpdate progress_;
  bool progress_dirty_ = false;
  std::atomic<bool> finished_{false};  // the handler returned (set under the runner's lock)
};

class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // Runs (or resumes) one job. The returned JSON is stored as the job's result. Exceptions are caught
  // by the runner and recorded as kInternal.
  virtual Result<Json> Run(JobContext& ctx) = 0;
};

class JobRunner {
 public:
  JobRunner(JobStore& store, const Clock& clock, JobRunnerOptions options = {});
  ~JobRunner();  // Stop()
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // `handler` must outlive the runner. Call before Start.
  void Register(const std::string& kind, JobHandler& handler);
  void Start();
  // Graceful stop: running handlers are asked to stop at their next chunk boundary, their jobs are
  // given back (queued again, to be claimed by another node or after restart), threads are joined.
  void Stop();

  const std::string& node_id() const { return options_.node_id; }
  const JobRunnerOptions& options() const { return options_; }
  JobStore& store() { return store_; }
  // Wakes idle workers now (e.g. right after a job was enqueued on this node).
  void Poke();
  // Jobs currently running on this node.
  std::size_t running() const;

 private:
  friend class JobContext;
  void WorkerLoop();
  void HeartbeatLoop();
  void RunOne(JobRecord job);
  void Beat(JobContext& ctx, bool extend);

  JobStore& store_;
  const Clock& clock_;
  JobRunnerOptions options_;
  std::map<std::string, JobHandler*> handlers_;
  std::vector<std::string> kinds_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::shared_ptr<JobContext>> active_;
  std::vector<std::thread> threads_;  // workers
  std::thread heartbeat_;
  bool heartbeat_stop_ = false;  // guarded by mu_
};

// hostname:pid
std::string DefaultNodeId();

}  // namespace sanad::jobs
