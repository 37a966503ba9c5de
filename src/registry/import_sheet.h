// An import file read into memory as a table of text cells: CSV through the project's one CSV grammar
// (core/csv.h) or the first sheet of an XLSX workbook (registry/xlsx_reader.h). Only the columns the
// caller keeps are stored, trimmed, as views into the file's bytes or into the sheet's own arena.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sanad::registry {

enum class FileFormat { kCsv, kXlsx };

// "csv" / "xlsx" from a file name's extension or a media type; nullopt when neither is recognised.
std::optional<FileFormat> FormatFromName(std::string_view file_name);
std::optional<FileFormat> FormatFromMediaType(std::string_view content_type);

// One problem of an import row: row number as in the file (the header is row 1; 0 for the whole file),
// column name (empty for a problem of the whole row), the raw value, and a catalogue code with its
// parameters (src/i18n/messages), rendered in the reader's language by the report and the API.
struct RowError {
  long row = 0;
  std::string column;
  std::string value;
  std::string reason;
  MessageParams params;
};

struct Sheet {
  std::vector<std::string> header;      // every column of the file, trimmed
  std::vector<int> kept;                // kept[k] = column of the file held in cells[.. + k]
  std::size_t width = 0;                // kept.size()
  std::vector<std::string_view> cells;  // row-major: rows × width, trimmed
  std::vector<long> row_no;             // row number in the file (header = first row)
  std::deque<std::string> arena;        // owned text (unescaped CSV fields, XLSX values)
  std::vector<RowError> row_errors;     // rows that could not be read as a whole
  bool xlsx = false;

  std::size_t rows() const { return row_no.size(); }
  std::string_view at(std::size_t r, std::size_t k) const { return cells[r * width + k]; }
};

// Chooses the kept columns once the header (trimmed) is known.
using SelectColumns = std::function<std::vector<int>(const std::vector<std::string>& header)>;

// Reads `bytes` into `sheet`: the first non-blank row is the header, blank rows are skipped, a cell the
// exporter guarded against formulas ('=…) gets its quote back off. Errors: kInvalidArgument with a
// catalogue code (csv.*, xlsx.*, import.no_header).
Status ReadSheet(std::string_view bytes, FileFormat format, Sheet& sheet, const SelectColumns& select);

// A spreadsheet as rows of text cells (the header row first), every column kept. `row_numbers` receives
// each row's number in the file. Errors: as ReadSheet.
Result<std::vector<std::vector<std::string>>> ReadSpreadsheet(std::string_view bytes, FileFormat format,
                                                              std::vector<long>* row_numbers = nullptr);

}  // namespace sanad::registry
