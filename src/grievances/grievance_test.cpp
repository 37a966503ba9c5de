// The grievance state machine, the SLA deadlines, the appeal window and the four-eyes rule
// (docs/grievances.md; issue 11 §6).
#include "grievances/grievance.h"

#include <gtest/gtest.h>

namespace sanad::grievances {
namespace {

TimePoint At(const char* ts) { return *ParseTimestamp(ts); }

ActFacts Facts(std::string status, std::optional<std::string> actor = "coord",
               TimePoint now = At("2026-03-01T00:00:00Z")) {
  return ActFacts{std::move(status), std::nullopt, std::nullopt, std::move(actor), now};
}

TEST(GrievanceStates, TheHappyPathGoesReceivedReviewResolvedAppealedDecidedClosed) {
  EXPECT_EQ(*Apply(Act::kReview, Facts("received")), "under_review");
  EXPECT_EQ(*Apply(Act::kResolve, Facts("under_review")), "resolved");
  EXPECT_EQ(*Apply(Act::kResolve, Facts("received")), "resolved");  // a simple one needs no review step
  auto f = Facts("resolved", std::nullopt, At("2026-03-10T00:00:00Z"));
  f.resolved_at = "2026-03-01T00:00:00.000000Z";
  f.resolved_by = "coord";
  EXPECT_EQ(*Apply(Act::kAppeal, f), "appealed");
  auto d = Facts("appealed", "other");
  d.resolved_by = "coord";
  EXPECT_EQ(*Apply(Act::kDecideAppeal, d), "appeal_decided");
  EXPECT_EQ(*Apply(Act::kClose, Facts("appeal_decided")), "closed");
}

TEST(GrievanceStates, ActsThatDoNotFitTheStatusAreRefused) {
  for (const char* s : {"under_review", "resolved", "appealed", "appeal_decided", "closed"})
    EXPECT_EQ(Apply(Act::kReview, Facts(s)).error().reason, "grievance.bad_transition") << s;
  for (const char* s : {"resolved", "appealed", "appeal_decided", "closed"})
    EXPECT_EQ(Apply(Act::kResolve, Facts(s)).error().reason, "grievance.bad_transition") << s;
  for (const char* s : {"received", "under_review", "appealed", "closed"})
    EXPECT_EQ(Apply(Act::kAppeal, Facts(s)).error().reason, "grievance.bad_transition") << s;
  EXPECT_EQ(Apply(Act::kDecideAppeal, Facts("resolved")).error().reason, "grievance.bad_transition");
  EXPECT_EQ(Apply(Act::kClose, Facts("received")).error().reason, "grievance.bad_transition");
  EXPECT_EQ(Apply(Act::kClose, Facts("closed")).error().code, Code::kFailedPrecondition);
}

TEST(GrievanceStates, AnAppealIsAcceptedUntilThirtyDaysAfterTheResolution) {
  auto f = Facts("resolved", std::nullopt);
  f.resolved_at = "2026-03-01T10:00:00.000000Z";
  f.now = At("2026-03-31T10:00:00Z");  // exactly 30 days: still in time
  EXPECT_TRUE(Apply(Act::kAppeal, f).has_value());
  f.now = At("2026-03-31T10:00:01Z");
  EXPECT_EQ(Apply(Act::kAppeal, f).error().reason, "grievance.appeal_window_closed");
}

TEST(GrievanceStates, TheAppealIsDecidedByAnotherPersonThanTheResolver) {
  auto f = Facts("appealed", "coord");
  f.resolved_by = "coord";
  EXPECT_EQ(Apply(Act::kDecideAppeal, f).error().reason, "grievance.four_eyes");
  f.actor = std::nullopt;  // never the citizen
  EXPECT_EQ(Apply(Act::kDecideAppeal, f).error().reason, "grievance.four_eyes");
  f.actor = "coord2";
  EXPECT_TRUE(Apply(Act::kDecideAppeal, f).has_value());
}

TEST(GrievanceStates, AResolvedGrievanceClosesOnlyOnceItCanNoLongerBeAppealed) {
  auto f = Facts("resolved");
  f.resolved_at = "2026-03-01T00:00:00.000000Z";
  f.now = At("2026-03-20T00:00:00Z");
  EXPECT_EQ(Apply(Act::kClose, f).error().reason, "grievance.appeal_pending_window");
  f.now = At("2026-04-01T00:00:00Z");
  EXPECT_EQ(*Apply(Act::kClose, f), "closed");
}

TEST(GrievanceSla, DefaultsPerCategoryAndDeadlinesInCalendarDays) {
  // docs/grievances.md#sla: a missing payment is answered within 7 days, an exclusion error within 30.
  int payment = 0, exclusion = 0;
  for (const auto& c : kDefaultSla) {
    if (c.category == "payment_not_received") payment = c.days;
    if (c.category == "exclusion_error") exclusion = c.days;
  }
  EXPECT_EQ(payment, 7);
  EXPECT_EQ(exclusion, 30);
  EXPECT_EQ(FormatTimestamp(DueAt(At("2026-02-25T09:00:00Z"), 7)), "2026-03-04T09:00:00.000000Z");
  EXPECT_TRUE(SlaRuns("received"));
  EXPECT_TRUE(SlaRuns("appealed"));
  EXPECT_FALSE(SlaRuns("resolved"));
  EXPECT_FALSE(SlaRuns("closed"));
}

TEST(GrievanceFiling, EveryInvalidFieldIsNamedAtOnce) {
  Filing f;
  f.channel = "web";
  f.category = "bribe";
  f.complainant_phone = "12ab";
  f.national_id = "AB-12";
  auto st = Validate(f, true);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(st.error().reason, "form.invalid");
  std::vector<std::string> fields;
  for (const auto& p : st.error().problems) fields.push_back(p.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"category", "description", "commune_code", "complainant_phone", "national_id"}));
}

TEST(GrievanceFiling, AWorkerGivesOneLinkOrAnArea) {
  Filing f;
  f.channel = "counter";
  f.category = "wrong_amount";
  f.description = "Montant réduit sans explication";
  EXPECT_EQ(Validate(f, false).error().problems.at(0).reason, "grievance.area_required");
  f.payment_id = 4;
  EXPECT_TRUE(Validate(f, false).has_value());
  f.case_id = 9;
  EXPECT_EQ(Validate(f, false).error().problems.at(0).reason, "grievance.one_link");
  f.case_id.reset();
  f.payment_id.reset();
  f.programme = "ASD";
  EXPECT_EQ(Validate(f, false).error().problems.at(0).field, "household_id");
  f.household_id = 3;
  EXPECT_TRUE(Validate(f, false).has_value());
  f.channel = "email";
  EXPECT_EQ(Validate(f, false).error().problems.at(0).field, "channel");
}

}  // namespace
}  // namespace sanad::grievances
