// The rules of e-service reports, pure functions over plain values (no SQL, no HTTP): validation of a
// submission, dispatch to a mobile social unit, the acknowledgement deadline, probable duplicates and
// the tracking codes (docs/eservices.md, issue 11 §1–§2).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/time.h"
#include "eservices/report.h"

namespace sanad::eservices {

// Checks a submission field by field: every problem at once, each naming its field.
// Errors: kInvalidArgument "form.invalid" with the problems.
Status ValidateReport(const ReportInput& in);

// "HH:MM", 00:00 to 23:59.
bool ValidTime(std::string_view hhmm);

// Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km).
double DistanceKm(double lat1, double lon1, double lat2, double lon2);

// True when `now` falls in one of the unit's shifts (local time, UTC+1).
bool OnShift(const Unit& unit, TimePoint now);

struct Dispatch {
  std::optional<std::int64_t> unit_id;
  std::string reason;  // covering | nearest_on_shift | nearest | none
};

// The unit a report in `commune` goes to: an active unit covering the commune (one on shift first, then
// the lowest id); else the nearest active unit on shift from the commune's coordinates; else the nearest
// active unit (someone must see it: the deadline then escalates it if nobody acknowledges); else none.
Dispatch ChooseUnit(std::span<const Unit> units, std::string_view commune, std::optional<double> commune_lat,
                    std::optional<double> commune_lon, TimePoint now);

// Acknowledgement deadlines of a service (minutes), configurable per service.
struct AckPolicy {
  int danger_minutes = 60;    // immediate danger: 1 h
  int normal_minutes = 1440;  // otherwise: 24 h
};
TimePoint AckDeadline(const AckPolicy& policy, bool immediate_danger, TimePoint received);

// Two reports of the same service in the same commune within the window are probable duplicates when
// both carry a pin within `kDuplicateMetres`, or when either has none and their descriptions share at
// least half of their words (Jaccard index over lower-cased words of 3+ letters).
inline constexpr double kDuplicateMetres = 250;
inline constexpr std::chrono::hours kDuplicateWindow{24};
bool ProbableDuplicate(const ReportInput& a, const ReportInput& b);
double WordJaccard(std::string_view a, std::string_view b);

// Lengths of a report's codes (core/tracking_code.h draws, reads back and hashes them).
inline constexpr std::size_t kTrackingCodeChars = 20;  // 100 bits
inline constexpr std::size_t kPublicIdChars = 16;      // 80 bits

}  // namespace sanad::eservices
