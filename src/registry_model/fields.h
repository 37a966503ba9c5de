// The registry's columns, declared once. Validation, storage, JSON, CSV import and export all walk
// these tables, so a column added here is handled everywhere (docs/data-formats.md describes each).
#pragma once

#include <span>
#include <string_view>

#include "registry_model/vocabulary.h"

namespace sanad::registry {

enum class FieldType : std::uint8_t {
  kText,        // free text (trimmed, max_len bytes)
  kInt,         // integer within [min, max]
  kDecimal,     // decimal within [min, max]
  kBool,        // 1/0 (also true/false, yes/no, oui/non, نعم/لا on input)
  kDate,        // YYYY-MM-DD
  kBirthDate,   // YYYY-MM-DD or YYYY
  kEnum,        // one of `allowed`
  kArea,        // an area code of the reference data
  kNationalId,  // Moroccan CIN or Algerian NIN, by the household's country
  kPhone,       // E.164 (+212…, +213…); national forms are normalised
};

// Who may set a field: callers (API, import) or only the registry itself (status changes happen
// through the change requests that cause them).
enum class Access : std::uint8_t { kInput, kSystem };

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required;
  std::span<const std::string_view> allowed = {};
  double min = 0;
  double max = 0;
  std::size_t max_len = 200;
  Access access = Access::kInput;
};

template <typename E>
constexpr std::span<const std::string_view> Allowed() {
  return VocabularyOf<E>::kNames;
}

inline constexpr std::string_view kCurrencies[] = {"MAD", "DZD"};
inline constexpr std::string_view kPersonStatuses[] = {"active", "exited", "merged"};
inline constexpr std::string_view kExitReasons[] = {"death",  "emigration", "left_household",
                                                    "merged", "duplicate",  "other"};

// Household columns (table households). `ref` is the registry's reference (H + 9 digits), assigned on
// creation; `source_ref` keeps the reference the household had in the file or system it came from
// (household_ref of an import file), unique across the registry.
inline constexpr FieldSpec kHouseholdFields[] = {
    {"ref", FieldType::kText, false, {}, 0, 0, 64, Access::kSystem},
    {"source_ref", FieldType::kText, false, {}, 0, 0, 64},
    {"commune_code", FieldType::kArea, true},
    {"urban", FieldType::kBool, true},
    {"address", FieldType::kText, false, {}, 0, 0, 300},
    {"gps_lat", FieldType::kDecimal, false, {}, -90, 90},
    {"gps_lon", FieldType::kDecimal, false, {}, -180, 180},
    {"dwelling_type", FieldType::kEnum, false, Allowed<DwellingType>()},
    {"tenure", FieldType::kEnum, false, Allowed<Tenure>()},
    {"rooms", FieldType::kInt, false, {}, 0, 50},
    {"wall_material", FieldType::kEnum, false, Allowed<WallMaterial>()},
    {"roof_material", FieldType::kEnum, false, Allowed<RoofMaterial>()},
    {"water_source", FieldType::kEnum, false, Allowed<WaterSource>()},
    {"electricity", FieldType::kEnum, false, Allowed<ElectricitySource>()},
    {"sanitation", FieldType::kEnum, false, Allowed<Sanitation>()},
    {"currency", FieldType::kEnum, false, kCurrencies},
    {"spend_electricity", FieldType::kInt, false, {}, 0, 1000000},
    {"spend_water", FieldType::kInt, false, {}, 0, 1000000},
    {"spend_butane", FieldType::kInt, false, {}, 0, 1000000},
    {"spend_telephone", FieldType::kInt, false, {}, 0, 1000000},
    {"has_refrigerator", FieldType::kBool, false},
    {"has_television", FieldType::kBool, false},
    {"has_washing_machine", FieldType::kBool, false},
    {"has_car", FieldType::kBool, false},
    {"has_motorcycle", FieldType::kBool, false},
    {"livestock_units", FieldType::kInt, false, {}, 0, 100000},
    {"land_hectares", FieldType::kDecimal, false, {}, 0, 100000},
    {"registration_channel", FieldType::kEnum, false, Allowed<RegistrationChannel>()},
    {"registration_date", FieldType::kDate, false},
    {"latent_log_consumption", FieldType::kDecimal, false, {}, 0, 30},  // synthetic registries only
    {"status", FieldType::kEnum, false, Allowed<HouseholdStatus>(), 0, 0, 200, Access::kSystem},
    {"exit_reason", FieldType::kEnum, false, kExitReasons, 0, 0, 200, Access::kSystem},
};

// Person columns (table persons). `record_id` is the registry's reference (P + 9 digits), assigned on
// creation; `source_ref` keeps the record_id of the import file.
inline constexpr FieldSpec kPersonFields[] = {
    {"record_id", FieldType::kText, false, {}, 0, 0, 64, Access::kSystem},
    {"source_ref", FieldType::kText, false, {}, 0, 0, 64},
    {"relationship", FieldType::kEnum, true, Allowed<Relationship>()},
    {"given_name_ar", FieldType::kText, false, {}, 0, 0, 100},
    {"family_name_ar", FieldType::kText, false, {}, 0, 0, 100},
    {"given_name_lat", FieldType::kText, false, {}, 0, 0, 100},
    {"family_name_lat", FieldType::kText, false, {}, 0, 0, 100},
    {"father_name_ar", FieldType::kText, false, {}, 0, 0, 100},
    {"mother_name_ar", FieldType::kText, false, {}, 0, 0, 200},
    {"sex", FieldType::kEnum, true, Allowed<Sex>()},
    {"birth_date", FieldType::kBirthDate, true},
    {"birth_commune_code", FieldType::kArea, false},
    {"national_id", FieldType::kNationalId, false},
    {"phone", FieldType::kPhone, false},
    {"marital_status", FieldType::kEnum, false, Allowed<MaritalStatus>()},
    {"schooling", FieldType::kEnum, false, Allowed<Schooling>()},
    {"education_level", FieldType::kEnum, false, Allowed<EducationLevel>()},
    {"disability_type", FieldType::kEnum, false, Allowed<DisabilityType>()},
    {"disability_percent", FieldType::kInt, false, {}, 0, 100},
    {"occupation", FieldType::kEnum, false, Allowed<Occupation>()},
    {"employment_status", FieldType::kEnum, false, Allowed<EmploymentStatus>()},
    {"social_security_fund", FieldType::kEnum, false, Allowed<SocialSecurityFund>()},
    {"social_security_number", FieldType::kText, false, {}, 0, 0, 20},
    {"family_allowances", FieldType::kBool, false},
    // Read by the AFS (executive decree 24-325): a head unable to work, a person of 60+ not in an institution.
    {"able_to_work", FieldType::kBool, false},
    {"in_institution", FieldType::kBool, false},
    {"status", FieldType::kEnum, false, kPersonStatuses, 0, 0, 200, Access::kSystem},
    {"exit_reason", FieldType::kEnum, false, kExitReasons, 0, 0, 200, Access::kSystem},
};

inline constexpr std::span<const FieldSpec> HouseholdFields() { return kHouseholdFields; }
inline constexpr std::span<const FieldSpec> PersonFields() { return kPersonFields; }

// Index of a field by name, or -1.
constexpr int FieldIndex(std::span<const FieldSpec> fields, std::string_view name) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace sanad::registry
