#include "counselling/slots.h"

#include <algorithm>

namespace sanad::counselling {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using LocalDays = std::chrono::time_point<std::chrono::system_clock, days>;

// The local day as a count of days (the UTC instant shifted by the fixed offset).
LocalDays LocalDate(TimePoint t) { return std::chrono::floor<days>(t + kLocalOffset); }

std::string DayText(LocalDays d) {
  const std::chrono::year_month_day ymd{d};
  return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())}
      .ToString();
}

int Weekday(LocalDays d) { return static_cast<int>(std::chrono::weekday{d}.c_encoding()); }  // 0 = Sunday

// Every slot of one local day.
template <typename F>
void SlotsOfDay(const std::vector<Availability>& availability, LocalDays d, F&& each) {
  const int wd = Weekday(d);
  for (const auto& a : availability) {
    if (a.weekday != wd || AvailabilityFault(a)) continue;
    const int s = *ParseClock(a.starts), e = *ParseClock(a.ends);
    for (int m = s; m + a.slot_minutes <= e; m += a.slot_minutes) {
      const TimePoint start = TimePoint(d.time_since_epoch()) + minutes(m) - kLocalOffset;
      each(Slot{start, start + minutes(a.slot_minutes)});
    }
  }
}

}  // namespace

std::string LocalDay(TimePoint t) { return DayText(LocalDate(t)); }

std::vector<Slot> ComputeSlots(const std::vector<Availability>& availability,
                               const std::vector<std::string>& leave_days, const std::vector<TimePoint>& booked,
                               TimePoint from, TimePoint to, TimePoint not_before) {
  std::vector<Slot> out;
  if (to <= from) return out;
  for (LocalDays d = LocalDate(from); d <= LocalDate(to); d += days(1)) {
    if (std::find(leave_days.begin(), leave_days.end(), DayText(d)) != leave_days.end()) continue;
    SlotsOfDay(availability, d, [&](const Slot& s) {
      if (s.start < from || s.start >= to || s.start < not_before) return;
      if (std::find(booked.begin(), booked.end(), s.start) != booked.end()) return;
      out.push_back(s);
    });
  }
  std::sort(out.begin(), out.end(), [](const Slot& a, const Slot& b) { return a.start < b.start; });
  // Two overlapping availability lines may offer the same start: one slot.
  out.erase(std::unique(out.begin(), out.end(), [](const Slot& a, const Slot& b) { return a.start == b.start; }),
            out.end());
  return out;
}

bool IsSlotStart(const std::vector<Availability>& availability, const std::vector<std::string>& leave_days,
                 TimePoint start, Slot* out) {
  const LocalDays d = LocalDate(start);
  if (std::find(leave_days.begin(), leave_days.end(), DayText(d)) != leave_days.end()) return false;
  bool found = false;
  SlotsOfDay(availability, d, [&](const Slot& s) {
    if (!found && s.start == start) {
      found = true;
      if (out) *out = s;
    }
  });
  return found;
}

}  // namespace sanad::counselling
