// Reading the first worksheet of an XLSX workbook (Office Open XML, ECMA-376 part 1 §18): the ZIP
// container through libzip, the XML parts through expat, both fed in chunks so that no part is ever held
// whole except the shared strings.
//
//   auto st = ReadXlsx(bytes, [&](long row, std::vector<std::string>& cells) -> Status { … return Ok(); });
//
// The sizes a ZIP directory declares are the sender's claim and are never trusted: each part is inflated
// chunk by chunk and reading stops at XlsxLimits (a 178-byte file can declare a 4 GiB part; a 1 MiB
// deflate stream can expand a thousandfold), and a part whose real size differs from the declared one is
// refused. Documents with a DTD are refused (no entity expansion at all).
//
// Cells: shared strings and inline strings (phonetic runs left out), numbers (whole numbers without a
// decimal point), booleans as 1/0, formula results as their cached value, and numbers whose cell format
// displays a date as YYYY-MM-DD. Empty cells and cells missing from the XML are "".
//
// Errors: kInvalidArgument with field "file" and a catalogue code: xlsx.not_zip, xlsx.damaged,
// xlsx.size_differs, xlsx.too_large, xlsx.bad_xml, xlsx.dtd, xlsx.no_workbook, xlsx.no_sheet; or the
// sink's own error, which ends the reading.
// Thread safety: stateless; concurrent calls are independent.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sanad::registry {

struct XlsxLimits {
  std::size_t max_part_bytes = 256u << 20;   // one decompressed part (the sheet's XML)
  std::size_t max_total_bytes = 512u << 20;  // all parts read from one file
  std::size_t max_ratio = 200;               // decompressed : compressed, checked past the first MiB
};

// One row of the sheet that has at least one cell: its number as the sheet shows it (1-based) and its
// cells by column (A = 0). The sink may move the strings out.
using XlsxRowSink = std::function<Status(long row, std::vector<std::string>& cells)>;

Status ReadXlsx(std::string_view bytes, const XlsxRowSink& sink, const XlsxLimits& limits = {});

// Excel serial day number (1900 date system) → YYYY-MM-DD; nullopt outside 1..2958465.
std::optional<std::string> ExcelSerialToDate(double serial);

}  // namespace sanad::registry
