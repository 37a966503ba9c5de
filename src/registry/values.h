// Registry records as canonical text values, one per field of a FieldSpec table, and the rules that
// turn raw input (JSON, CSV, XLSX cells) into canonical values with errors that say where.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "registry_model/fields.h"

namespace sanad::registry {

// One record: values[i] belongs to fields[i]; nullopt = NULL.
using Values = std::vector<std::optional<std::string>>;

enum class CountryCode { kMorocco, kAlgeria };

// "MA-…" → Morocco, "DZ-…" → Algeria.
std::optional<CountryCode> CountryOfArea(std::string_view area_code);

// A national id as searched for: upper-case, spaces removed (the stored form, without the format check,
// so that a search for a malformed id simply finds nobody).
std::string NationalIdQuery(std::string_view raw);

// Canonical form of one raw value, or an error naming the field. Empty input is NULL (and an error for
// required fields only when `require` is set). Booleans become "1"/"0"; phones E.164; national ids
// upper-case and checked against the country's format (CIN: 1–2 letters + 1–6 digits; NIN: 18 digits).
// Area existence is not checked here (the caller holds the area set).
Result<std::optional<std::string>> NormalizeValue(const FieldSpec& spec, std::string_view raw, CountryCode country);

// Reads a JSON object of field values. Unknown fields, system fields and wrong JSON types are errors,
// every one of them reported at once (see FormFailure).
// With `partial`, absent fields stay absent (for updates) and required fields are not enforced;
// `present` then says which fields the object held.
struct ParsedObject {
  Values values;
  std::vector<bool> present;
};
Result<ParsedObject> ParseObject(std::span<const FieldSpec> fields, const nlohmann::json& obj, CountryCode country,
                                 bool partial, std::string_view where);
// The same reading that keeps what it could read: the readable fields' values, and the problems of the
// others appended to `problems`, so that a form's checks across fields can still run beside them.
ParsedObject ReadObject(std::span<const FieldSpec> fields, const nlohmann::json& obj, CountryCode country, bool partial,
                        std::string_view where, std::vector<Problem>& problems);

// The failure of a form with these problems: the problem itself when there is one, "form.invalid"
// listing them all when there are several.
Error FormError(std::vector<Problem> problems);
inline std::unexpected<Error> FormFailure(std::vector<Problem> problems) {
  return std::unexpected<Error>(FormError(std::move(problems)));
}

// JSON of one canonical value typed per its field (number, boolean, string, null), and of a record.
nlohmann::json ValueJson(const FieldSpec& spec, const std::optional<std::string>& value);
nlohmann::json ValuesJson(std::span<const FieldSpec> fields, const Values& values);

// Checks across the fields of one person: at least a given and a family name in one script, disability
// type consistent with percent.
Status CheckPerson(const Values& person, std::string_view where);

}  // namespace sanad::registry
