// Alternative-care placements of a child of a case (issue 11 §5; docs/cases.md#placements): the kinds
// (foster family, kafala under law 15-01, institution) and the follow-up visit schedule. Pure
// functions: no SQL, no HTTP.
#pragma once

#include <limits>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace sanad::cases {

inline constexpr std::string_view kPlacementKinds[] = {"foster_family", "kafala", "institution"};
bool IsPlacementKind(std::string_view kind);

// The follow-up schedule: a visit every `every_days` while the placement is younger than `until_day`
// days (counted from its start to the last visit). The first six months are the fragile ones: a visit
// a month; afterwards one a quarter.
struct VisitInterval {
  int until_day;
  int every_days;
};
inline constexpr VisitInterval kVisitSchedule[] = {{180, 30}, {std::numeric_limits<int>::max(), 90}};

// The date the next visit is due: the schedule's interval after the last visit (or after the start
// when there has been none). A worker may ask for an earlier one (`requested`), never a later one.
Date NextVisitDue(Date start, std::optional<Date> last_visit, std::optional<Date> requested);

// Days from `a` to `b` (negative when b is before a) and `d` moved by `days`.
int DaysBetween(Date a, Date b);
Date AddDays(Date d, int days);

}  // namespace sanad::cases
