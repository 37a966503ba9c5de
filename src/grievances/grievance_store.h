// SQL of grievances (migration 0029): filing with its link resolved and checked, the public read by
// tracking code, the staff reads and acts within the caller's area IN the queries, the SLA table and
// the escalation pass of overdue grievances. Reads the registry's households, the payments, the cycle
// entries and the cases only to resolve and scope a link (read only).
//
// Thread safety: all methods may be called concurrently (each borrows its own session).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "db/database.h"
#include "grievances/grievance.h"

namespace sanad::grievances {

// Who reads or acts: their area (nullopt: national), the day that dates the area tree, their username.
struct Access {
  std::optional<std::string> area;
  std::string day;
  std::string username;
};

struct Grievance {
  std::int64_t id = 0;
  std::string channel, category, description;
  std::optional<std::string> complainant_name, complainant_phone, national_id, household_ref, payment_reference;
  std::string link_kind;
  std::optional<std::string> programme;
  std::optional<std::int64_t> cycle_id, household_id, payment_id, case_id;
  std::string commune_code, status;
  std::int64_t sla_days = 0;
  std::optional<std::string> due_at, escalated_at;
  std::string filed_at;
  std::optional<std::string> filed_by, reviewer, resolved_at, resolved_by, outcome, resolution, internal_note,
      appealed_at, appealed_by, appeal_reason, appeal_decided_at, appeal_decided_by, appeal_outcome, appeal_decision,
      closed_at, closed_by;
  std::int64_t version = 0;
};

struct GrievanceEvent {
  std::int64_t id = 0;
  std::string at;
  std::optional<std::string> by;
  std::string kind, details;  // details: JSON
};

struct GrievanceFilter {
  std::optional<std::string> status, category, area, channel;
  bool overdue = false;
  std::size_t limit = 50, offset = 0;
};

// What an act carries: the outcome and public text (resolve, decide appeal), a staff note (resolve),
// the reason (appeal).
struct ActInput {
  std::optional<std::string> outcome, text, internal_note;
};

class GrievanceStore {
 public:
  explicit GrievanceStore(db::Database& db) : db_(db) {}

  // The SLA in force per category, in kDefaultSla order.
  Result<std::vector<std::pair<std::string, int>>> Slas();
  // Errors: kNotFound (not a category).
  Status SetSla(const std::string& category, int days, const std::string& now, const std::string& by);

  // Stores a validated filing (Validate) with its link resolved: a payment (id or end-to-end id), a
  // case, a programme decision (the household's entry in the programme's cycle, or the household) or a
  // household; its commune becomes the grievance's area, else the commune given. `who` is the worker
  // (nullopt: the citizen, whose household reference links only when it exists, silently otherwise).
  // Errors: kFailedPrecondition "grievance.link_not_found" naming the field when the target does not
  // exist or lies outside the worker's area (the same answer: no probing of other areas),
  // "field.not_a_commune".
  Result<Grievance> File(const Filing& f, const std::optional<Access>& who, const std::string& code_hash,
                         TimePoint now);

  // Public read by the tracking code's hash: no access check, the code is the key.
  Result<std::optional<Grievance>> ByCodeHash(const std::string& hash);
  Result<std::optional<Grievance>> Get(std::int64_t id, const Access& who);
  Result<std::pair<std::vector<Grievance>, long long>> List(const GrievanceFilter& f, const Access& who, TimePoint now);
  Result<std::vector<GrievanceEvent>> Events(std::int64_t id);

  // Applies an act (grievance.h Apply) in one transaction with its event. `who` nullopt: the citizen
  // appealing by code (`id` found by ByCodeHash). Errors: kNotFound outside the access, Apply's.
  Result<Grievance> Act(std::int64_t id, const std::optional<Access>& who, grievances::Act act, const ActInput& in,
                        TimePoint now);

  // Marks every grievance whose current deadline passed before `now` as escalated, once per deadline,
  // with an "escalated" event each. `fence` runs first inside the transaction (the job's lease).
  // Idempotent. Returns how many.
  Result<long long> Escalate(TimePoint now, const std::function<Status(db::Session&)>& fence = {});

 private:
  db::Database& db_;
};

}  // namespace sanad::grievances
