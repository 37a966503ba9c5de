// Pieces the counselling route files share (counselling_routes.cpp, counselling_booking_routes.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/services.h"
#include "counselling/counselling.h"
#include "counselling/counselling_store.h"
#include "counselling/slots.h"

namespace sanad::api::counselling_routes {

inline counselling::Access AccessOf(const registry::Actor& a) { return {a.scope.area, a.scope.today, a.username}; }

nlohmann::json CounsellorJson(const counselling::Counsellor& c);
nlohmann::json BookingJson(const counselling::Booking& b);
std::string FullName(const counselling::Counsellor& c);

// The counsellor of a booking or a slot, in the caller's scope, or 404.
Result<counselling::Counsellor> VisibleCounsellor(Services& s, std::int64_t id, const registry::Actor& actor,
                                                  const std::string& field);

// A slot start given by a client: a timestamp that begins one of the counsellor's slots (availability,
// not a leave day) and is not in the past. Returns the slot in canonical form (the unique index
// compares the text). Errors: kInvalidArgument naming `field`.
Result<counselling::Slot> CheckSlot(const Services& s, const counselling::Counsellor& c, const std::string& text,
                                    const std::string& field);

// The window [from, to) of a query, from local dates (YYYY-MM-DD, to exclusive), 31 days at most;
// defaults: today and a week later. Errors: kInvalidArgument.
Result<std::pair<TimePoint, TimePoint>> ReadWindow(const Services& s, http::QueryReader& q);

}  // namespace sanad::api::counselling_routes
