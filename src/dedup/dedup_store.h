// SQL of registry deduplication (migrations/0004_linkage.sql): linkage jobs, the review queue of
// candidate pairs, the reviewers' remembered decisions, external beneficiary lists, and the columnar
// load of the registry's active persons into the linkage engine's RecordStoreBuilder.
// Every read that returns personal data filters by the caller's area scope in the query itself.
// Thread safety: all methods may be called concurrently (each borrows its own session).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "db/sort_order.h"
#include "linkage/record_store.h"
#include "registry/change_service.h"
#include "registry/registry_store.h"

namespace sanad::dedup {

struct JobRow {
  std::int64_t id = 0;
  std::string status;          // running | done | failed | cancelled
  std::string stage;           // short name ("loading"); its text: StageCode (dedup_messages.h)
  MessageParams stage_params;  // live only (not stored): the stage text's parameters, e.g. detail
  std::optional<std::string> area_code;
  std::optional<std::int64_t> started_by_id;
  std::string started_by, started_at;
  std::optional<std::string> finished_at;
  std::int64_t records = 0, pairs_compared = 0, candidate_pairs = 0, matches = 0, review = 0, proposed = 0;
  double seconds = 0;
  std::optional<std::string> error;
  std::optional<std::int64_t> run_job_id;  // the jobs-table job that runs it
};

struct CandidateRow {
  std::int64_t id = 0, job_id = 0;
  std::int64_t person_a = 0, person_b = 0;  // person_a < person_b
  double weight = 0, probability = 0;
  std::string band;         // match | review
  std::string explanation;  // JSON
  std::string status;       // pending | confirming | confirmed | rejected
  std::optional<std::int64_t> change_request_id;
  std::optional<std::string> decided_by, decided_at, comment;
  std::string created_at;
};

struct NewCandidate {
  std::int64_t person_a = 0, person_b = 0;
  double weight = 0, probability = 0;
  std::string band, explanation;
};

struct ExternalListRow {
  std::int64_t id = 0;
  std::string name, programme;
  std::optional<std::string> area_code;
  std::string uploaded_by, uploaded_at;
  std::int64_t rows_total = 0, matched = 0;
};

struct ExternalMatch {
  std::int64_t person_id = 0;
  std::string external_id;
  double weight = 0;
};

// One person enrolled in two programmes that may not be combined.
struct ConflictRow {
  std::int64_t person_id = 0, household_id = 0;
  std::string household_ref, commune_code;
  std::optional<std::string> given_name_ar, family_name_ar, given_name_lat, family_name_lat, national_id, birth_date;
  bool registry_flag = false;             // the registry says the person receives the other allowance
  std::string first_programme_last_date;  // last benefit of the first programme (e.g. ASD)
  std::int64_t first_programme_count = 0;
  std::vector<std::string> lists;  // external lists naming the person
};

// The orders of the review queue (GET /api/v1/linkage/candidates?sort=): by score (the match weight)
// or by when the pair was proposed.
inline constexpr db::SortColumn kCandidateSorts[] = {{"score", "c.weight"}, {"created_at", "c.created_at"}};

class DedupStore {
 public:
  explicit DedupStore(db::Database& db) : db_(db) {}
  db::Database& db() { return db_; }

  // Adds the active persons of the scope (one query, fetched in column batches) to `builder` with
  // record id = person id and the given source tag. Returns the number of persons added.
  Result<std::size_t> LoadActivePersons(const registry::Scope& scope, std::uint8_t source,
                                        linkage::RecordStoreBuilder& builder);

  // ---- jobs ----
  Result<JobRow> InsertJob(db::Session& s, const JobRow& row);
  void SetRunJob(db::Session& s, std::int64_t id, std::int64_t run_job_id);
  Result<bool> SetRecords(std::int64_t id, std::int64_t records);
  // Jobs whose area the scope covers (a national job: national scopes only), newest first.
  Result<std::vector<JobRow>> ListJobs(int limit, const registry::Scope& scope);
  // nullopt when absent or outside the scope.
  Result<std::optional<JobRow>> GetJob(std::int64_t id, const registry::Scope& scope);
  // Sets status from 'running' to `status`; false when the job was not running.
  Result<bool> FinishJob(db::Session& s, const JobRow& row);
  Result<bool> FinishJob(const JobRow& row);

  // ---- review queue ----
  // Pairs never to propose again: "not duplicates", or "duplicates" whose merge request is not rejected.
  Result<std::set<std::pair<std::int64_t, std::int64_t>>> DecidedPairs();
  Result<std::set<std::pair<std::int64_t, std::int64_t>>> PendingPairs();
  // Of `ids`, those that are no longer active persons (merged, exited, deleted).
  std::set<std::int64_t> InactivePersons(db::Session& s, const std::vector<std::int64_t>& ids);
  void InsertCandidates(db::Session& s, std::int64_t job_id, const std::vector<NewCandidate>& rows,
                        const std::string& now);
  // status "all" lists every status. Pending candidates are listed only while both persons are active.
  // `sort`: a value of db::SortValues(kCandidateSorts); empty: the likeliest pairs first.
  Result<std::pair<std::vector<CandidateRow>, long long>> ListCandidates(const std::string& status,
                                                                         const registry::Scope& scope, int limit,
                                                                         int offset, std::string_view sort = "");
  // nullopt when absent or when either person lies outside the scope.
  Result<std::optional<CandidateRow>> GetCandidate(std::int64_t id, const registry::Scope& scope);
  // Moves a candidate from `from` to `to` status; false when it was not in `from`.
  Result<bool> SetCandidateStatus(std::int64_t id, const std::string& from, const std::string& to);
  // Records the decision on the candidate and the pair in one transaction.
  Result<CandidateRow> Decide(std::int64_t id, const std::string& from_status, const std::string& status,
                              const std::string& decision, std::optional<std::int64_t> change_request_id,
                              const registry::Actor& who, const std::string& comment, const std::string& now);

  // Moves a rejected candidate back to pending and removes the pair's not_duplicates decision that it
  // recorded, in one transaction. kConflict when it is no longer rejected or the pair is pending again.
  Result<CandidateRow> Reopen(std::int64_t id);

  // ---- external lists ----
  Result<ExternalListRow> InsertExternalList(const ExternalListRow& row, const std::vector<ExternalMatch>& matches);
  Result<std::vector<ExternalListRow>> ListExternalLists(const registry::Scope& scope);

  // ---- cross-programme check ----
  // Active persons of the scope receiving `programme` in the benefit ledger (on themselves or their
  // household) who also receive `other` (registry flag column `flag_column`, or an external list of
  // programme `other`).
  Result<std::pair<std::vector<ConflictRow>, long long>> Conflicts(const std::string& programme,
                                                                   const std::string& flag_column,
                                                                   const std::string& other,
                                                                   const registry::Scope& scope, int limit, int offset);

 private:
  db::Database& db_;
};

}  // namespace sanad::dedup
