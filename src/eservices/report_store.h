// SQL of e-service reports, their notes, the mobile social units and the per-service deadlines
// (migrations/0020_eservices.sql). Every read and decision on a report carries the caller's Access and
// is filtered by it IN the query: a member of a unit sees its unit's reports; other staff see reports
// of communes within their area (db/area_scope.h).
//
// Thread safety: all methods may be called concurrently (each borrows its own session).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "eservices/dispatch.h"
#include "eservices/report.h"

namespace sanad::eservices {

// Who reads or decides: their account, whether they see beyond their own units (every staff role but
// mobile_unit does), and their area scope on a day.
struct Access {
  std::int64_t user_id = 0;
  bool area_wide = false;
  std::optional<std::string> area;  // nullopt: national
  std::string day;                  // YYYY-MM-DD
};

// A report as it is about to be stored; the store adds the probable-duplicate link.
struct NewReport {
  Report report;
  std::string tracking_hash;
};

class ReportStore {
 public:
  explicit ReportStore(db::Database& db) : db_(db) {}

  // Deadlines of a service. Errors: kNotFound.
  Result<AckPolicy> Policy(const std::string& service);
  Result<void> SetPolicy(const std::string& service, const AckPolicy& p, const std::string& now, const std::string& by);

  // Stores a report in one transaction, linked as a probable duplicate (never dropped) when one of the
  // last 100 reports of the same service and commune received within kDuplicateWindow before its
  // created_at is the same place or person (ProbableDuplicate): to the first report of that one's
  // chain. Returns the stored report (id, duplicate_of). Errors: the database's.
  Result<Report> Insert(NewReport r);
  // The same for several reports in one transaction, in order (a report sees the earlier ones of its
  // batch as possible duplicates): one durable commit for all (group commit). All or none.
  Result<std::vector<Report>> InsertBatch(std::vector<NewReport>& batch);

  // Public reads: by the tracking code's hash, by the Open311 id. No access check: the code is the key.
  Result<std::optional<Report>> ByTrackingHash(const std::string& hash);
  Result<std::optional<Report>> ByPublicId(const std::string& public_id);
  Result<std::optional<Report>> Get(std::int64_t id, const Access& a);

  // Open reports (not closed) of a unit / a counsellor pool within the access, most urgent first
  // (danger, then the nearest deadline).
  Result<std::vector<Report>> UnitQueue(std::int64_t unit_id, const Access& a, int limit);
  Result<std::vector<Report>> PoolQueue(const std::string& pool, const Access& a, int limit);
  // Unacknowledged reports whose deadline has passed (escalated or about to be), oldest deadline first.
  Result<std::vector<Report>> Overdue(const Access& a, const std::string& now, int limit);

  // received → acknowledged, once. false when the report was already acknowledged. Errors: kNotFound
  // outside the access.
  Result<bool> Acknowledge(std::int64_t id, const Access& a, const std::string& now, const std::string& by);
  // Moves a report to `status` (kStatuses); `case_ref` with case_opened. Acknowledges it too when it was
  // not. Once a case was opened from it, only case_opened again (its case then tells where it stands).
  // Errors: kNotFound outside the access, kFailedPrecondition (eservice.report_follows_case).
  Result<Report> SetStatus(std::int64_t id, const Access& a, const std::string& status,
                           const std::optional<std::string>& case_ref, const std::string& now, const std::string& by);
  Result<Note> AddNote(std::int64_t id, const Access& a, bool is_public, const std::string& body,
                       const std::string& now, const std::string& by);
  Result<std::vector<Note>> Notes(std::int64_t report_id, bool public_only);

  // Marks every unacknowledged report whose deadline passed before `now` as escalated (once each).
  // Idempotent: running it twice, or on two servers, escalates nothing twice. Returns how many.
  Result<long long> Escalate(const std::string& now);

  // Units: every unit (dispatch), one, the units of an account.
  Result<std::vector<Unit>> Units();
  Result<std::optional<Unit>> GetUnit(std::int64_t id);
  Result<std::vector<std::int64_t>> UnitsOf(std::int64_t user_id);
  // Errors: kAlreadyExists (code taken), kInvalidArgument (unknown member), the database's.
  Result<Unit> CreateUnit(const Unit& u, const std::vector<std::string>& members, const std::string& now,
                          const std::string& by);

 private:
  db::Database& db_;
};

}  // namespace sanad::eservices
