// SQL of micro-credit (migration 0022): applications with their committee scores, the loans disbursed
// with their instalments and repayments, the yearly quotas, and the portfolio read as columns for the
// ageing engine (portfolio.h). Every read and every write names the caller's area scope, applied in
// the query itself (db::AreaScopeSql over the application's or the loan's commune).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "microcredit/portfolio.h"
#include "microcredit/same_person.h"

namespace sanad::microcredit {

// The reader's area: nullopt is national. `day` (YYYY-MM-DD) dates the area tree.
struct Scope {
  std::optional<std::string> area;
  std::string day;
};

// What eligibility needs of the applicant, read from the registry.
struct Applicant {
  PersonForMatch person;
  std::string status;        // active | exited | merged ("" = active)
  std::string commune_code;  // the household's commune ("" = none)
  std::string wilaya_code;   // its wilaya on the application date
};

struct ReasonRow {
  std::string reason;
  std::vector<std::pair<std::string, std::string>> params;
};

struct Application {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string commune_code, wilaya_code, product;
  std::int64_t amount_minor = 0;
  std::string applied_on, activity, state;
  std::vector<ReasonRow> reasons;
  bool training_required = false;
  std::int64_t training_sessions = 0;
  bool training_completed = false;
  std::optional<std::string> decision_minutes, decided_by, decided_at;
  std::string created_by, created_at;
};

struct Score {
  std::string member;
  std::int64_t score = 0;
  std::string comment, scored_at;
};

struct LoanInstalment {
  std::int64_t n = 0;
  std::string due_on;
  std::int64_t principal_minor = 0;
};

struct Repayment {
  std::int64_t id = 0;
  std::int64_t loan_id = 0;
  std::string paid_on;
  std::int64_t amount_minor = 0;
  std::string reference, source, recorded_by, recorded_at;
};

struct Loan {
  std::int64_t id = 0;
  std::int64_t application_id = 0;
  std::int64_t person_id = 0;
  std::string product, lender;
  std::int64_t principal_minor = 0;
  std::string currency, disbursed_on, commune_code, wilaya_code;
  std::optional<std::string> sex;
  std::string state;  // active | closed | written_off
  std::optional<std::string> closed_on, written_off_on;
  std::vector<LoanInstalment> instalments;
  std::vector<Repayment> repayments;
};

// A loan to write at disbursement, with its schedule.
struct NewLoan {
  std::string lender;
  std::int64_t principal_minor = 0;
  std::vector<LoanInstalment> instalments;
};

// Earlier aid or loans of candidate persons, for eligibility.
struct EarlierAid {
  std::int64_t person_id = 0;
  std::string kind;  // loan | benefit
  std::string what;  // the loan's state, or the benefit's programme
  std::string date;
  std::int64_t ref = 0;  // loan id or benefit id
};

struct Reschedule {
  std::int64_t id = 0;
  std::int64_t loan_id = 0;
  std::int64_t instalments = 0;
  std::string first_due_on, reason, state, requested_by, requested_at;
  std::optional<std::string> decided_by, decided_at;
};

// A citizen's public pre-registration (preregistration.h).
struct PreRegistration {
  std::int64_t id = 0;
  std::optional<std::string> given_name_ar, family_name_ar, given_name_lat, family_name_lat;
  std::string birth_date, national_id, sex, wilaya_code, commune_code, phone;
  std::optional<std::string> education;
  std::string product, project_idea;
  std::int64_t estimated_cost_minor = 0;
  std::vector<ReasonRow> preview;  // empty: nothing seen against eligibility
  std::string status;              // received | converted | rejected
  std::optional<std::int64_t> application_id;
  std::optional<std::string> application_state;  // the converted application's state
  std::optional<std::string> reject_reason, decided_by;
  std::string created_at, updated_at;
};

// An officer's collection task on a loan (collection.h).
struct CollectionTask {
  std::int64_t id = 0;
  std::int64_t loan_id = 0;
  std::string kind;  // field_visit | phone_call | promise_to_pay
  std::optional<std::string> assigned_to;
  std::string due_on, state;  // open | done
  std::optional<std::string> outcome;
  std::optional<std::int64_t> promised_amount_minor;
  std::optional<std::string> promised_on;
  std::string source, created_by, created_at;
  std::optional<std::string> closed_by, closed_at;
  std::string commune_code;  // the loan's (read, not stored)
};

// Reasons as stored (JSON [{"reason","params"}]) and back.
std::string ReasonsToJson(const std::vector<ReasonRow>& reasons);
std::vector<ReasonRow> ReasonsFromJson(const std::string& text);

// Grouping of the portfolio report.
enum class GroupBy { kWilaya, kCommune, kProduct, kCohort, kSex };

struct PortfolioData {
  std::vector<std::string> group_names;  // index = group number in columns.group
  std::vector<std::int64_t> loan_ids;    // index = loan number in the columns
  PortfolioColumns columns;
};

class MicrocreditStore {
 public:
  explicit MicrocreditStore(db::Database& db) : db_(db) {}

