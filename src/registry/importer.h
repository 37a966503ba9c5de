// Bulk import of households and persons from CSV or XLSX files.
//
//   Importer importer(store, changes, clock);
//   auto out = importer.ImportPersons(bytes, author, {.file_name = "persons.csv", .format = FileFormat::kCsv});
//   if (out && out->accepted()) … out->change_request->id …   // one pending batch change request
//   else if (out) … out->errors … out->report_id …           // the file was rejected: nothing written
//
// Columns are mapped by header name (docs/data-formats.md); unknown columns and columns the registry
// sets itself are ignored with a warning. Every row is validated column by column (NormalizeValue) and
// against the record rules (required fields, communes that exist, households that exist within the
// author's scope, one head per household, national-id format of the household's country, no duplicate
// reference in the file or the registry). All errors are collected; one bad row rejects the whole file,
// in which case no change request and no staged row is written and the errors are kept as a report
// (CSV row,column,value,reason) that its author or an administrator can download.
//
// Work is done in columns and in bulk: one parse of the file in memory, reference data (areas,
// existing references, heads) read with a few set queries, rows staged with the store's bulk insert.
//
// Thread safety: an Importer holds no mutable state between calls; it may be used concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "registry/change_service.h"

namespace sanad::registry {

enum class FileFormat { kCsv, kXlsx };
enum class ImportKind { kHouseholds, kPersons };

// "csv" / "xlsx" from a file name's extension or a media type; nullopt when neither is recognised.
std::optional<FileFormat> FormatFromName(std::string_view file_name);
std::optional<FileFormat> FormatFromMediaType(std::string_view content_type);

// One problem of a rejected file: row number as in the file (the header is row 1), column name
// (empty for a problem of the whole row), the raw value, and why it was refused.
struct RowError {
  long row = 0;
  std::string column;
  std::string value;
  std::string reason;
};

struct ImportOutcome {
  ImportKind kind = ImportKind::kPersons;
  std::string file_name;
  long long rows_total = 0;
  long long rows_rejected = 0;                     // distinct rows with at least one error
  std::vector<std::string> warnings;               // ignored columns, …
  std::vector<RowError> errors;                    // every error, by row then column
  std::optional<ChangeRequestRow> change_request;  // the pending batch request when accepted
  std::optional<std::int64_t> report_id;           // stored error report when rejected

  bool accepted() const { return change_request.has_value(); }
};

// Progress of one import: phase ("reading", "validating", "staging"), rows done, rows in the file.
using ImportProgress = std::function<void(std::string_view phase, long long done, long long total)>;

struct ImportOptions {
  std::string file_name = "upload";
  FileFormat format = FileFormat::kCsv;
  ImportProgress progress;
  bool store_report = true;  // keep the report of a rejected file in import_reports
  int threads = 0;           // validation threads; 0 = hardware concurrency (at most 8)
};

// A stored report of a rejected import.
struct ImportReport {
  std::int64_t id = 0;
  std::string kind;  // households | persons
  std::string file_name;
  std::optional<std::int64_t> author_id;
  std::string author_username;
  std::string created_at;
  long long rows_total = 0;
  long long rows_rejected = 0;
  std::string csv;  // row,column,value,reason
};

class Importer {
 public:
  Importer(RegistryStore& store, ChangeService& changes, const Clock& clock)
      : store_(store), changes_(changes), clock_(clock) {}

  // Validates `bytes` (the whole file) and files one batch change request when every row is valid.
  // A rejected file is an outcome (accepted() false), not an error. Errors: kInternal/kUnavailable for
  // database failures only.
  Result<ImportOutcome> ImportHouseholds(std::string_view bytes, const Actor& author, const ImportOptions& options);
  Result<ImportOutcome> ImportPersons(std::string_view bytes, const Actor& author, const ImportOptions& options);
  Result<ImportOutcome> Import(ImportKind kind, std::string_view bytes, const Actor& author,
                               const ImportOptions& options);

  // Reads `path` and imports it; the format comes from the extension unless `options.format` is
  // forced by `format`. Errors: kNotFound when the file cannot be read.
  Result<ImportOutcome> ImportFile(ImportKind kind, const std::string& path, const Actor& author, ImportOptions options,
                                   std::optional<FileFormat> format = std::nullopt);

  // A stored report, or nullopt when there is none with that id.
  Result<std::optional<ImportReport>> Report(std::int64_t id);

 private:
  RegistryStore& store_;
  ChangeService& changes_;
  const Clock& clock_;
};

// The CSV text of a report: header row,column,value,reason and one line per error.
std::string ErrorReportCsv(const std::vector<RowError>& errors);

// A spreadsheet as rows of text cells (the header row first), as the importer reads it: CSV (RFC 4180)
// or the first sheet of an XLSX workbook (shared strings, inline strings, numbers, booleans; cells with
// a date format become YYYY-MM-DD). `row_numbers` receives each row's number in the file.
// Errors: kInvalidArgument naming the line or part of the file that cannot be read.
Result<std::vector<std::vector<std::string>>> ReadSpreadsheet(std::string_view bytes, FileFormat format,
                                                              std::vector<long>* row_numbers = nullptr);

// Excel serial day number (1900 date system) → YYYY-MM-DD; nullopt outside 1..2958465.
std::optional<std::string> ExcelSerialToDate(double serial);

}  // namespace sanad::registry
