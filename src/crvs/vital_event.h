// Vital events a civil registry (CRVS) notifies to its subscribers, read from the SPDCI CRVS `notify`
// message (NotifyEventRequest: notify_event[].data {reg_event_type, reg_records}), and what each means
// for the social registry: a birth adds the child to the household of a parent found in the registry, a
// death exits the person (docs/crvs.md). Pure: no SQL, no HTTP.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace sanad::crvs {

enum class EventKind { kBirth, kDeath, kOther };

// A person as the civil registry holds it (CRVSPerson): the subject of an event, or the answer of a search.
struct CivilPerson {
  std::optional<std::string> uin;  // identifier_value of the UIN / national id
  std::optional<std::string> given_name, surname;
  std::optional<std::string> sex;                     // the registry's code: M | F
  std::optional<std::string> birth_date, death_date;  // YYYY-MM-DD
  std::vector<std::string> parent_uins;               // parent1, parent2 identifiers
};

// The person the event is about is the child of a birth, the deceased of a death.
struct VitalEvent : CivilPerson {
  std::string reference_id;  // the registry's reference of the notification: replays are recognised by it
  std::string event_type;    // as sent, e.g. "spdci-common:RegistryEventType:LiveBirth"
  EventKind kind = EventKind::kOther;
  std::string timestamp;
};

// Reads a CRVSPerson object (unknown or malformed fields are left out: nothing here is required).
CivilPerson ReadCivilPerson(const nlohmann::json& person);

// True when `s` holds Arabic letters (names are stored by their script: *_ar or *_lat).
bool HasArabic(const std::string& s);

// Reads every event of a notify message. Errors: kInvalidArgument naming the position
// (notify_event[2].data.reg_records…) of the first malformed part; nothing is read then.
Result<std::vector<VitalEvent>> ReadNotify(const nlohmann::json& message);

// LiveBirth / Birth → birth, Death → death, anything else → other (recorded, never applied).
EventKind KindOf(const std::string& event_type);

// The add_member person of a birth: relationship from the parent's own (a head's or spouse's child is a
// child, a child's child a grandchild), names in the script they are written in.
nlohmann::json NewbornPerson(const VitalEvent& e, const std::string& parent_relationship);

}  // namespace sanad::crvs
