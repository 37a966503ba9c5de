#include "api/person_query.h"

#include <algorithm>
#include <cctype>

#include "registry/values.h"

namespace sanad::api {

Result<std::optional<std::string>> PhoneQuery(std::string_view raw, const std::optional<std::string>& area) {
  const auto& spec = registry::kPersonFields[registry::FieldIndex(registry::kPersonFields, "phone")];
  auto country = area ? registry::CountryOfArea(*area) : std::nullopt;
  auto norm = registry::NormalizeValue(
      spec, std::string(raw),
      country.value_or(raw.starts_with("+213") ? registry::CountryCode::kAlgeria : registry::CountryCode::kMorocco));
  if (!norm) {
    Error e = norm.error();  // its code and parameters, named after the query parameter
    e.field = "phone";
    return std::unexpected(std::move(e));
  }
  return *norm;
}

std::pair<registry::PersonSort, bool> PersonSortOf(std::string_view sort) {
  const bool descending = sort.starts_with('-');
  if (descending) sort.remove_prefix(1);
  using registry::PersonSort;
  if (sort == "record_id") return {PersonSort::kRecordId, descending};
  if (sort == "name_ar") return {PersonSort::kNameAr, descending};
  if (sort == "name_lat") return {PersonSort::kNameLat, descending};
  if (sort == "birth_date") return {PersonSort::kBirthDate, descending};
  if (sort == "national_id") return {PersonSort::kNationalId, descending};
  return {PersonSort::kNone, false};
}

}  // namespace sanad::api
