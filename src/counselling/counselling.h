// Family counselling (issue 11 §4, docs/counselling.md) as plain values: counsellors, their weekly
// availability and leave days, bookings of slots and the fixed vocabularies the API checks against.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sanad::counselling {

// Specialties. `health_workers_families` is the "white army consults" line (Algeria, issue 11 §1).
inline constexpr std::string_view kSpecialties[] = {"family", "couple", "parenting", "bereavement",
                                                    "health_workers_families"};
// Languages a counsellor speaks. Messages to clients are rendered in ar, fr or en (kMessageLanguages).
inline constexpr std::string_view kLanguages[] = {"ar", "fr", "amazigh", "en"};
inline constexpr std::string_view kMessageLanguages[] = {"ar", "fr", "en"};
// The e-services counsellor pools (eservices::kFamilyPool, kWhiteArmyPool), taken as plain data.
inline constexpr std::string_view kPools[] = {"family", "white_army"};
// How the session takes place (the e-services request's counselling_channel).
inline constexpr std::string_view kChannels[] = {"phone", "video", "in_person"};
// A booking is live while booked; a session is recorded as attended or no_show after its slot.
inline constexpr std::string_view kStatuses[] = {"booked", "cancelled", "attended", "no_show"};

bool IsOneOf(std::string_view v, std::span<const std::string_view> allowed);

// Slot lengths a counsellor may choose, in minutes.
inline constexpr int kMinSlotMinutes = 15;
inline constexpr int kMaxSlotMinutes = 240;

struct Availability {
  int weekday = 0;        // 0 = Sunday … 6 = Saturday (local)
  std::string starts;     // HH:MM local (UTC+1)
  std::string ends;       // HH:MM local, after starts
  int slot_minutes = 60;  // kMinSlotMinutes … kMaxSlotMinutes
};

struct Counsellor {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string username;  // the account's (read only)
  std::string given_name, family_name;
  std::vector<std::string> specialties, languages;
  std::string pool = "family";
  std::string area_code;
  bool active = true;
  std::vector<Availability> availability;
  std::vector<std::string> leave_days;  // YYYY-MM-DD local
  std::int64_t version = 0;
};

struct Booking {
  std::int64_t id = 0;
  std::int64_t counsellor_id = 0;
  std::string slot_start, slot_end;  // UTC timestamps
  std::string area_code;
  std::optional<std::int64_t> request_id;
  std::optional<std::string> client_name, client_phone, client_email;
  std::string client_language = "ar";
  std::string channel;
  std::string status = "booked";
  std::optional<std::int64_t> rescheduled_from;
  std::string booked_at, booked_by;
  std::optional<std::string> cancelled_at, cancelled_by, cancel_reason, recorded_at, recorded_by;
  std::int64_t version = 0;
};

struct SessionNote {
  std::int64_t id = 0;
  std::int64_t booking_id = 0;
  std::string sealed, written_at, written_by;
};

// "HH:MM" → minutes since midnight; nullopt unless 00:00 … 24:00.
std::optional<int> ParseClock(std::string_view hhmm);
// Checks an availability line. Returns the catalogue reason of the first fault, or nullopt.
std::optional<std::string> AvailabilityFault(const Availability& a);

// The sealing context of a booking's session notes (cases::NoteCipher): never a case's.
std::string SessionNoteContext(std::int64_t booking_id);

}  // namespace sanad::counselling
