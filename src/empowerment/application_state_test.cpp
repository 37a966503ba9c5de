// The funding application's state machine (issue 13 §2): allowed paths, reasons, committee decisions
// with minutes and four eyes, amounts within the request, withdrawal until the end.
#include "empowerment/application_state.h"

#include <gtest/gtest.h>

namespace sanad::empowerment {
namespace {

using S = AppState;

TEST(ApplicationState, NamesRoundTrip) {
  for (S s : AllAppStates()) EXPECT_EQ(ParseAppState(AppStateName(s)), s);
  EXPECT_FALSE(ParseAppState("paid"));
}

TEST(ApplicationState, FollowsTheWholePathToCompletion) {
  TransitionInput committee{.reason = std::nullopt,
                            .amount_minor = 3'000'000,
                            .requested_minor = 3'500'000,
                            .minutes = "PV 2026-12",
                            .proposed_by = "member1",
                            .actor = "member2"};
  const S path[] = {S::kDraft,           S::kSubmitted,   S::kAwaitingInformation,
                    S::kSubmitted,       S::kEligible,    S::kUnderReview,
                    S::kScored,          S::kShortlisted, S::kApproved,
                    S::kAgreementSigned, S::kFunded,      S::kMonitoring,
                    S::kCompleted};
  for (std::size_t i = 1; i < std::size(path); ++i) {
    EXPECT_TRUE(CheckTransition(path[i - 1], path[i], committee))
        << AppStateName(path[i - 1]) << " → " << AppStateName(path[i]);
  }
}

TEST(ApplicationState, RefusesSkippingAStep) {
  auto r = CheckTransition(S::kSubmitted, S::kApproved, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "empowerment.transition_not_allowed");
  EXPECT_FALSE(CheckTransition(S::kEligible, S::kScored, {}));
  EXPECT_FALSE(CheckTransition(S::kCompleted, S::kMonitoring, {}));
}

TEST(ApplicationState, AnIneligibilityNeedsItsReason) {
  auto r = CheckTransition(S::kSubmitted, S::kIneligible, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "reason");
  EXPECT_TRUE(CheckTransition(S::kSubmitted, S::kIneligible, {.reason = "outside the region"}));
}

TEST(ApplicationState, ACommitteeDecisionNeedsMinutesAndTwoPeople) {
  TransitionInput in{.amount_minor = 1000, .requested_minor = 1000, .minutes = "PV", .proposed_by = "a", .actor = "a"};
  auto same = CheckTransition(S::kShortlisted, S::kApproved, in);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().reason, "empowerment.four_eyes");
  in.actor = "b";
  EXPECT_TRUE(CheckTransition(S::kShortlisted, S::kApproved, in));
  in.minutes.reset();
  EXPECT_EQ(CheckTransition(S::kShortlisted, S::kApproved, in).error().field, "minutes");
}

TEST(ApplicationState, AnApprovalGrantsAtMostWhatWasRequested) {
  TransitionInput in{.amount_minor = 2000, .requested_minor = 1000, .minutes = "PV", .proposed_by = "a", .actor = "b"};
  auto r = CheckTransition(S::kShortlisted, S::kApproved, in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "empowerment.amount_over_request");
  in.amount_minor = 0;
  EXPECT_EQ(CheckTransition(S::kShortlisted, S::kApproved, in).error().field, "amount_minor");
}

TEST(ApplicationState, SheMayWithdrawUntilTheEnd) {
  for (S s : AllAppStates()) {
    EXPECT_EQ(static_cast<bool>(CheckTransition(s, S::kWithdrawn, {})), !IsFinal(s)) << AppStateName(s);
  }
}

TEST(ApplicationState, ADeferredApplicationReturnsToALaterSession) {
  EXPECT_TRUE(CheckTransition(S::kShortlisted, S::kDeferred,
                              {.reason = "missing quote", .minutes = "PV", .proposed_by = "a", .actor = "b"}));
  EXPECT_TRUE(CheckTransition(S::kDeferred, S::kShortlisted, {}));
}

}  // namespace
}  // namespace sanad::empowerment
