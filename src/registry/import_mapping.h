// The first steps of an import, shared by the importer and the households-with-members grouping: the
// file's header mapped through the import columns, and the row errors they report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "registry/import_columns.h"
#include "registry/import_sheet.h"

namespace sanad::registry {

// `s` itself when it is well-formed UTF-8, otherwise with every invalid sequence replaced by U+FFFD: a
// report quotes the file's bytes, and must be readable (PostgreSQL refuses invalid UTF-8 in text).
std::string ValidUtf8(std::string_view s);

// A row error with a catalogue code and its parameters.
RowError RowProblem(long row, std::string_view column, std::string_view value, std::string_view reason,
                    MessageParams params = {});

// The columns of a sheet the importer keeps, in the sheet's kept order.
struct Mapping {
  std::vector<const ImportColumn*> columns;  // one per kept column of the sheet
  std::vector<RowError> warnings;
  std::vector<RowError> missing;  // required columns absent

  // Kept index of the column with `role` (and `field`), or -1.
  int Find(ColumnRole role, int field = -1) const;
};

// Maps `header` through the columns of `kind` into `m`; returns the file's columns to keep. Empty,
// repeated, unknown and registry-set columns are warnings; absent required columns are in m.missing.
std::vector<int> MapHeader(ImportKind kind, const std::vector<std::string>& header, Mapping& m);

}  // namespace sanad::registry
