// Export of a person search to CSV or XLSX: the canonical person columns with the household's registry
// reference and commune, limited to the caller's area scope (the store filters).
//
//   Exporter exporter(store);
//   CsvWriter csv;                                       // or XlsxWriter (libxlsxwriter, on disk)
//   auto st = exporter.EachPage(filter, actor.scope, max_rows, [&](const ExportTable& page) {
//     return write(csv.Rows(page));                       // a page at a time: memory stays flat
//   });
//
// Persons() collects every page into one table (small exports, tests). A file written here reads back
// through the importer's reader (ReadSpreadsheet), and its columns are the import columns: record_id
// (the registry's P… reference), household_ref (H…), then the fields.
// Thread safety: stateless between calls.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
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
  // most `max_rows`, handed to `sink` a page (≤ 10,000 rows) at a time; every page carries the header
  // and types, and the last one `truncated`. filter.limit/offset are ignored. Stops at the first error
  // of `sink`. Errors: database failures.
  Status EachPage(SearchFilter filter, const Scope& scope, std::size_t max_rows,
                  const std::function<Status(const ExportTable& page)>& sink);

  // All pages in one table.
  Result<ExportTable> Persons(SearchFilter filter, const Scope& scope, std::size_t max_rows = 1'000'000);

 private:
  Status Emit(std::vector<PersonRecord>& persons, ExportTable& page,
              const std::function<Status(const ExportTable& page)>& sink);

  RegistryStore& store_;
};

// A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage return)
// gets a leading single quote, per OWASP's CSV-injection guidance; a plain number ("-12", "+212…")
// is left alone. The importer's CSV reader takes the quote off again.
std::string NeutraliseFormula(std::string_view cell);

// RFC 4180 CSV, UTF-8 without BOM, LF line ends; NULL is an empty field; formulas neutralised.
std::string CsvHeader(const ExportTable& table);
std::string CsvRows(const ExportTable& table);
std::string ToCsv(const ExportTable& table);

// An XLSX workbook with one sheet written row by row to a temporary file (libxlsxwriter's constant
// memory mode); numbers as numeric cells, everything else as strings (never formulas).
class XlsxWriter {
 public:
  XlsxWriter();
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // The header row comes from the first page. Errors: kInternal when libxlsxwriter fails.
  Status Add(const ExportTable& page, const std::string& sheet_name = "persons");
  // Closes the workbook; its bytes are then in path(). Errors: kInternal.
  Status Close();
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

// The whole workbook in memory (small exports, tests). Errors: kInternal when libxlsxwriter fails.
Result<std::string> ToXlsx(const ExportTable& table, const std::string& sheet_name = "persons");

}  // namespace sanad::registry
