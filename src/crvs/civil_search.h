// Sanad searching a civil registry (SPDCI CRVS `/registry/sync/search`): the request for the person
// holding an identifier (query_type idtype-value, the spec's SearchRequest) and the person read from the
// registry's answer (SearchResponse: search_response[0].data.reg_records). Used to find a newborn's
// mother by record linkage when Sanad does not hold her civil identifier (docs/crvs.md). Pure: the call
// itself is dci::PostJsonForAnswer.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.h"
#include "crvs/vital_event.h"

namespace sanad::crvs {

// The signed-or-not envelope of a sync search by UIN; `now` is the ISO timestamp of the message.
nlohmann::json SearchByIdRequest(const std::string& uin, const std::string& message_id, const std::string& now);

// A registry person's identity facts, next to what the civil registry holds (confirming an identity from
// the household page).
struct RegistryFacts {
  std::string given_ar, family_ar, given_lat, family_lat, sex, birth_date, status;  // status: active | exited
};
struct Comparison {
  bool found = false;
  // Each: true agrees, false disagrees, null (unset) when either side lacks it. Names agree when equal in
  // either script or their cross-script keys match (text/cross_script.h: أمينة ~ Amina).
  std::optional<bool> given_name, family_name, sex, birth_date;
  bool dead_in_civil_registry = false;  // the civil registry records a death date
  bool alive_here = false;              // …while the social registry holds the person active
};
Comparison Compare(const std::optional<CivilPerson>& civil, const RegistryFacts& here);

// The person of a sync search answer; nullopt when the registry found nobody. Errors: kUnavailable when
// the answer is not a search response (the registry refused: its reason code is in the message).
Result<std::optional<CivilPerson>> ReadSearchAnswer(const nlohmann::json& answer);

}  // namespace sanad::crvs
