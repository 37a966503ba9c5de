// Export of a person search to CSV or XLSX (issue 3 §5): the canonical person columns with the
// household's registry reference and commune, limited to the caller's area scope (the store filters).
//
//   Exporter exporter(store);
//   auto table = exporter.Persons(filter, actor.scope);
//   std::string csv = ToCsv(*table);            // or ToXlsx(*table) (libxlsxwriter)
//
// A file written here reads back through the importer's reader (ReadSpreadsheet), and its columns are
// the import columns: record_id (the registry's P… reference), household_ref (H…), then the fields.
// Thread safety: stateless between calls.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "registry/registry_store.h"

namespace sanad::registry {

struct ExportTable {
  std::vector<std::string> header;
  std::vector<FieldType> types;  // per column, for typed XLSX cells
  std::vector<std::vector<std::optional<std::string>>> rows;
  bool truncated = false;  // more rows matched than max_rows
};

class Exporter {
 public:
  explicit Exporter(RegistryStore& store) : store_(store) {}

  // Persons matching `filter` within `scope`, in id order (or the rank order of filter.person_ids), at
  // most `max_rows`. filter.limit/offset are ignored. Errors: database failures.
  Result<ExportTable> Persons(SearchFilter filter, const Scope& scope, std::size_t max_rows = 1'000'000);

 private:
  RegistryStore& store_;
};

// RFC 4180 CSV, UTF-8 without BOM, LF line ends; NULL is an empty field.
std::string ToCsv(const ExportTable& table);

// An XLSX workbook with one sheet; numbers as numeric cells, everything else as text.
// Errors: kInternal when libxlsxwriter fails.
Result<std::string> ToXlsx(const ExportTable& table, const std::string& sheet_name = "persons");

}  // namespace sanad::registry
