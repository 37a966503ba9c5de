// SQL of background jobs (migrations/0006_jobs.sql). A job is claimed by one node (app server) at a
// time through a lease: Claim is a single atomic UPDATE, so two nodes polling the same database never
// both obtain the same job, and every later write of the running node (heartbeat, progress,
// checkpoint, finish) is fenced by `lease_owner = node AND state = 'running'`, so a node that lost its
// lease (it stalled past the expiry and another node took the job over) can no longer change it.
//
// Times: `now` is passed in by the caller (the runner's Clock), so tests can move it. Lease expiry is
// stored as integer milliseconds since the epoch and compared numerically on both databases.
// Thread safety: all methods may be called concurrently (each borrows its own session).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "db/database.h"

namespace sanad::jobs {

using Json = nlohmann::json;

enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
std::string_view StateName(JobState s);  // "queued", …
Result<JobState> ParseState(std::string_view text);

struct NewJob {
  std::string kind;  // [a-z_]+, a registered handler
  Json params = Json::object();
  std::optional<std::string> area_code;      // the area the job covers; nullopt = national
  std::optional<std::string> exclusive_key;  // at most one queued or running job per key
  std::optional<std::int64_t> owner_id;
  std::string owner;
  int max_attempts = 3;
};

struct JobRecord {
  std::int64_t id = 0;
  std::string kind;
  Json params;
  std::optional<std::string> area_code, exclusive_key;
  std::optional<std::int64_t> owner_id;
  std::string owner;
  JobState state = JobState::kQueued;
  std::int64_t progress_done = 0, progress_total = 0;
  std::string stage;
  Json stage_params;
  std::optional<Json> checkpoint, result;
  std::optional<std::string> error_code, error_message;
  std::optional<std::string> lease_owner;
  std::optional<std::int64_t> lease_until_ms;
  std::optional<std::string> heartbeat_at;
  int attempts = 0, max_attempts = 3;
  bool cancel_requested = false;
  std::string created_at;
  std::optional<std::string> started_at, finished_at;
};

// What a running node writes at a heartbeat besides the lease.
struct ProgressUpdate {
  std::int64_t done = 0, total = 0;
  std::string stage;
  Json stage_params = Json::object();
};

enum class LeaseStatus { kHeld, kCancelRequested, kLost };

enum class CancelOutcome { kCancelled, kRequested };  // queued: cancelled at once; running: asked to stop

struct ReapCounts {
  long long cancelled = 0, failed = 0;
};

class JobStore {
 public:
  explicit JobStore(db::Database& db) : db_(db) {}
  db::Database& db() { return db_; }

  // Inserts a queued job. Errors: kInvalidArgument (bad kind), kConflict (a queued or running job
  // holds the same exclusive_key). The session form joins the caller's transaction.
  Result<JobRecord> Enqueue(const NewJob& job, TimePoint now);
  Result<JobRecord> Enqueue(db::Session& s, const NewJob& job, TimePoint now);

  Result<std::optional<JobRecord>> Get(std::int64_t id);
  // The job `id` when it is of `kind`, else nullopt (a route for one kind never shows another's jobs).
  Result<std::optional<JobRecord>> GetOfKind(std::int64_t id, const std::string& kind);
  // Queues a job whose exclusive key is held by at most one job: `enqueue` inserts it (and may write more
  // in its transaction); when the key is taken, the queued or running job of `kind` is answered instead.
  // Twice, because the job that held the key may finish between the refusal and the look-up; then
  // kConflict `busy_reason`.
  Result<JobRecord> EnqueueOrRunning(const std::string& kind, const std::function<Result<JobRecord>()>& enqueue,
                                     const std::string& busy_reason);
  // Newest first; `kind` empty = every kind.
  Result<std::vector<JobRecord>> List(const std::string& kind, int limit);

  // Claims the oldest job of one of `kinds` that is queued, or running with an expired lease (its node
  // died), and is not asked to cancel: state running, lease_owner = node, lease_until = now + lease,
  // attempts + 1. nullopt when there is none (or another node won the race for it).
  Result<std::optional<JobRecord>> Claim(std::span<const std::string> kinds, const std::string& node, TimePoint now,
                                         std::chrono::milliseconds lease);
  // Settles jobs whose lease expired and that must not run again: cancel requested → cancelled;
  // attempts exhausted → failed (error_code attempts_exhausted).
  Result<ReapCounts> Reap(TimePoint now);

  // Extends the lease to now + lease and stores the progress (when given). kLost when the node no
  // longer holds the job (taken over, or cancelled by an operator's SQL); kCancelRequested when a
  // cancellation was requested.
  Result<LeaseStatus> Heartbeat(std::int64_t id, const std::string& node, TimePoint now,
                                std::chrono::milliseconds lease, const std::optional<ProgressUpdate>& progress);
  // Persists the resume state and extends the lease to now + lease (the write proves the node is
  // alive, so a handler writing checkpoints back to back cannot starve its own heartbeat out of its
  // lease on SQLite). false when the node no longer holds the job.
  Result<bool> SaveCheckpoint(std::int64_t id, const std::string& node, const Json& checkpoint, TimePoint now,
                              std::chrono::milliseconds lease);
  // Inside the caller's transaction: proves that `node` still holds the running job and that no
  // cancellation was requested, and locks the job row until commit (so a concurrent cancel waits).
  // Errors: kConflict when the lease was lost, kFailedPrecondition when cancellation was requested.
  Status Fence(db::Session& s, std::int64_t id, const std::string& node);

  // Final states, fenced by the lease. false when the node no longer holds the job.
  Result<bool> MarkSucceeded(std::int64_t id, const std::string& node, const Json& result, TimePoint now);
  Result<bool> MarkFailed(std::int64_t id, const std::string& node, const Error& error, TimePoint now);
  Result<bool> MarkCancelled(std::int64_t id, const std::string& node, TimePoint now);
  // Gives the job back (graceful stop): queued again, lease cleared, checkpoint and attempts kept.
  Result<bool> Release(std::int64_t id, const std::string& node);

  // Deletes the settled jobs (succeeded, failed, cancelled) of `kind` that finished before `before`, and
  // returns how many: the history of a periodic pass, which no other table refers to. Never a queued or
  // running job, nor a job of another kind.
  Result<std::int64_t> PruneSettled(const std::string& kind, TimePoint before);

  // Errors: kNotFound, kFailedPrecondition (already finished).
  Result<CancelOutcome> RequestCancel(std::int64_t id, TimePoint now);
  Result<CancelOutcome> RequestCancel(db::Session& s, std::int64_t id, TimePoint now);

 private:
  db::Database& db_;
};

std::int64_t EpochMillis(TimePoint t);

}  // namespace sanad::jobs
