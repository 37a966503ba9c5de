// SQL of case management (migration 0021): cases, their timeline (case_events), checklist answers,
// notes (confidential ones arrive sealed: this store never sees their text), shared access and
// transfers. Every read and every write is limited to what the caller may see, in the query itself: a
// case whose commune lies in the caller's area, or one they own or that was referred to them. Every
// write recomputes the derived stage (case_stage.h) in its own transaction.
//
// Thread safety: all methods may be called concurrently (each borrows its own session).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cases/case_stage.h"
#include "core/error.h"
#include "core/time.h"
#include "db/database.h"

namespace sanad::cases {

// Who reads or acts: their area (nullopt: national), the day that dates the area tree, their username.
struct Access {
  std::optional<std::string> area;
  std::string day;
  std::string username;
};

struct ProtocolItem {
  std::string code;
  bool required = true;
};

struct Protocol {
  std::string case_type;
  std::vector<ProtocolItem> items;
  std::int64_t version = 1;
  std::string updated_at, updated_by;
};

struct CaseRecord {
  std::int64_t id = 0;
  std::string case_type, origin;
  std::optional<std::string> origin_ref;
  std::string commune_code;
  std::optional<std::string> unit;
  std::string summary, status, stage, stage_since;
  std::optional<std::string> due_at;
  std::int64_t escalation_level = 0;
  std::string owner;
  std::optional<std::string> supervisor, transfer_to;
  std::optional<std::int64_t> person_id, household_id;
  std::optional<std::string> outcome;
  std::string opened_at, opened_by;
  std::int64_t version = 0;
  std::vector<std::string> shared_with;
};

// What a reporter may know of the case opened from their report: where it stands, nothing of its content.
struct CaseProgress {
  std::int64_t id = 0;
  std::string status, stage, stage_since;  // never the outcome: it may say what became of the person
};

struct CaseEvent {
  std::int64_t id = 0;
  std::string at, by, kind, details;  // details: JSON
};

struct CaseAnswer {
  std::string item, answer;
  std::optional<std::string> comment;
  std::string answered_at, answered_by;
};

struct CaseNote {
  std::int64_t id = 0;
  bool confidential = false;
  std::optional<std::string> topic, body, sealed;
  std::string written_at, written_by;
};

struct NewCase {
  std::string case_type, origin;
  std::optional<std::string> origin_ref;
  std::string commune_code;
  std::optional<std::string> unit;
  std::string summary;
  std::string owner;  // the caller unless assigned at once
  std::optional<std::string> supervisor;
};

struct CaseFilter {
  std::optional<std::string> status, case_type, unit, area, owner;
  bool overdue = false;
  std::size_t limit = 50, offset = 0;
};

// A child of compulsory-school age (6 to 15, law 04-00) whom the registry records as not in school.
struct DropoutCandidate {
  std::int64_t person_id = 0, household_id = 0;
  std::optional<std::string> given_name_ar, family_name_ar, given_name_lat, family_name_lat;
  std::string birth_date, schooling, commune_code;
  std::optional<std::int64_t> open_case_id;  // an open case already linked to the child or the household
};

class CaseStore {
 public:
  CaseStore(db::Database& db, DueRules rules = {}) : db_(db), rules_(rules) {}

  const DueRules& rules() const { return rules_; }

  Result<std::vector<Protocol>> Protocols();
  Result<std::optional<Protocol>> ProtocolOf(const std::string& case_type);
  // Replaces a type's checklist (its version goes up; open cases keep being judged by the current one).
  Result<Protocol> SetProtocol(const std::string& case_type, const std::vector<ProtocolItem>& items,
                               const std::string& now, const std::string& by);

  // Errors: kFailedPrecondition (the commune is outside the caller's area: they may not open it there).
  Result<std::int64_t> Open(const NewCase& c, const Access& who, TimePoint now);

  Result<std::optional<CaseRecord>> Get(std::int64_t id, const Access& who);
  // The case opened from the citizen report `report_ref` (its public id), if any. No access check: the
  // caller holds the report's tracking code, and the progress says nothing about anyone.
  Result<std::optional<CaseProgress>> ProgressOfReport(const std::string& report_ref);
  Result<std::pair<std::vector<CaseRecord>, long long>> List(const CaseFilter& f, const Access& who, TimePoint now);
  Result<std::vector<CaseEvent>> Events(std::int64_t id);
  Result<std::vector<CaseAnswer>> Answers(std::int64_t id);
  Result<std::vector<CaseNote>> Notes(std::int64_t id);

  // Every act below: kNotFound when the case is not visible to `who`, kFailedPrecondition when the act
  // does not fit the case's status (e.g. a service on a closed case); the event is written with the
  // caller's name and `details` (JSON, never a note's text), then the stage is derived again.
  Status Answer(std::int64_t id, const Access& who, const std::string& item, const std::string& answer,
                const std::optional<std::string>& comment, TimePoint now);
  // Acts that add one event: plan, service, referral, visit, link, shared, escalation… (`kind` names it).
  Status Record(std::int64_t id, const Access& who, const std::string& kind, const std::string& details, TimePoint now);
  Status Close(std::int64_t id, const Access& who, const std::string& outcome, TimePoint now);
  Status Reopen(std::int64_t id, const Access& who, const std::string& reason, TimePoint now);
  // Errors: kNotFound (no active user `owner`/`supervisor`).
  Status Assign(std::int64_t id, const Access& who, const std::string& owner,
                const std::optional<std::string>& supervisor, TimePoint now);
  Status Share(std::int64_t id, const Access& who, const std::string& username, TimePoint now);
  Status RequestTransfer(std::int64_t id, const Access& who, const std::string& to, TimePoint now);
  // Only the named receiver accepts; the owner becomes them. kFailedPrecondition when no transfer to
  // the caller is pending.
  Status AcceptTransfer(std::int64_t id, const Access& who, TimePoint now);
  Status Link(std::int64_t id, const Access& who, std::optional<std::int64_t> person_id,
              std::optional<std::int64_t> household_id, TimePoint now);
  // `sealed` is set (and `body` empty) for a confidential note.
  Result<std::int64_t> AddNote(std::int64_t id, const Access& who, bool confidential,
                               const std::optional<std::string>& topic, const std::optional<std::string>& body,
                               const std::optional<std::string>& sealed, TimePoint now);

  // Dropout candidates (issue 11 §5): active persons born in (today − 16 years, today − 6 years] whose
  // schooling is "none" or "out_of_school", in households whose commune lies in `who`'s area, oldest
  // record first. Reads the registry's persons and households (read only). `today` is YYYY-MM-DD.
  Result<std::vector<DropoutCandidate>> DropoutCandidates(const Access& who, const std::string& today,
                                                          std::size_t limit);

  // Raises the escalation of every open case whose deadline has passed (case_stage.h EscalationLevel),
  // with one "escalated" event each (to the supervisor, then to the regional coordinator). Returns the
  // number of cases escalated. `fence` runs first inside the transaction (the job's lease).
  Result<std::int64_t> Escalate(TimePoint now, const std::function<Status(db::Session&)>& fence = {});

 private:
  db::Database& db_;
  DueRules rules_;
};

}  // namespace sanad::cases
