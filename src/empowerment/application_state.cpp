#include "empowerment/application_state.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sanad::empowerment {
namespace {

using S = AppState;

constexpr std::array<std::pair<S, std::string_view>, 18> kNames{{
    {S::kDraft, "draft"},
    {S::kSubmitted, "submitted"},
    {S::kAwaitingInformation, "awaiting_information"},
    {S::kEligible, "eligible"},
    {S::kIneligible, "ineligible"},
    {S::kUnderReview, "under_review"},
    {S::kScored, "scored"},
    {S::kShortlisted, "shortlisted"},
    {S::kNotRetained, "not_retained"},
    {S::kApproved, "approved"},
    {S::kRejected, "rejected"},
    {S::kDeferred, "deferred"},
    {S::kAgreementSigned, "agreement_signed"},
    {S::kFunded, "funded"},
    {S::kMonitoring, "monitoring"},
    {S::kCompleted, "completed"},
    {S::kAbandoned, "abandoned"},
    {S::kWithdrawn, "withdrawn"},
}};

constexpr std::array<S, 18> kAll{
    S::kDraft,           S::kSubmitted,   S::kAwaitingInformation, S::kEligible,  S::kIneligible, S::kUnderReview,
    S::kScored,          S::kShortlisted, S::kNotRetained,         S::kApproved,  S::kRejected,   S::kDeferred,
    S::kAgreementSigned, S::kFunded,      S::kMonitoring,          S::kCompleted, S::kAbandoned,  S::kWithdrawn};

// The allowed transitions besides withdrawal (below).
constexpr std::pair<S, S> kEdges[] = {
    {S::kDraft, S::kSubmitted},
    {S::kSubmitted, S::kAwaitingInformation},
    {S::kAwaitingInformation, S::kSubmitted},
    {S::kSubmitted, S::kEligible},
    {S::kSubmitted, S::kIneligible},
    {S::kEligible, S::kUnderReview},
    {S::kUnderReview, S::kScored},
    {S::kScored, S::kShortlisted},
    {S::kScored, S::kNotRetained},
    {S::kShortlisted, S::kApproved},
    {S::kShortlisted, S::kRejected},
    {S::kShortlisted, S::kDeferred},
    {S::kDeferred, S::kShortlisted},  // back to a later committee session
    {S::kApproved, S::kAgreementSigned},
    {S::kAgreementSigned, S::kFunded},
    {S::kFunded, S::kMonitoring},
    {S::kMonitoring, S::kCompleted},
    {S::kFunded, S::kAbandoned},
    {S::kMonitoring, S::kAbandoned},
};

bool CommitteeDecision(S to) { return to == S::kApproved || to == S::kRejected || to == S::kDeferred; }
bool NeedsReason(S to) {
  return to == S::kIneligible || to == S::kRejected || to == S::kDeferred || to == S::kNotRetained ||
         to == S::kAbandoned;
}
bool Blank(const std::optional<std::string>& s) { return !s || s->find_first_not_of(" \t\n") == std::string::npos; }

}  // namespace

std::string_view AppStateName(AppState s) {
  for (const auto& [state, name] : kNames)
    if (state == s) return name;
  return "unknown";
}

std::optional<AppState> ParseAppState(std::string_view name) {
  for (const auto& [state, n] : kNames)
    if (n == name) return state;
  return std::nullopt;
}

std::span<const AppState> AllAppStates() { return kAll; }

bool IsFinal(AppState s) {
  return s == S::kIneligible || s == S::kNotRetained || s == S::kRejected || s == S::kCompleted || s == S::kAbandoned ||
         s == S::kWithdrawn;
}

Status CheckTransition(AppState from, AppState to, const TransitionInput& in) {
  const bool edge = std::any_of(std::begin(kEdges), std::end(kEdges),
                                [&](const auto& e) { return e.first == from && e.second == to; });
  // She may withdraw at any time until her application has ended.
  const bool withdrawal = to == S::kWithdrawn && !IsFinal(from);
  if (!edge && !withdrawal) {
    return Failure(Code::kFailedPrecondition, "empowerment.transition_not_allowed",
                   {{"from", std::string(AppStateName(from))}, {"to", std::string(AppStateName(to))}}, "state");
  }
  if (NeedsReason(to) && Blank(in.reason)) {
    return Failure(Code::kFailedPrecondition, "field.required", {{"field", "reason"}}, "reason");
  }
  if (CommitteeDecision(to)) {
    if (Blank(in.minutes))
      return Failure(Code::kFailedPrecondition, "field.required", {{"field", "minutes"}}, "minutes");
    if (Blank(in.proposed_by))
      return Failure(Code::kFailedPrecondition, "field.required", {{"field", "proposed_by"}}, "proposed_by");
    // Four eyes: a committee decision is proposed by one member and confirmed by another.
    if (*in.proposed_by == in.actor) return Failure(Code::kFailedPrecondition, "empowerment.four_eyes", {}, "actor");
  }
  if (to == S::kApproved) {
    if (!in.amount_minor || *in.amount_minor <= 0) {
      return Failure(Code::kFailedPrecondition, "field.required", {{"field", "amount_minor"}}, "amount_minor");
    }
    if (in.requested_minor && *in.amount_minor > *in.requested_minor) {
      return Failure(Code::kFailedPrecondition, "empowerment.amount_over_request",
                     {{"amount", std::to_string(*in.amount_minor)}, {"requested", std::to_string(*in.requested_minor)}},
                     "amount_minor");
    }
  }
  return Ok();
}

}  // namespace sanad::empowerment
