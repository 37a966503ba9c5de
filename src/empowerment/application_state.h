// The funding application's state machine (issue 13 §2, docs/empowerment.md §Applications): one table of
// allowed transitions that every path (API, committee session, tranche payment) asks before it writes.
// Pure: no SQL, no HTTP.
//
//   draft → submitted → awaiting_information ↔ submitted → eligible | ineligible (reason)
//   eligible → under_review (reviewers score the rubric) → scored → shortlisted | not_retained
//   shortlisted → approved (amount) | rejected | deferred (committee; four eyes) ; deferred → shortlisted
//   approved → agreement_signed → funded (tranches) → monitoring → completed | abandoned
//   withdrawn: by her, from any state before agreement_signed, and from the states after it but completed.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sanad::empowerment {

enum class AppState {
  kDraft,
  kSubmitted,
  kAwaitingInformation,
  kEligible,
  kIneligible,
  kUnderReview,
  kScored,
  kShortlisted,
  kNotRetained,
  kApproved,
  kRejected,
  kDeferred,
  kAgreementSigned,
  kFunded,
  kMonitoring,
  kCompleted,
  kAbandoned,
  kWithdrawn,
};

std::string_view AppStateName(AppState s);
std::optional<AppState> ParseAppState(std::string_view name);
std::span<const AppState> AllAppStates();

// Whether the state ends the application (nothing follows it).
bool IsFinal(AppState s);

// What a transition needs beyond the states: the reason of an ineligibility, the amount of an
// approval, the committee's minutes, and who proposed the decision (four eyes).
struct TransitionInput {
  std::optional<std::string> reason;         // ineligible, rejected, deferred, not_retained, abandoned
  std::optional<long long> amount_minor;     // approved: > 0 and ≤ requested_minor
  std::optional<long long> requested_minor;  // the amount she asked for
  std::optional<std::string> minutes;        // committee decisions
  std::optional<std::string> proposed_by;    // committee decisions: who proposed
  std::string actor;                         // who confirms now
};

// Checks the transition `from` → `to` with its input. Errors: kFailedPrecondition
// "empowerment.transition_not_allowed" {from, to}; kFailedPrecondition "field.required" naming the
// missing reason / amount / minutes; "empowerment.amount_over_request"; "empowerment.four_eyes" when
// the user confirming a committee decision is the one who proposed it.
Status CheckTransition(AppState from, AppState to, const TransitionInput& in);

}  // namespace sanad::empowerment
