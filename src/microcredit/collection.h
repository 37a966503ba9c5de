// Collection tasks of officers on loans (issue 12 §3, docs/microcredit.md "Collection tasks"): a field
// visit, a phone call or a promise to pay. A promise is kept or broken according to the repayments
// actually received, computed here and never typed; the nightly job (kind `microcredit_collection`, on
// the job runner) proposes a field visit for every loan that has entered the 31–60 days bucket and has
// no open task. Rules here; SQL in MicrocreditStore (collection_store.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "jobs/exclusive_pass.h"
#include "microcredit/lifecycle.h"
#include "microcredit/microcredit_store.h"

namespace sanad::microcredit {

inline constexpr const char* kTaskKinds[] = {"field_visit", "phone_call", "promise_to_pay"};

// pending: the promised date has not passed and the amount is not yet received; kept: the repayments
// from the day the promise was made up to the promised date (inclusive) reach the amount; broken: the
// promised date has passed without that.
std::string PromiseState(std::int64_t promised_minor, const std::string& made_on, const std::string& promised_on,
                         const std::vector<Repayment>& repayments, const std::string& as_of);

// A loan due a proposed field visit: in the 31–60 days bucket on `as_of`, and the day it entered it.
struct EnteredBucket {
  std::int64_t loan_id = 0;
  int days_in_arrears = 0;
  std::string entered_on;  // as_of − (days − 31)
};
std::vector<EnteredBucket> LoansIn31To60(const PortfolioData& data, const std::string& as_of);

struct NewTask {
  std::string kind;
  std::optional<std::string> assigned_to;
  std::string due_on;
  std::optional<std::int64_t> promised_minor;
  std::optional<std::string> promised_on;
};

// A task as shown: the loan's days in arrears today and, for a promise, its state.
struct TaskView {
  CollectionTask task;
  int days_in_arrears = 0;
  std::optional<std::string> promise_state;
};

class Collection {
 public:
  Collection(MicrocreditStore& store, Lifecycle& life) : store_(store), life_(life) {}
  // Errors: the loan not found in scope (404), not active (409), bad fields (400/422 naming them).
  Result<TaskView> Add(std::int64_t loan_id, const NewTask& in, const Actor& who);
  Result<std::vector<TaskView>> OfLoan(std::int64_t loan_id, const Actor& who);
  // Tasks of the caller's area: `mine` = assigned to the caller or to nobody.
  Result<std::pair<std::vector<TaskView>, std::int64_t>> List(bool mine, const std::optional<std::string>& state,
                                                              int limit, int offset, const Actor& who);
  Result<TaskView> Close(std::int64_t task_id, const std::string& outcome, const Actor& who);

 private:
  Result<std::vector<TaskView>> Views(std::vector<CollectionTask> tasks, const Actor& who);
  MicrocreditStore& store_;
  Lifecycle& life_;
};

// The nightly proposal as a job: one pass queued or running at a time (exclusive key), fenced by the
// job's lease so that one server applies it; idempotent (a second pass the same day proposes nothing).
class CollectionProposals final : public jobs::ExclusivePass {
 public:
  static constexpr const char* kJobKind = "microcredit_collection";
  CollectionProposals(MicrocreditStore& store, jobs::JobStore& jobs, const Clock& clock)
      : ExclusivePass(jobs, clock, kJobKind, "microcredit.collection_busy"), store_(store) {}
  // {"as_of", "in_bucket", "proposed"}.
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  MicrocreditStore& store_;
};

}  // namespace sanad::microcredit
