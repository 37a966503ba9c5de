// Stage derivation, deadlines and escalation levels of cases (issue 11 §3, docs/cases.md): the stage
// follows what has been recorded, never a field set by hand.
#include "cases/case_stage.h"

#include <gtest/gtest.h>

namespace sanad::cases {
namespace {

using namespace std::chrono_literals;

TimePoint T(int hours) { return TimePoint{} + std::chrono::hours(24 * 20000 + hours); }

CaseFacts Opened(int required_items = 2) {
  CaseFacts f;
  f.opened_at = T(0);
  f.required_answers.assign(static_cast<std::size_t>(required_items), std::nullopt);
  return f;
}

TEST(CaseStage, ANewCaseIsInIntakeDueInTwoDays) {
  const auto d = DeriveStage(Opened());
  EXPECT_EQ(d.stage, Stage::kIntake);
  EXPECT_EQ(d.since, T(0));
  EXPECT_EQ(DueAt(d, {}), T(48));
}

TEST(CaseStage, APartialChecklistIsAssessmentAndACompleteOneAwaitsThePlan) {
  auto f = Opened();
  f.facts.push_back({"answer", T(5)});
  f.required_answers[0] = T(5);
  auto d = DeriveStage(f);
  EXPECT_EQ(d.stage, Stage::kAssessment);
  EXPECT_EQ(d.since, T(5));
  f.facts.push_back({"answer", T(9)});
  f.required_answers[1] = T(9);
  d = DeriveStage(f);
  EXPECT_EQ(d.stage, Stage::kPlan);
  EXPECT_EQ(d.since, T(9));  // the moment the last required item was answered
}

TEST(CaseStage, PlanThenServiceThenVisitsRestartTheFollowUpClock) {
  auto f = Opened(0);
  f.facts.push_back({"plan", T(10)});
  EXPECT_EQ(DeriveStage(f).stage, Stage::kServices);
  f.facts.push_back({"referral", T(20)});
  auto d = DeriveStage(f);
  EXPECT_EQ(d.stage, Stage::kFollowUp);
  EXPECT_EQ(d.since, T(20));
  f.facts.push_back({"visit", T(100)});
  d = DeriveStage(f);
  EXPECT_EQ(d.since, T(100));
  EXPECT_EQ(DueAt(d, {}), T(100 + 30 * 24));
}

TEST(CaseStage, AClosedCaseHasNoDeadlineAndAReopenedOneRestartsItsStage) {
  auto f = Opened(0);
  f.facts.push_back({"plan", T(10)});
  f.facts.push_back({"closed", T(30)});
  f.closed = true;
  auto d = DeriveStage(f);
  EXPECT_EQ(d.stage, Stage::kClosed);
  EXPECT_EQ(d.since, T(30));
  EXPECT_FALSE(DueAt(d, {}).has_value());
  f.closed = false;
  f.facts.push_back({"reopened", T(500)});
  d = DeriveStage(f);
  EXPECT_EQ(d.stage, Stage::kServices);
  EXPECT_EQ(d.since, T(500));
}

TEST(CaseStage, OverdueGoesToTheSupervisorThenTheRegionalCoordinator) {
  const DueRules rules;
  const auto due = std::optional<TimePoint>(T(48));
  EXPECT_EQ(EscalationLevel(due, T(48), rules), 0);
  EXPECT_EQ(EscalationLevel(due, T(49), rules), 1);
  EXPECT_EQ(EscalationLevel(due, T(48 + 72), rules), 1);
  EXPECT_EQ(EscalationLevel(due, T(48 + 73), rules), 2);
  EXPECT_EQ(EscalationLevel(std::nullopt, T(10000), rules), 0);
}

TEST(CaseStage, KnowsTheSixCaseTypes) {
  EXPECT_TRUE(IsCaseType("child_at_risk"));
  EXPECT_TRUE(IsCaseType("family_in_crisis"));
  EXPECT_FALSE(IsCaseType("stray_dog"));
  EXPECT_EQ(StageName(Stage::kFollowUp), "follow_up");
}

}  // namespace
}  // namespace sanad::cases
