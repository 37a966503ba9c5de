#include "cases/placement_schedule.h"

#include <algorithm>
#include <chrono>

namespace sanad::cases {
namespace {

std::chrono::sys_days Days(Date d) {
  return std::chrono::sys_days(
      std::chrono::year_month_day(std::chrono::year(d.year), std::chrono::month(d.month), std::chrono::day(d.day)));
}

}  // namespace

bool IsPlacementKind(std::string_view kind) {
  return std::find(std::begin(kPlacementKinds), std::end(kPlacementKinds), kind) != std::end(kPlacementKinds);
}

int DaysBetween(Date a, Date b) { return static_cast<int>((Days(b) - Days(a)).count()); }

Date AddDays(Date d, int days) {
  const std::chrono::year_month_day ymd(Days(d) + std::chrono::days(days));
  return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

Date NextVisitDue(Date start, std::optional<Date> last_visit, std::optional<Date> requested) {
  const Date from = last_visit.value_or(start);
  const int age = DaysBetween(start, from);
  int every = kVisitSchedule[std::size(kVisitSchedule) - 1].every_days;
  for (const auto& step : kVisitSchedule) {
    if (age < step.until_day) {
      every = step.every_days;
      break;
    }
  }
  const Date scheduled = AddDays(from, every);
  if (requested && *requested < scheduled) return *requested;
  return scheduled;
}

}  // namespace sanad::cases
