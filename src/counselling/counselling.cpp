#include "counselling/counselling.h"

#include <algorithm>

namespace sanad::counselling {

bool IsOneOf(std::string_view v, std::span<const std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

std::optional<int> ParseClock(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::optional<std::string> AvailabilityFault(const Availability& a) {
  if (a.weekday < 0 || a.weekday > 6) return "counselling.bad_weekday";
  const auto s = ParseClock(a.starts), e = ParseClock(a.ends);
  if (!s || !e) return "counselling.bad_time";
  if (*e <= *s) return "counselling.bad_hours";
  if (a.slot_minutes < kMinSlotMinutes || a.slot_minutes > kMaxSlotMinutes) return "counselling.bad_slot_length";
  if (*e - *s < a.slot_minutes) return "counselling.bad_hours";
  return std::nullopt;
}

std::string SessionNoteContext(std::int64_t booking_id) {
  return "sanad.counselling.session." + std::to_string(booking_id);
}

}  // namespace sanad::counselling
