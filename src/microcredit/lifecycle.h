// The life of a micro-credit (docs/microcredit.md "Lifecycle"): application by an officer with its
// eligibility against the registry (age, residence, no earlier business-creation aid — the benefit
// ledger and earlier loans of the same person found through record linkage) and the yearly quotas →
// training → committee scores and decision (four eyes) → disbursement (loans, schedules, benefit-ledger
// lines) → repayments entered or imported → closure, or write-off. Rules here; SQL in MicrocreditStore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "microcredit/microcredit_store.h"
#include "microcredit/portfolio.h"

namespace sanad::microcredit {

struct Actor {
  std::string username;
  Scope scope;        // the caller's area, dated today
  std::string now;    // timestamp
  std::string today;  // YYYY-MM-DD
};

struct ApplyInput {
  std::int64_t person_id = 0;
  std::string product;
  std::int64_t amount_minor = 0;
  std::string applied_on;
  std::string activity;
  bool training_required = false;
};

// Programmes of the benefit ledger that are business-creation aid (decree 04-15: no earlier aid).
// ANGEM lines written by this module are read through the loans instead (a repaid loan allows a new one).
const std::vector<std::string>& BusinessCreationProgrammes();

// One instalment of a loan as of a date.
struct InstalmentView {
  LoanInstalment instalment;
  InstalmentAgeing ageing;
};
struct LoanView {
  Loan loan;
  std::string as_of;
  std::vector<InstalmentView> instalments;
  LoanAgeing ageing;
  int bucket = 0;
};

struct ImportLine {
  long line = 0;
  std::int64_t loan_id = 0;
  std::string paid_on, reference;
  std::int64_t amount_minor = 0;
};

struct QualityRow {
  std::string group;
  QualityFigures figures;
};
struct PortfolioReport {
  std::string as_of;
  std::vector<QualityRow> groups;
  QualityFigures total;
};

class Lifecycle {
 public:
  explicit Lifecycle(MicrocreditStore& store) : store_(store) {}

  // Errors: kNotFound (person outside scope), kInvalidArgument / kFailedPrecondition (product, amount
  // over the ceiling for the applicant's wilaya). An ineligible or over-quota application is recorded
  // with its reasons (state ineligible / waiting_quota), not refused.
  Result<Application> Apply(const ApplyInput& in, const Actor& who);
  Result<Application> Get(std::int64_t id, const Actor& who);
  Result<Application> RecordTraining(std::int64_t id, std::int64_t sessions, bool completed, const Actor& who);
  // A committee member's score (0..20) of a submitted application.
  Status Score(std::int64_t id, std::int64_t score, const std::string& comment, const Actor& who);
  // Approve or reject with minutes; by a member other than the officer who entered it, with at least one
  // score, and (approval) the training completed when it was required.
  Result<Application> Decide(std::int64_t id, bool approve, const std::string& minutes, const Actor& who);
  // The loans of an approved application (PNR: one ANGEM loan; triangular: the bank and the ANGEM loans).
  Result<std::vector<std::int64_t>> Disburse(std::int64_t id, const std::string& disbursed_on, const Actor& who);
  Result<LoanView> LoanOn(std::int64_t loan_id, const std::string& as_of, const Actor& who);
  Status Repay(std::int64_t loan_id, const std::string& paid_on, std::int64_t amount_minor,
               const std::string& reference, const Actor& who);
  // A bank or post-office statement (CSV: loan_id,paid_on,amount,reference; amount in dinars with up
  // to two decimals): every line checked first; any bad line refuses the whole file with one problem per
  // bad line ("line N"), nothing written. Returns the lines applied.
  Result<std::vector<ImportLine>> ImportRepayments(const std::string& csv, const Actor& who);
  Result<bool> WriteOff(std::int64_t loan_id, const std::string& on, const Actor& who);
  // Rescheduling: an officer asks to spread what remains unpaid over `instalments` monthly instalments
  // (1..60) from `first_due_on` (not before today); a committee member other than the requester approves
  // (the paid part of the old schedule is kept, the rest replaced: docs/microcredit.md) or rejects.
  Result<Reschedule> RequestReschedule(std::int64_t loan_id, std::int64_t instalments, const std::string& first_due_on,
                                       const std::string& reason, const Actor& who);
  Result<bool> DecideReschedule(std::int64_t loan_id, bool approve, const Actor& who);
  Result<PortfolioReport> Portfolio(const std::string& as_of, GroupBy by, const Actor& who);

 private:
  Status CheckRepayment(const Loan& loan, const std::string& paid_on, std::int64_t amount_minor,
                        const std::string& reference, const Actor& who, const std::string& field_prefix);
  MicrocreditStore& store_;
};

}  // namespace sanad::microcredit