  // The person with their household's commune and its wilaya on `day`, if in `scope`.
  Result<std::optional<Applicant>> ApplicantOf(std::int64_t person_id, const std::string& day, const Scope& scope);
  // Candidates for "the same person": persons other than `person_id` with a loan not closed, or a
  // business-creation aid in the benefit ledger (`programmes`), born within a year of `birth_date` or
  // holding `national_id` (national: an earlier loan anywhere counts).
  Result<std::vector<PersonForMatch>> EarlierBorrowerCandidates(std::int64_t person_id, const std::string& birth_date,
                                                                const std::string& national_id,
                                                                const std::vector<std::string>& programmes);
  // Loans not closed and ledger lines of `programmes` (ANGEM lines written by this module excepted) of
  // the given persons.
  Result<std::vector<EarlierAid>> EarlierAidOf(const std::vector<std::int64_t>& persons,
                                               const std::vector<std::string>& programmes);
  Status SetQuota(std::int64_t year, const std::string& area, std::int64_t projects, const std::string& now,
                  const std::string& by);

  Result<Application> InsertApplication(const Application& a);
  // Inserts a submitted application unless the yearly quota of its wilaya or of its commune is reached
  // (the applications submitted, approved or disbursed there in `year`): then it is inserted as
  // waiting_quota with the reason. The check and the insert are one transaction holding the quota
  // rows' lock, so that two applications at once cannot both take the last place.
  Result<Application> InsertWithinQuotas(const Application& a, std::int64_t year);
  Result<std::optional<Application>> GetApplication(std::int64_t id, const Scope& scope);
  Result<std::vector<Application>> ListApplications(const Scope& scope, const std::optional<std::string>& state,
                                                    int limit, int offset);
  // Sets the training figures of an application in `scope` still before its decision.
  Result<bool> SetTraining(std::int64_t id, std::int64_t sessions, bool completed);
  Status UpsertScore(std::int64_t application_id, const Score& s);
  Result<std::vector<Score>> Scores(std::int64_t application_id);
  // Moves the application from `from` to `to` with the decision fields; false when it was not in `from`.
  Result<bool> Decide(std::int64_t id, const std::string& from, const std::string& to, const std::string& minutes,
                      const std::string& by, const std::string& at);
  // Writes the loans with their instalments, one benefit-ledger line per loan, and marks the application
  // disbursed, in one transaction; fails with kConflict when it is no longer approved.
  Result<std::vector<std::int64_t>> Disburse(const Application& a, const std::vector<NewLoan>& loans,
                                             const std::string& disbursed_on, const std::optional<std::string>& sex,
                                             const std::string& now, const std::string& by);

  Result<std::optional<Loan>> GetLoan(std::int64_t id, const Scope& scope);
  Result<std::vector<std::int64_t>> LoansOfApplication(std::int64_t application_id);
  // Records the repayments all or nothing (kAlreadyExists on a reference seen before: nothing written),
  // then closes each loan whose repayments reach its principal (closed_on: the last repayment's date).
  Status AddRepayments(const std::vector<Repayment>& rows);
  Result<bool> WriteOff(std::int64_t loan_id, const std::string& on);
  // A pending rescheduling request; kConflict when the loan already has one pending.
  Result<Reschedule> InsertReschedule(const Reschedule& r);
  Result<std::optional<Reschedule>> PendingReschedule(std::int64_t loan_id);
  // Decides the pending request; when approved, replaces the loan's instalments by `kept` (what is paid
  // of the old schedule) followed by `added`, in one transaction. False when it was no longer pending.
  Result<bool> DecideReschedule(std::int64_t id, std::int64_t loan_id, bool approve, const std::string& by,
                                const std::string& at, const std::vector<LoanInstalment>& schedule);
  // Loans of `scope` disbursed on or before `as_of`, with their instalments (from the packed schedules) and
  // their repayments up to `as_of` summed per loan (each sum dated `as_of`), as columns. Streams up to three
  // reads at once, each on its own pooled connection (db::CopyRows; docs/microcredit.md "Benchmark"); with
  // a smaller pool they run in turn.
  Result<PortfolioData> Portfolio(const Scope& scope, const std::string& as_of, GroupBy by);

