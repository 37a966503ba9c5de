// The stage of a case, derived from what has been recorded (never set by hand), its deadline and the
// escalation it calls for (docs/cases.md). Pure functions over plain values: no SQL, no HTTP. The store
// calls DeriveStage inside every write transaction and stores the result beside the events, so the
// overdue list, the timers and the timeline always agree with the data.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace sanad::cases {

// What the case is waiting for: intake (the assessment has not begun), assessment (the checklist is
// incomplete), plan (assessed, no plan yet), services (a plan, no service or referral yet), follow_up
// (services given: visits due), closed.
enum class Stage { kIntake, kAssessment, kPlan, kServices, kFollowUp, kClosed };
std::string_view StageName(Stage s);

// The case types of issue 11 §3.
inline constexpr std::string_view kCaseTypes[] = {"elderly_person",      "homeless_person",        "child_at_risk",
                                                  "woman_in_difficulty", "person_with_disability", "family_in_crisis"};
bool IsCaseType(std::string_view t);

// One recorded act that moves a case: kinds "answer", "plan", "service", "referral", "visit",
// "closed", "reopened" (others — notes, assignment — do not change the stage).
struct Fact {
  std::string kind;
  TimePoint at;
};

struct CaseFacts {
  TimePoint opened_at;
  bool closed = false;
  std::vector<Fact> facts;  // in the order recorded
  // The checklist: when each required item of the protocol was last answered (nullopt: not answered).
  std::vector<std::optional<TimePoint>> required_answers;
};

struct DerivedStage {
  Stage stage = Stage::kIntake;
  TimePoint since;  // when the case entered the stage
};

DerivedStage DeriveStage(const CaseFacts& f);

// How long each open stage may last before the case is overdue, and how long after that an overdue
// case goes up from the supervisor to the regional coordinator.
struct DueRules {
  std::chrono::hours intake{48};
  std::chrono::hours assessment{7 * 24};
  std::chrono::hours plan{14 * 24};
  std::chrono::hours services{30 * 24};
  std::chrono::hours follow_up{30 * 24};  // between two follow-up visits
  std::chrono::hours to_coordinator{3 * 24};
};

// The deadline of the stage; nullopt for a closed case.
std::optional<TimePoint> DueAt(const DerivedStage& d, const DueRules& rules);

// 0 while not overdue, 1 (the supervisor) once past `due`, 2 (the regional coordinator) once past
// due + rules.to_coordinator.
int EscalationLevel(std::optional<TimePoint> due, TimePoint now, const DueRules& rules);

}  // namespace sanad::cases
