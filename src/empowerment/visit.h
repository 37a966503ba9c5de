// Accompaniment and monitoring visits of the empowerment platform (issue 13 §3, §4;
// docs/empowerment.md#visits), as pure rules: reading a visit from a request, and the monitoring
// milestones 6, 12 and 24 months after the day her activity started.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time.h"

namespace sanad::empowerment {

inline constexpr int kMonitoringMonths[] = {6, 12, 24};

struct Visit {
  std::string kind;  // accompaniment | monitoring
  std::string visited_on;
  std::string visitor;
  std::optional<std::string> notes, next_step, next_step_due;
  std::optional<int> milestone_months;      // monitoring
  std::optional<bool> activity_running;     // monitoring
  std::optional<long long> monthly_income;  // monitoring, minor units
  std::optional<long long> jobs_created;    // monitoring
};

// Every bad field named at once: 422 `empowerment.visit_invalid`. A next step comes with its due day
// (not before the visit); a monitoring visit names its milestone (6, 12 or 24) and whether the activity
// is running; an accompaniment visit has no monitoring figures.
Result<Visit> ReadVisit(const nlohmann::json& body);

struct MonitoringDue {
  int months = 0;
  std::string due;  // YYYY-MM-DD
};

// The milestones of `started_on` whose due day is before `as_of` and that no monitoring visit in
// `done` (their milestone months) has covered.
std::vector<MonitoringDue> OverdueMonitoring(const Date& started_on, const std::vector<int>& done, const Date& as_of);

}  // namespace sanad::empowerment
