#include "registry/import_columns.h"

#include <algorithm>
#include <map>

#include "core/csv.h"
#include "registry/exporter.h"

namespace sanad::registry {

namespace {

// Example values: valid for the reference data (a commune of Fès) and every field's rule. Fields not
// listed are left empty in the template.
const std::map<std::string_view, std::string_view>& Examples() {
  static const std::map<std::string_view, std::string_view> examples = {
      // households
      {"commune_code", "MA-03.231.01.03"},
      {"urban", "1"},
      {"address", "12 Derb Sidi Ali, Fès"},
      {"dwelling_type", "traditional_house"},
      {"tenure", "owner"},
      {"rooms", "3"},
      {"wall_material", "concrete_brick"},
      {"roof_material", "concrete_slab"},
      {"water_source", "piped_inside"},
      {"electricity", "grid"},
      {"sanitation", "public_sewer"},
      {"currency", "MAD"},
      {"spend_electricity", "150"},
      {"spend_water", "80"},
      {"has_refrigerator", "1"},
      {"has_television", "1"},
      {"registration_channel", "service_centre"},
      {"registration_date", "2025-01-15"},
      // persons
      {"relationship", "head"},
      {"given_name_ar", "محمد"},
      {"family_name_ar", "العلوي"},
      {"given_name_lat", "Mohamed"},
      {"family_name_lat", "Alaoui"},
      {"father_name_ar", "عبد الله"},
      {"mother_name_ar", "فاطمة الزهراء"},
      {"sex", "M"},
      {"birth_date", "1980-05-12"},
      {"birth_commune_code", "MA-03.231.01.03"},
      {"national_id", "AB123456"},
      {"phone", "0612345678"},
      {"marital_status", "married"},
      {"schooling", "not_applicable"},
      {"education_level", "primary"},
      {"disability_type", "none"},
      {"disability_percent", "0"},
      {"employment_status", "employed"},
      {"social_security_fund", "none"},
      {"family_allowances", "0"},
      {"able_to_work", "1"},
      {"in_institution", "0"},
  };
  return examples;
}

void AddFields(std::vector<ImportColumn>& out, ColumnRole role) {
  const auto fields = role == ColumnRole::kHouseholdField ? HouseholdFields() : PersonFields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const FieldSpec& f = fields[i];
    // source_ref is filled from household_ref / record_id; system fields are the registry's.
    if (f.access == Access::kSystem || f.name == "source_ref") continue;
    auto ex = Examples().find(f.name);
    out.push_back({f.name, role, static_cast<int>(i), f.required, ex == Examples().end() ? "" : ex->second, f.type});
  }
}

std::vector<ImportColumn> Build(ImportKind kind) {
  std::vector<ImportColumn> out;
  const ImportColumn household_ref{"household_ref", ColumnRole::kHouseholdRef, -1, true, "MEN-2025-0001"};
  const ImportColumn record_id{"record_id", ColumnRole::kRecordId, -1, true, "MEN-2025-0001-01"};
  switch (kind) {
    case ImportKind::kHouseholds:
      out.push_back(household_ref);
      AddFields(out, ColumnRole::kHouseholdField);
      break;
    case ImportKind::kPersons:
      out.push_back(record_id);
      out.push_back(household_ref);
      AddFields(out, ColumnRole::kPersonField);
      break;
    case ImportKind::kHouseholdsWithMembers:
      out.push_back(household_ref);
      AddFields(out, ColumnRole::kHouseholdField);
      out.push_back(record_id);
      AddFields(out, ColumnRole::kPersonField);
      break;
  }
  return out;
}

}  // namespace

std::string_view ImportKindName(ImportKind kind) {
  switch (kind) {
    case ImportKind::kHouseholds:
      return "households";
    case ImportKind::kPersons:
      return "persons";
    case ImportKind::kHouseholdsWithMembers:
      return "both";
  }
  return "persons";
}

std::optional<ImportKind> ImportKindFromName(std::string_view name) {
  for (auto k : {ImportKind::kHouseholds, ImportKind::kPersons, ImportKind::kHouseholdsWithMembers}) {
    if (ImportKindName(k) == name) return k;
  }
  return std::nullopt;
}

const std::vector<ImportColumn>& ImportColumns(ImportKind kind) {
  static const std::vector<ImportColumn> households = Build(ImportKind::kHouseholds);
  static const std::vector<ImportColumn> persons = Build(ImportKind::kPersons);
  static const std::vector<ImportColumn> both = Build(ImportKind::kHouseholdsWithMembers);
  switch (kind) {
    case ImportKind::kHouseholds:
      return households;
    case ImportKind::kPersons:
      return persons;
    case ImportKind::kHouseholdsWithMembers:
      return both;
  }
  return persons;
}

const ImportColumn* FindImportColumn(ImportKind kind, std::string_view header) {
  const auto& columns = ImportColumns(kind);
  auto it = std::find_if(columns.begin(), columns.end(), [&](const ImportColumn& c) { return c.name == header; });
  return it == columns.end() ? nullptr : &*it;
}

bool IsSystemColumn(ImportKind kind, std::string_view header) {
  auto system = [&](std::span<const FieldSpec> fields) {
    const int f = FieldIndex(fields, header);
    return f >= 0 && fields[f].access == Access::kSystem;
  };
  const bool households = kind != ImportKind::kPersons, persons = kind != ImportKind::kHouseholds;
  return (households && system(HouseholdFields())) || (persons && system(PersonFields()));
}

std::string ImportTemplateCsv(ImportKind kind) {
  std::string header, example;
  for (const auto& c : ImportColumns(kind)) {
    header += (header.empty() ? "" : ",") + csv::Escape(c.name);
    example += (&c == &ImportColumns(kind).front() ? "" : ",") + csv::Escape(c.example);
  }
  return header + "\n" + example + "\n";
}

Result<std::string> ImportTemplateXlsx(ImportKind kind) {
  ExportTable t;
  std::vector<std::optional<std::string>> row;
  for (const auto& c : ImportColumns(kind)) {
    t.header.emplace_back(c.name);
    // Typed like the export; codes and references stay text so a spreadsheet keeps their form.
    t.types.push_back(c.role == ColumnRole::kHouseholdField || c.role == ColumnRole::kPersonField ? c.type
                                                                                                  : FieldType::kText);
    row.push_back(c.example.empty() ? std::nullopt : std::optional<std::string>(c.example));
  }
  t.rows.push_back(std::move(row));
  return ToXlsx(t, std::string(ImportKindName(kind)));
}

}  // namespace sanad::registry
