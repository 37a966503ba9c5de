// Bulk import of households and persons from CSV or XLSX files.
//
//   Importer importer(store, changes, clock);
//   auto out = importer.ImportPersons(bytes, author, {.file_name = "persons.csv", .format = FileFormat::kCsv});
//   if (out && out->accepted()) … out->change_request->id …   // one pending batch change request
//   else if (out) … out->errors … out->report_id …           // the file was rejected: nothing written
//
// An import runs in steps: read the file (import_sheet.h), map its header through the import columns
// (import_columns.h), validate every row, then either keep the report of a rejected file or stage the
// rows as one change request. Unknown columns and columns the registry sets itself are ignored with a
// warning. Every row is validated column by column (NormalizeValue) and against the record rules
// (required fields, communes that exist, households that exist within the author's scope, one head per
// household, national-id format of the household's country, no duplicate reference in the file or the
// registry). Every error of every row is collected; one bad row rejects the whole file, in which case no
// change request and no staged row is written and the errors are kept as a report (CSV
// row,column,value,reason,code in the author's language) that its author or an administrator can
// download. Errors and warnings are catalogue codes with parameters (src/i18n/messages).
//
// A file of households with their members (ImportKind::kHouseholdsWithMembers) is split into its
// households and its persons (import_households_members.h), each validated as above; it files one
// request that creates every household with its members in one transaction when approved.
//
// Work is done in columns and in bulk: one parse of the file in memory, reference data (areas,
// existing references, heads) read with a few set queries (ImportStore), rows staged in bulk.
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
#include "i18n/language.h"
#include "registry/change_service.h"
#include "registry/import_columns.h"
#include "registry/import_sheet.h"
#include "registry/import_store.h"

namespace sanad::registry {

struct ImportOutcome {
  ImportKind kind = ImportKind::kPersons;
  std::string file_name;
  long long rows_total = 0;
  long long rows_rejected = 0;                     // distinct rows with at least one error
  std::vector<RowError> warnings;                  // ignored columns (row 1), …
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
  bool store_report = true;           // keep the report of a rejected file in import_reports
  int threads = 0;                    // validation threads; 0 = hardware concurrency (at most 8)
  i18n::Lang lang = i18n::Lang::kEn;  // language of the stored report's texts
};

class Importer {
 public:
  Importer(RegistryStore& store, ChangeService& changes, const Clock& clock)
      : store_(store), imports_(store), changes_(changes), clock_(clock) {}

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
  Result<std::optional<ImportReport>> Report(std::int64_t id) { return imports_.Report(id); }

 private:
  Status KeepReport(ImportOutcome& out, const Actor& author, const ImportOptions& options);

  RegistryStore& store_;
  ImportStore imports_;
  ChangeService& changes_;
  const Clock& clock_;
};

// The text of an import error or warning in `lang`.
std::string RenderRowError(const RowError& error, i18n::Lang lang);

// The CSV text of a report: header row,column,value,reason,code and one line per error.
std::string ErrorReportCsv(const std::vector<RowError>& errors, i18n::Lang lang);

}  // namespace sanad::registry
