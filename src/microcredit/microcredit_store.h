// SQL of micro-credit (migration 0022): applications with their committee scores, the loans disbursed
// with their instalments and repayments, the yearly quotas, and the portfolio read as columns for the
// ageing engine (portfolio.h). Every read and every write names the caller's area scope, applied in
// the query itself (db::AreaScopeSql over the application's or the loan's commune).
#pragma once

#include <cstdint>
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

// Grouping of the portfolio report.
enum class GroupBy { kWilaya, kCommune, kProduct, kCohort, kSex };

struct PortfolioData {
  std::vector<std::string> group_names;  // index = group number in columns.group
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
  // Quota of `area` for `year`, and the applications counted against it (not ineligible, not rejected,
  // not waiting) in that area that year.
  Result<std::optional<std::int64_t>> Quota(std::int64_t year, const std::string& area);
  Result<std::int64_t> CountedApplications(std::int64_t year, const std::string& area_column, const std::string& area);
  Status SetQuota(std::int64_t year, const std::string& area, std::int64_t projects, const std::string& now,
                  const std::string& by);

  Result<Application> InsertApplication(const Application& a);
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
  // Loans of `scope` disbursed on or before `as_of`, with their instalments and repayments, as columns.
  // Streams up to five reads at once, each on its own pooled connection (db::CopyRows; docs/microcredit.md
  // "Benchmark"); with a smaller pool they run in turn.
  Result<PortfolioData> Portfolio(const Scope& scope, const std::string& as_of, GroupBy by);

 private:
  db::Database& db_;
};

}  // namespace sanad::microcredit
