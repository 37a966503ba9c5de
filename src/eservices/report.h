// Citizen e-service reports (docs/eservices.md) as plain values: what a citizen, a call-centre agent or
// an Open311 client submits, what is stored, and the mobile social units reports are dispatched to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sanad::eservices {

// The services of the Algerian ministry's e-services portal (issue 11 §1).
inline constexpr std::string_view kElderlyInDanger = "elderly_in_danger";
inline constexpr std::string_view kHomelessPerson = "homeless_person";
inline constexpr std::string_view kFamilyCounselling = "family_counselling";
inline constexpr std::string_view kServices[] = {kElderlyInDanger, kHomelessPerson, kFamilyCounselling};
bool IsService(std::string_view code);
// Reports about a person who may be in danger: never refused (over a rate limit they are flagged).
bool IsLifeSafety(std::string_view service);

// How the report reached the ministry.
inline constexpr std::string_view kChannels[] = {"web", "phone", "open311"};

// Report statuses, in their usual order. `case_opened` is set by case management (issue 11 §3).
inline constexpr std::string_view kStatuses[] = {"received", "acknowledged", "in_progress", "case_opened", "closed"};
bool IsStatus(std::string_view s);

// Counsellor pools: the "white army consults" line for families of health workers has its own.
inline constexpr std::string_view kFamilyPool = "family";
inline constexpr std::string_view kWhiteArmyPool = "white_army";

struct ReportInput {
  std::string service;                        // one of kServices
  std::string channel = "web";                // one of kChannels
  std::string commune_code;                   // a commune of the reference areas
  std::optional<double> lat, lon;             // a pin (WGS 84), both or neither
  std::string description;                    // what the reporter saw, where
  std::optional<std::string> apparent_state;  // elderly / homeless: the person's apparent state
  bool immediate_danger = false;
  // family_counselling
  std::optional<std::string> topic;
  std::optional<std::string> counselling_channel;  // phone | video | in_person
  std::optional<std::string> preferred_times;
  bool white_army = false;  // a family of health workers: routed to the white-army counsellors
  // The reporter, optional (a report may be anonymous).
  std::optional<std::string> contact_name, contact_phone, contact_email;
};

struct Shift {
  int weekday = 0;     // 0 = Sunday … 6 = Saturday
  std::string starts;  // HH:MM local time (UTC+1, Morocco and Algeria)
  std::string ends;    // HH:MM, exclusive; ends < starts crosses midnight
};

struct Unit {
  std::int64_t id = 0;
  std::string code, name;
  std::string base_commune;
  double base_lat = 0, base_lon = 0;
  std::vector<std::string> communes;  // communes the unit covers
  std::vector<Shift> shifts;
  bool active = true;
};

struct Report {
  std::int64_t id = 0;
  std::string public_id;  // Open311 service_request_id: random, not sequential
  ReportInput input;
  std::string region_code;  // the commune's top-level area: its regional coordinator
  std::string status = "received";
  std::optional<std::int64_t> unit_id;
  std::optional<std::string> unit_code;
  std::optional<std::string> counsellor_pool;
  std::string dispatch;  // covering | nearest_on_shift | nearest | pool | none
  std::string ack_deadline;
  std::optional<std::string> acknowledged_at, acknowledged_by, escalated_at;
  bool over_limit = false;
  std::optional<std::int64_t> duplicate_of;
  std::optional<std::string> entered_by;  // the call-centre agent who typed a phoned report
  std::optional<std::string> case_ref;    // set by case management when a case is opened
  std::string created_at, updated_at;
};

struct Note {
  std::int64_t id = 0;
  bool is_public = false;
  std::string body, author, created_at;
};

}  // namespace sanad::eservices
