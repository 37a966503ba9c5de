#include "cases/case_stage.h"

#include <algorithm>

namespace sanad::cases {

std::string_view StageName(Stage s) {
  switch (s) {
    case Stage::kIntake:
      return "intake";
    case Stage::kAssessment:
      return "assessment";
    case Stage::kPlan:
      return "plan";
    case Stage::kServices:
      return "services";
    case Stage::kFollowUp:
      return "follow_up";
    case Stage::kClosed:
      return "closed";
  }
  return "intake";
}

bool IsCaseType(std::string_view t) {
  return std::find(std::begin(kCaseTypes), std::end(kCaseTypes), t) != std::end(kCaseTypes);
}

DerivedStage DeriveStage(const CaseFacts& f) {
  std::optional<TimePoint> last_reopened, last_closed, first_answer, last_plan, last_service_or_visit;
  bool any_service = false;
  for (const auto& e : f.facts) {
    if (e.kind == "reopened") last_reopened = e.at;
    if (e.kind == "closed") last_closed = e.at;
    if (e.kind == "answer" && (!first_answer || e.at < *first_answer)) first_answer = e.at;
    if (e.kind == "plan") last_plan = e.at;
    if (e.kind == "service" || e.kind == "referral") any_service = true;
    // A follow-up visit restarts the follow-up clock; so does each further service.
    if ((e.kind == "service" || e.kind == "referral" || e.kind == "visit") &&
        (!last_service_or_visit || e.at > *last_service_or_visit))
      last_service_or_visit = e.at;
  }
  if (f.closed) return {Stage::kClosed, last_closed.value_or(f.opened_at)};

  bool complete = true;
  std::optional<TimePoint> completed_at;
  for (const auto& a : f.required_answers) {
    if (!a) {
      complete = false;
      break;
    }
    if (!completed_at || *a > *completed_at) completed_at = *a;
  }
  DerivedStage d;
  if (any_service) {
    d = {Stage::kFollowUp, *last_service_or_visit};
  } else if (last_plan) {
    d = {Stage::kServices, *last_plan};
  } else if (complete && completed_at) {
    d = {Stage::kPlan, *completed_at};
  } else if (first_answer) {
    d = {Stage::kAssessment, *first_answer};
  } else {
    d = {Stage::kIntake, f.opened_at};
  }
  // A reopened case starts its stage's clock again from the reopening.
  if (last_reopened && *last_reopened > d.since) d.since = *last_reopened;
  return d;
}

std::optional<TimePoint> DueAt(const DerivedStage& d, const DueRules& rules) {
  switch (d.stage) {
    case Stage::kIntake:
      return d.since + rules.intake;
    case Stage::kAssessment:
      return d.since + rules.assessment;
    case Stage::kPlan:
      return d.since + rules.plan;
    case Stage::kServices:
      return d.since + rules.services;
    case Stage::kFollowUp:
      return d.since + rules.follow_up;
    case Stage::kClosed:
      return std::nullopt;
  }
  return std::nullopt;
}

int EscalationLevel(std::optional<TimePoint> due, TimePoint now, const DueRules& rules) {
  if (!due || now <= *due) return 0;
  if (now <= *due + rules.to_coordinator) return 1;
  return 2;
}

}  // namespace sanad::cases
