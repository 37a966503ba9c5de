// A funding call of the empowerment platform (issue 13 §2, docs/empowerment.md §Funding calls): per
// region and year, an envelope in the region's currency, the days applications are submitted, who may
// apply and the rubric reviewers score. Its checks and the eligibility of a registration, pure: no SQL,
// no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "empowerment/funding.h"
#include "empowerment/registration.h"

namespace sanad::empowerment {

// Who may apply: a structured equivalent of a rule (docs/empowerment.md says why not the rule
// language). Empty lists admit every kind / situation; with situations, she needs at least one of them.
struct Eligibility {
  std::vector<std::string> kinds;            // kKinds
  std::vector<std::string> situations;       // kSituations
  int min_age = kMinAge, max_age = kMaxAge;  // on the day she applies
  // A training topic (kTrainingTopics) she must have completed by the day she submitted (issue 13 §3:
  // attendance as an eligibility condition); nullopt: none required.
  std::optional<std::string> requires_training;
};

struct Call {
  std::int64_t id = 0;
  std::string code, name_ar, name_fr, name_en;
  std::string region_code;
  int year = 0;
  std::string currency;  // MAD | DZD: CurrencyOfRegion
  long long envelope_minor = 0;
  std::string opens_at, closes_at;  // YYYY-MM-DD, both included
  Eligibility eligibility;
  std::vector<Criterion> rubric;
  std::string created_at, created_by, updated_at;
  std::int64_t version = 0;
};

// MAD for a Moroccan region (MA-…), DZD for an Algerian one (DZ-…); nullopt otherwise.
std::optional<std::string> CurrencyOfRegion(const std::string& region_code);

// A call is usable: code and names given, year 2000..2100, envelope > 0, opens_at ≤ closes_at (dates),
// eligibility values known and ages within the registration bounds, the rubric (CheckRubric). Errors:
// kFailedPrecondition "empowerment.call_invalid" with one problem per bad field.
Status CheckCall(const Call& call);

// Whether `day` (YYYY-MM-DD) lies within the call's submission days.
bool IsOpen(const Call& call, const std::string& day);

// What keeps a registration from a call on `day`, one problem per unmet condition (empty: eligible):
// her file incomplete ("empowerment.file_incomplete"), her commune outside the call's region
// ("empowerment.outside_region"), her kind ("empowerment.kind_not_eligible"), none of the situations
// ("empowerment.situation_not_eligible"), her age ("empowerment.age_not_eligible"), the training the
// call requires not completed ("empowerment.training_required" {topic}; `training_completed` is the
// answer of TrainingStore::HasCompletedTraining, true when the call requires none).
std::vector<Problem> EligibilityProblems(const Call& call, const Registration& r, bool file_complete,
                                         bool commune_in_region, const std::string& day,
                                         bool training_completed = true);

// Whether `topic` is a training topic (kTrainingTopics, training.h).
bool IsTrainingTopic(const std::string& topic);

struct TranchePlan {
  std::string milestone;
  long long planned_minor = 0;
  // A tranche-release condition: released only once she has completed a session of this topic.
  std::optional<std::string> requires_training;
};

// An agreement's tranches: 1 to 12, each with a milestone and an amount > 0, summing to the amount
// approved, a training condition naming a known topic. Errors: kFailedPrecondition
// "empowerment.tranches_invalid" with the problems ("empowerment.tranches_sum" {sum, approved} when they do
// not add up).
Status CheckTranches(const std::vector<TranchePlan>& tranches, long long approved_minor);

}  // namespace sanad::empowerment
