// Registry-wide deduplication (issue 4 §3): a background linkage job over the active persons of the
// starter's scope proposes candidate pairs to a review queue; a reviewer confirms a pair (which files a
// merge_persons change request that a second person approves: four eyes) or rejects it (remembered, and
// never proposed again). Also the cross-programme check (persons receiving two programmes that may not
// be combined) and the external beneficiary lists it uses, linked to the registry with the engine in
// match mode.
//
// Jobs: one at a time (kConflict while one runs). A job runs in a thread owned by this service; it is
// cancelled at once (status 'cancelled'), and its results are discarded when the engine returns (the
// engine has no cancel token). A job that fails records its error; nothing it throws leaves the thread.
//
// Thread safety: all methods may be called concurrently. The destructor waits for running jobs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "dedup/dedup_store.h"
#include "registry/change_service.h"

namespace sanad::dedup {

struct DedupOptions {
  int threads = 0;                  // engine threads; 0 = all cores
  double match_probability = 0.9;   // pairs at or above: band "match"
  double review_probability = 0.5;  // pairs in [review, match): band "review"
  std::size_t max_candidates = 100'000;  // strongest pairs written to the queue per job
  std::size_t max_list_rows = 2'000'000;  // external list rows
};

// A rule of the cross-programme check.
struct CrossProgrammeRule {
  std::string id;           // asd_family_allowances
  std::string programme;    // benefit ledger programme code (ASD)
  std::string other;        // the programme it may not be combined with (family_allowances)
  std::string flag_column;  // registry person column saying the person receives `other`
  std::string legal_basis;
};
const std::vector<CrossProgrammeRule>& CrossProgrammeRules();

class DedupService {
 public:
  DedupService(DedupStore& store, registry::ChangeService& changes, const Clock& clock, DedupOptions options = {});
  ~DedupService();
  DedupService(const DedupService&) = delete;
  DedupService& operator=(const DedupService&) = delete;

  // Marks jobs left running by a previous server process as failed (call once at start-up).
  Status RecoverInterrupted();

  // Starts a job over the starter's scope. Errors: kConflict while another job runs.
  Result<JobRow> StartJob(const registry::Actor& who);
  // Jobs whose area the scope covers (a national job: national scopes only), newest first; a running
  // job shows its live progress.
  Result<std::vector<JobRow>> ListJobs(const registry::Scope& scope, int limit = 50);
  Result<std::optional<JobRow>> GetJob(std::int64_t id, const registry::Scope& scope);
  // Errors: kNotFound (absent or outside the canceller's scope), kPermissionDenied (a national job,
  // and `who` is neither the job's owner nor an administrator), kFailedPrecondition (not running).
  Result<JobRow> CancelJob(std::int64_t id, const registry::Actor& who);
  // Waits until no job thread is alive (tests, shutdown).
  void WaitForJobs();

  // The queue (status pending | confirmed | rejected | all), both persons inside the scope.
  Result<std::pair<std::vector<CandidateRow>, long long>> Candidates(const std::string& status, const registry::Scope& scope,
                                                                     int limit, int offset);
  Result<std::optional<CandidateRow>> Candidate(std::int64_t id, const registry::Scope& scope);
  // Files merge_persons {person_id: keep, duplicate_person_id: the other} as `who` and marks the
  // candidate confirmed with the request id. keep defaults to the record that is the head of its
  // household when only one is (a head cannot be merged away from members), else the older record.
  // Errors: kNotFound (absent or outside scope), kInvalidArgument (keep not one of the pair),
  // kFailedPrecondition (already decided), kConflict (decided concurrently), and the errors of
  // ChangeService::Submit.
  Result<CandidateRow> Confirm(std::int64_t id, std::optional<std::int64_t> keep, const std::string& comment,
                               const registry::Actor& who);
  // Remembers the pair as not duplicates. Errors as Confirm.
  Result<CandidateRow> Reject(std::int64_t id, const std::string& comment, const registry::Actor& who);

  // Links a beneficiary list (CSV in the registry's canonical person columns, with record_id) to the
  // active persons of the uploader's scope and stores the matched person ids. Errors: kInvalidArgument
  // (empty, malformed CSV with line, no record_id column, no usable column, too many rows).
  Result<ExternalListRow> UploadExternalList(const std::string& name, const std::string& programme, const std::string& csv,
                                             const registry::Actor& who);
  Result<std::vector<ExternalListRow>> ExternalLists(const registry::Scope& scope);
  // Errors: kInvalidArgument (unknown rule).
  Result<std::pair<std::vector<ConflictRow>, long long>> CrossProgramme(const std::string& rule, const registry::Scope& scope,
                                                                        int limit, int offset);

 private:
  struct Running {
    JobRow row;
    std::atomic<bool> cancelled{false};
    std::mutex mu;  // guards row's progress fields
  };
  void RunJob(std::shared_ptr<Running> job, registry::Scope scope);
  Status ExecuteJob(Running& job, const registry::Scope& scope);
  void Progress(Running& job, const std::string& stage, std::uint64_t pairs, double seconds);
  int Threads() const;

  DedupStore& store_;
  registry::ChangeService& changes_;
  const Clock& clock_;
  DedupOptions options_;
  std::mutex mu_;
  std::shared_ptr<Running> current_;                 // the running job, if any
  std::vector<std::pair<std::shared_ptr<std::atomic<bool>>, std::thread>> threads_;  // (finished flag, thread)
};

}  // namespace sanad::dedup
