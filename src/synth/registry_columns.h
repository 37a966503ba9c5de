// The one mapping of a synthetic household or person row to the registry's canonical columns
// (docs/data-formats.md), shared by the CSV writer and by `sanad demo`, which loads a generated registry
// straight into the database. Columns come in the CSV header's order; the truth columns (member_count,
// true_household_ref, true_person_id) are the generator's, not the registry's.
//
//   std::string scratch;
//   ForEachPersonColumn(registry, row, scratch, [&](std::string_view column, std::string_view value) {…});
//
// `value` is empty for a missing value and is valid only during the call (it may point into `scratch`).
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "synth/identifiers.h"
#include "synth/registry.h"

namespace sanad::synth {

namespace internal {

inline void AppendUnsigned(std::string& out, std::uint64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

// Fixed 4-decimal rendering of a float (deterministic, no locale).
inline void AppendFixed4(std::string& out, float value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 4);
  out.append(buf, end);
}

}  // namespace internal

template <typename Emit>
void ForEachHouseholdColumn(const Registry& registry, std::size_t i, std::string& scratch, Emit&& emit) {
  using internal::AppendUnsigned;
  const auto& h = registry.households;
  auto number = [&](std::string_view column, std::uint64_t v) {
    scratch.clear();
    AppendUnsigned(scratch, v);
    emit(column, std::string_view(scratch));
  };
  auto flag = [&](std::string_view column, std::uint8_t v) { emit(column, std::string_view(v ? "1" : "0")); };
  scratch.clear();
  AppendHouseholdRef(scratch, i);
  emit("household_ref", std::string_view(scratch));
  emit("commune_code", std::string_view(registry.communes[h.commune[i]].area_code));
  flag("urban", h.urban[i]);
  scratch.clear();
  AppendAddress(scratch, registry, i);
  emit("address", std::string_view(scratch));
  number("member_count", h.member_count[i]);
  emit("dwelling_type", ToString(h.dwelling_type[i]));
  emit("tenure", ToString(h.tenure[i]));
  number("rooms", h.rooms[i]);
  emit("wall_material", ToString(h.wall_material[i]));
  emit("roof_material", ToString(h.roof_material[i]));
  emit("water_source", ToString(h.water_source[i]));
  emit("electricity", ToString(h.electricity[i]));
  emit("sanitation", ToString(h.sanitation[i]));
  emit("currency", std::string_view(registry.country == Country::kMorocco ? "MAD" : "DZD"));
  number("spend_electricity", h.spend_electricity[i]);
  number("spend_water", h.spend_water[i]);
  number("spend_butane", h.spend_butane[i]);
  number("spend_telephone", h.spend_telephone[i]);
  flag("has_refrigerator", h.has_refrigerator[i]);
  flag("has_television", h.has_television[i]);
  flag("has_washing_machine", h.has_washing_machine[i]);
  flag("has_car", h.has_car[i]);
  flag("has_motorcycle", h.has_motorcycle[i]);
  number("livestock_units", h.livestock_units[i]);
  scratch.clear();
  AppendUnsigned(scratch, h.land_tenth_hectares[i] / 10);
  scratch.push_back('.');
  AppendUnsigned(scratch, h.land_tenth_hectares[i] % 10);
  emit("land_hectares", std::string_view(scratch));
  emit("registration_channel", ToString(h.registration_channel[i]));
  scratch.clear();
  AppendDate(scratch, h.registration_date[i]);
  emit("registration_date", std::string_view(scratch));
  emit("status", ToString(h.status[i]));
  scratch.clear();
  internal::AppendFixed4(scratch, h.latent_log_consumption[i]);
  emit("latent_log_consumption", std::string_view(scratch));
  scratch.clear();
  AppendHouseholdRef(scratch, h.true_household[i]);
  emit("true_household_ref", std::string_view(scratch));
}

template <typename Emit>
void ForEachPersonColumn(const Registry& registry, std::size_t i, std::string& scratch, Emit&& emit) {
  const auto& p = registry.persons;
  const auto& text = registry.text;
  auto appended = [&](std::string_view column, auto&& append) {
    scratch.clear();
    append(scratch);
    emit(column, std::string_view(scratch));
  };
  appended("record_id", [&](std::string& o) { AppendRecordId(o, i); });
  appended("household_ref", [&](std::string& o) { AppendHouseholdRef(o, p.household[i]); });
  emit("relationship", ToString(p.relationship[i]));
  emit("given_name_ar", text.Get(p.given_name_ar[i]));
  emit("family_name_ar", text.Get(p.family_name_ar[i]));
  emit("given_name_lat", text.Get(p.given_name_lat[i]));
  emit("family_name_lat", text.Get(p.family_name_lat[i]));
  emit("father_name_ar", text.Get(p.father_name_ar[i]));
  // Mother's name: given and family name in Arabic, space-separated (either may be missing).
  appended("mother_name_ar", [&](std::string& o) {
    const std::string_view given = text.Get(p.mother_given_name_ar[i]);
    const std::string_view family = text.Get(p.mother_family_name_ar[i]);
    o.assign(given);
    if (!given.empty() && !family.empty()) o.push_back(' ');
    o.append(family);
  });
  emit("sex", ToString(p.sex[i]));
  appended("birth_date", [&](std::string& o) { AppendBirthDate(o, registry, i); });
  emit("birth_commune_code", std::string_view(registry.communes[p.birth_commune[i]].area_code));
  appended("national_id", [&](std::string& o) { AppendNationalId(o, registry, i); });
  appended("phone", [&](std::string& o) { AppendPhone(o, registry, i); });
  emit("marital_status", ToString(p.marital_status[i]));
  emit("schooling", ToString(p.schooling[i]));
  appended("disability_percent", [&](std::string& o) { internal::AppendUnsigned(o, p.disability_percent[i]); });
  emit("occupation", ToString(p.occupation[i]));
  emit("disability_type", ToString(p.disability_type[i]));
  emit("education_level", ToString(p.education_level[i]));
  emit("employment_status", ToString(p.employment_status[i]));
  emit("social_security_fund", ToString(p.social_security_fund[i]));
  appended("social_security_number", [&](std::string& o) { AppendSocialSecurityNumber(o, registry, i); });
  emit("family_allowances", std::string_view(p.family_allowances[i] ? "1" : "0"));
  emit("able_to_work", std::string_view(p.able_to_work[i] ? "1" : "0"));
  emit("in_institution", std::string_view(p.in_institution[i] ? "1" : "0"));
  appended("true_person_id", [&](std::string& o) { AppendRecordId(o, p.true_person[i]); });
}

}  // namespace sanad::synth
