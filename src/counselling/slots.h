// Bookable slots of a counsellor (docs/counselling.md#slots), without SQL or HTTP: the weekly
// availability cut into slots in local time (Morocco and Algeria keep UTC+1 all year: no daylight
// saving, the same fixed offset eservices' shifts use), minus leave days, live bookings and the past.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/time.h"
#include "counselling/counselling.h"

namespace sanad::counselling {

inline constexpr std::chrono::minutes kLocalOffset{60};  // UTC+1 (Africa/Casablanca, Africa/Algiers)

struct Slot {
  TimePoint start, end;  // UTC
};

// The local calendar date (YYYY-MM-DD) of an instant.
std::string LocalDay(TimePoint t);

// Every slot of `availability` starting in [from, to), except on `leave_days` (local dates), those
// starting before `not_before` (now) and those whose start is in `booked` (UTC starts of live
// bookings). A line's slots run from its start while a whole slot fits before its end. Sorted by start.
std::vector<Slot> ComputeSlots(const std::vector<Availability>& availability,
                               const std::vector<std::string>& leave_days, const std::vector<TimePoint>& booked,
                               TimePoint from, TimePoint to, TimePoint not_before);

// True when `start` begins one of the counsellor's slots (availability, not a leave day). Bookings
// and the past are the caller's to check.
bool IsSlotStart(const std::vector<Availability>& availability, const std::vector<std::string>& leave_days,
                 TimePoint start, Slot* out = nullptr);

}  // namespace sanad::counselling
