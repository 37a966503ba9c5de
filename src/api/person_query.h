// The identifiers of a person search in the canonical form the registry stores them in, so that every
// API that searches by identifier (REST /persons, exports, DCI) matches the same records for the same
// input: national ids upper-case without spaces, phone numbers in E.164.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "registry/records.h"
#include "registry/values.h"

namespace sanad::api {

using registry::NationalIdQuery;

// `area` (when given) chooses the country whose national format is assumed ("0612345678" in MA-… is
// +212612345678); otherwise +213 numbers are Algerian and everything else Moroccan. Errors:
// kInvalidArgument (field "phone") when the number cannot be a phone number. nullopt for an empty one.
Result<std::optional<std::string>> PhoneQuery(std::string_view raw, const std::optional<std::string>& area);

// The `sort` parameter of a person search: a column, "-" first for descending order. kNone for an
// empty value; the route's allow-list (kPersonSorts) refuses anything else before this is called.
inline constexpr std::initializer_list<const char*> kPersonSorts = {
    "record_id", "-record_id", "name_ar",     "-name_ar",    "name_lat",
    "-name_lat", "birth_date", "-birth_date", "national_id", "-national_id"};
std::pair<registry::PersonSort, bool> PersonSortOf(std::string_view sort);

}  // namespace sanad::api
