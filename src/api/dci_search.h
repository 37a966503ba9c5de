// The SPDCI search of the social registry (spec social_api_v1.0.0 SearchRequest / SearchResponse):
// one search_request answered on its own (succ with reg_records, or rjct with a reason code), shared
// by the sync and the async search routes (dci_routes.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/services.h"

namespace sanad::api::dci_search {

constexpr const char* kRegType = "ns:org:RegistryType:Social";

// A member of an object as text: its value, `fallback` when absent or null, nullopt when it has
// another type.
std::optional<std::string> Str(const nlohmann::json& obj, const char* key, const std::string& fallback = "");
// A member of an object by reference, null when `obj` is not an object or has no such member: reading
// an envelope's parts without copying them (a copy of `message` is a copy of every search request).
const nlohmann::json& Member(const nlohmann::json& obj, const char* key);

// One search_request → its response object; `allowed` says which record types (Person, Group) the
// partner may receive (empty: both). Errors: only failures of the server itself (the database).
Result<nlohmann::json> Answer(Services& s, const registry::Actor& actor, const nlohmann::json& item,
                              const std::vector<std::string>& allowed = {});

// A person / a household as a reg_record of the spec (identifier in its object form, name, address).
nlohmann::json PersonRecord(const registry::PersonRecord& p, const std::string& locale, const std::string& commune);
nlohmann::json GroupRecord(const registry::HouseholdRecord& h, const std::string& locale);

}  // namespace sanad::api::dci_search
