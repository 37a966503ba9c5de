// Funding calls and applications (issue 13 §2, docs/empowerment.md §Funding calls and applications):
// every step asks the pure engines (call.h for the call and eligibility, application_state.h for each
// transition, funding.h for points, scores, allocation and the envelope) and writes through the stores'
// compare-and-set, so the API, her public page and the committee page share one path.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "empowerment/application_store.h"
#include "empowerment/call.h"
#include "empowerment/call_store.h"
#include "empowerment/registration_store.h"

namespace sanad::empowerment {

// Who acts, when, and within which area (nullopt: national; the public path has no scope of its own).
struct Acting {
  std::string who;
  ReadScope scope;
  std::string now;  // timestamp
};

struct CallView {
  CallRow row;
  std::vector<Application> applications;  // those in the reader's area
  Allocation trial;                       // of the shortlisted, scored ones over what remains of the envelope
};

struct Detail {
  Application application;
  Call call;
  std::vector<StoredReview> reviews;
  std::vector<Tranche> tranches;
  std::vector<AppEvent> events;
};

// What her status page shows of one application: the stage, never scores or minutes.
struct PublicApplication {
  std::int64_t id = 0;
  Call call;
  AppState state = AppState::kDraft;
  long long requested_minor = 0;
  std::optional<long long> approved_minor;
  std::optional<std::string> public_note, submitted_at;
  std::vector<std::string> reasons;  // ineligibility reasons (message codes)
  int tranches = 0, tranches_paid = 0;
};

struct ReviewInput {
  bool conflict_of_interest = false;
  std::vector<std::pair<std::string, int>> points;
  std::optional<std::string> comment;
};

struct DecisionInput {
  AppState decision = AppState::kApproved;  // approved | rejected | deferred
  std::optional<long long> amount_minor;
  std::optional<std::string> reason, minutes, public_note;
};

class ApplicationService {
 public:
  // Whether she completed a session of `topic` on or before `day`: TrainingStore::HasCompletedTraining,
  // handed over by the application (the trainings module builds on this one, not the other way).
  using TrainingCheck =
      std::function<Result<bool>(std::int64_t registration_id, const std::string& topic, const std::string& day)>;

  ApplicationService(CallStore& calls, ApplicationStore& apps, RegistrationStore& registrations)
      : calls_(calls), apps_(apps), registrations_(registrations) {}
  void SetTrainingCheck(TrainingCheck check) { training_ = std::move(check); }

  // Errors: CheckCall's, "empowerment.region_outside_scope" (404), call_code_taken (409).
  Result<std::int64_t> CreateCall(Call c, const Acting& a);
  Status UpdateCall(Call c, const Acting& a);
  Result<CallView> ViewCall(std::int64_t id, const ReadScope& scope);

  // A draft for her registration: her file complete, her commune in the call's region, before the call
  // closes, 1..envelope requested. Staff (in scope) or her, by code.
  Result<std::int64_t> Apply(std::int64_t call_id, std::int64_t registration_id, long long requested_minor,
                             const std::string& summary, const Acting& a);
  Result<std::int64_t> ApplyByCode(const std::string& typed_code, const std::string& call_code,
                                   long long requested_minor, const std::string& summary, const Acting& a);
  Result<std::vector<PublicApplication>> Mine(const std::string& typed_code);
  Result<std::vector<Call>> OpenCalls(const std::string& typed_code, const std::string& day);
  Status SubmitByCode(const std::string& typed_code, std::int64_t id, const Acting& a);

  Result<Detail> Read(std::int64_t id, const ReadScope& scope);
  // draft | awaiting_information → submitted, on a day the call is open ("empowerment.call_closed").
  Status Submit(std::int64_t id, const Acting& a);
  // submitted → eligible | ineligible with the unmet conditions as reasons.
  Result<AppState> CheckEligibility(std::int64_t id, const Acting& a);
  // The other staff transitions (awaiting_information, shortlisted, not_retained, monitoring,
  // completed, abandoned, withdrawn).
  Status Transition(std::int64_t id, AppState to, const std::optional<std::string>& reason,
                    const std::optional<std::string>& public_note, const Acting& a);
  // A reviewer's points or conflict of interest; scored once ApplicationScore has enough reviews.
  Result<AppState> AddReview(std::int64_t id, const ReviewInput& in, const Acting& a);
  // One member proposes; another confirms (four eyes); approvals within the envelope.
  Status Propose(std::int64_t id, const DecisionInput& in, const Acting& a);
  Result<AppState> Confirm(std::int64_t id, const Acting& a);
  Status SignAgreement(std::int64_t id, const std::vector<TranchePlan>& tranches, const Acting& a);
  // Tranche `n`'s milestone declared met: paid on `day`, in the benefit ledger when she is linked to a
  // registry person. Returns the state after (funded, or monitoring after the last tranche). A tranche
  // that requires a training is refused until she has completed it (422
  // "empowerment.tranche_training_required" {n, topic}), changing nothing.
  Result<AppState> PayTranche(std::int64_t id, int n, const std::string& day, const Acting& a);

 private:
  Result<Application> Load(std::int64_t id, const ReadScope& scope);
  Result<StoredRegistration> ByCode(const std::string& typed_code);
  Result<long long> Committed(std::int64_t call_id);
  // TrainingCheck's answer; without one (a wiring error) every training condition fails closed (500).
  Result<bool> CompletedTraining(std::int64_t registration_id, const std::string& topic, const std::string& day);
  Status Move(const Application& current, const Application& next, const Acting& a, TransitionInput in,
              const std::optional<std::string>& note = std::nullopt);

  CallStore& calls_;
  ApplicationStore& apps_;
  RegistrationStore& registrations_;
  TrainingCheck training_;
};

}  // namespace sanad::empowerment
