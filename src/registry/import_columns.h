// The columns of an import file, declared once: the importer maps a file's header through them, the
// template endpoint writes them with one example row, and docs/data-formats.md describes them.
//
// A households file has household_ref (the office's own reference of the household) and the household
// fields; a persons file has record_id (the office's reference of the person), household_ref (the
// household: its registry reference H… or the household_ref it was imported with) and the person
// fields; a households-with-members file has both sets of columns, one row per person, the household's
// columns repeated (or left empty) on each of its members' rows.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "registry_model/fields.h"

namespace sanad::registry {

enum class ImportKind { kHouseholds, kPersons, kHouseholdsWithMembers };

// "households" | "persons" | "both" and back.
std::string_view ImportKindName(ImportKind kind);
std::optional<ImportKind> ImportKindFromName(std::string_view name);

// What a column of the file fills.
enum class ColumnRole {
  kHouseholdRef,    // the household's reference (source_ref of a new household, or the household named)
  kRecordId,        // the person's reference (source_ref of the person)
  kHouseholdField,  // HouseholdFields()[field]
  kPersonField,     // PersonFields()[field]
};

struct ImportColumn {
  std::string_view name;  // header text
  ColumnRole role;
  int field = -1;  // index in the role's FieldSpec table (kHouseholdField, kPersonField)
  bool required = false;
  std::string_view example;  // a valid value for the template's example row ("" = left empty)
  FieldType type = FieldType::kText;
};

// Every column a file of `kind` may have, in template order.
const std::vector<ImportColumn>& ImportColumns(ImportKind kind);

// The column named `header` in a file of `kind`, or nullptr (unknown, or set by the registry).
const ImportColumn* FindImportColumn(ImportKind kind, std::string_view header);

// Whether `header` names a field the registry sets itself (status, ref…): such a column is ignored with
// its own warning rather than as an unknown column.
bool IsSystemColumn(ImportKind kind, std::string_view header);

// The template of a file of `kind`: the header and one example row, as CSV text or an XLSX workbook.
// Errors: kInternal when the XLSX writer fails.
std::string ImportTemplateCsv(ImportKind kind);
Result<std::string> ImportTemplateXlsx(ImportKind kind);

}  // namespace sanad::registry