  // Pre-registrations (preregistration_store.cpp). The wilaya of a commune on `day`; nullopt when the
  // code is no commune that day.
  Result<std::optional<std::string>> WilayaOfCommune(const std::string& commune, const std::string& day);
  Result<std::int64_t> InsertPreRegistration(const PreRegistration& p, const std::string& code_hash);
  Result<std::optional<PreRegistration>> PreRegistrationByCode(const std::string& code_hash);
  Result<std::optional<PreRegistration>> GetPreRegistration(std::int64_t id, const Scope& scope);
  // A page of the pre-registrations of `scope` (newest first) and how many there are.
  Result<std::pair<std::vector<PreRegistration>, std::int64_t>> ListPreRegistrations(
      const Scope& scope, const std::optional<std::string>& status, int limit, int offset);
  // received → converted (false when it was not received); Release undoes it when no application came
  // of it; Link records the application made.
  Result<bool> ClaimPreRegistration(std::int64_t id, const std::string& by, const std::string& at);
  Status ReleasePreRegistration(std::int64_t id, const std::string& at);
  Status LinkPreRegistration(std::int64_t id, std::int64_t application_id);
  Result<bool> RejectPreRegistration(std::int64_t id, const std::string& reason, const std::string& by,
                                     const std::string& at);
  // Officers' notes on a pre-registration of `scope` (false: not found there); `public_only` for the citizen.
  struct PreNote {
    std::int64_t id = 0;
    bool is_public = false;
    std::string body, written_by, written_at;
  };
  Result<bool> AddPreRegistrationNote(std::int64_t id, const Scope& scope, bool is_public, const std::string& body,
                                      const std::string& by, const std::string& at);
  Result<std::vector<PreNote>> PreRegistrationNotes(std::int64_t id, bool public_only);

  // Collection tasks (collection_store.cpp). Reads and writes name the caller's scope over the loan's
  // commune.
  Result<CollectionTask> InsertTask(const CollectionTask& t);
  Result<std::vector<CollectionTask>> TasksOfLoan(std::int64_t loan_id);
  Result<std::pair<std::vector<CollectionTask>, std::int64_t>> ListTasks(const Scope& scope,
                                                                         const std::optional<std::string>& mine,
                                                                         const std::optional<std::string>& state,
                                                                         int limit, int offset);
  Result<std::optional<CollectionTask>> GetTask(std::int64_t id, const Scope& scope);
  // open → done with the outcome; false when it was not open.
  Result<bool> CloseTask(std::int64_t id, const std::string& outcome, const std::string& by, const std::string& at);
  // The nightly proposal: a field visit due `due_on` for each loan of `loans` (loan id, the day it entered
  // the 31–60 bucket) that has no open task and no proposal made since it entered the bucket, in one
  // transaction checked by `fence`. Returns how many were written.
  Result<std::int64_t> ProposeFieldVisits(const std::vector<std::pair<std::int64_t, std::string>>& loans,
                                          const std::string& due_on, const std::string& now,
                                          const std::function<Status(db::Session&)>& fence);

  // Borrowers whose business is taken as active (docs/affiliation.md "Micro-credit borrowers"): active
  // registry persons with a loan of `scope` disbursed and active or fully repaid (closed), and no loan
  // written off. One row per person, with the person's phone beside the fields linkage compares.
  struct Borrower {
    PersonForMatch person;
    std::string phone;
  };
  Result<std::vector<Borrower>> ActiveBorrowers(const Scope& scope);

 private:
  // Writes a loan's instalment rows and its packed copy (packed_schedule.h), in the caller's transaction:
  // the one place a schedule is written (disbursement, rescheduling).
  static void WriteSchedule(db::Session& s, std::int64_t loan_id, const std::vector<LoanInstalment>& schedule);

  db::Database& db_;
};

}  // namespace sanad::microcredit
