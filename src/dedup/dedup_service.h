// Registry-wide deduplication: a background linkage job over the active persons of the
// starter's scope proposes candidate pairs to a review queue; a reviewer confirms a pair (which files a
// merge_persons change request that a second person approves: four eyes) or rejects it (remembered, and
// never proposed again). Also the cross-programme check (persons receiving two programmes that may not
// be combined) and the external beneficiary lists it uses, linked to the registry with the engine in
// match mode.
//
// Jobs: StartJob queues a `dedup` job in the jobs table (src/jobs); the job runner of whichever app
// server claims it calls Run, and another server takes it over if that one dies (the engine then runs
// again from the start: a job's results are written in one transaction, fenced by its lease, together
// with its 'done' status, so a rerun after that commit only reads them back). One job at a time across
// all servers (kConflict while one is queued or running). Cancellation shows at once (status
// 'cancelled'); the server running the engine stops at its next chunk boundary and writes nothing.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "dedup/dedup_store.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "linkage/record_store.h"
#include "registry/change_service.h"

namespace sanad::dedup {

struct DedupOptions {
  int threads = 0;                        // engine threads; 0 = all cores
  double match_probability = 0.9;         // pairs at or above: band "match"
  double review_probability = 0.5;        // pairs in [review, match): band "review"
  std::size_t max_candidates = 100'000;   // strongest pairs written to the queue per job
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

// The registry's canonical person columns an external list may carry, with the linkage engine's input
// field each feeds (the beneficiary lists here, the affiliation module's lists).
const std::vector<std::pair<std::string, linkage::InField>>& ListPersonColumns();

class DedupService final : public jobs::JobHandler {
 public:
  static constexpr const char* kJobKind = "dedup";

  DedupService(DedupStore& store, registry::ChangeService& changes, jobs::JobStore& jobs, const Clock& clock,
               DedupOptions options = {});
  DedupService(const DedupService&) = delete;
  DedupService& operator=(const DedupService&) = delete;

  // Called after a job was queued (the composition root wakes the local runner with it).
  void SetOnQueued(std::function<void()> fn) { on_queued_ = std::move(fn); }

  // Queues a job over the starter's scope (the area is stored with it). Errors: kConflict while
  // another deduplication job is queued or running.
  Result<JobRow> StartJob(const registry::Actor& who);
  // Jobs whose area the scope covers (a national job: national scopes only), newest first; a running
  // job shows its live progress (stage code, pairs compared), whichever server runs it.
  Result<std::vector<JobRow>> ListJobs(const registry::Scope& scope, int limit = 50);
  Result<std::optional<JobRow>> GetJob(std::int64_t id, const registry::Scope& scope);
  // Errors: kNotFound (absent or outside the canceller's scope), kPermissionDenied (a national job,
  // and `who` is neither the job's owner nor an administrator), kFailedPrecondition (not running).
  Result<JobRow> CancelJob(std::int64_t id, const registry::Actor& who);

  // jobs::JobHandler: runs one queued job (params: linkage_job_id, area, today).
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

  // The queue (status pending | confirmed | rejected | all), both persons inside the scope.
  // `sort`: a value of db::SortValues(kCandidateSorts); empty: the likeliest pairs first.
  Result<std::pair<std::vector<CandidateRow>, long long>> Candidates(const std::string& status,
                                                                     const registry::Scope& scope, int limit,
                                                                     int offset, std::string_view sort = "");
  Result<std::optional<CandidateRow>> Candidate(std::int64_t id, const registry::Scope& scope);
  // Files merge_persons {person_id: keep, duplicate_person_id: the other} as `who` and marks the
  // candidate confirmed with the request id. keep defaults to the record that is the head of its
  // household when only one is (a head cannot be merged away from members), else the older record.
  // Errors: kNotFound (absent or outside scope), kInvalidArgument (keep not one of the pair),
  // kFailedPrecondition (already decided), kConflict (decided concurrently), and the errors of
  // ChangeService::Submit.
  Result<CandidateRow> Confirm(std::int64_t id, std::optional<std::int64_t> keep, const std::string& comment,
                               const registry::Actor& who);
  // Remembers the pair as not duplicates (different persons), with the reviewer's comment saying why.
  // Errors as Confirm, and kInvalidArgument (field comment) when the comment is blank.
  Result<CandidateRow> Reject(std::int64_t id, const std::string& comment, const registry::Actor& who);
  // Undoes a rejection: the pair is pending again (its decision is forgotten, so later jobs may propose
  // it) and the rejection's comment is cleared; the audit log keeps both steps. Errors: kNotFound
  // (absent or outside scope), kFailedPrecondition (not rejected), kConflict (undone concurrently, or
  // the pair is pending again through another candidate).
  Result<CandidateRow> Reopen(std::int64_t id, const registry::Actor& who);

  // Links a beneficiary list (CSV in the registry's canonical person columns, with record_id) to the
  // active persons of the uploader's scope and stores the matched person ids. Errors: kInvalidArgument
  // (empty, malformed CSV with line, no record_id column, no usable column, too many rows).
  Result<ExternalListRow> UploadExternalList(const std::string& name, const std::string& programme,
                                             const std::string& csv, const registry::Actor& who);
  Result<std::vector<ExternalListRow>> ExternalLists(const registry::Scope& scope);
  // Errors: kInvalidArgument (unknown rule).
  Result<std::pair<std::vector<ConflictRow>, long long>> CrossProgramme(const std::string& rule,
                                                                        const registry::Scope& scope, int limit,
                                                                        int offset);

 private:
  Result<jobs::Json> Execute(jobs::JobContext& ctx, JobRow job, const registry::Scope& scope);
  // The job row with the live state of the job that runs it.
  JobRow WithLiveState(JobRow row);
  int Threads() const;

  DedupStore& store_;
  registry::ChangeService& changes_;
  jobs::JobStore& jobs_;
  const Clock& clock_;
  DedupOptions options_;
  std::function<void()> on_queued_;
};

}  // namespace sanad::dedup
