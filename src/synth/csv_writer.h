// CSV output of a synthetic registry in the registry's canonical import format (docs/data-formats.md):
// UTF-8 without BOM, comma-separated, LF line ends, one header line, RFC 4180 quoting (a field holding
// a comma, a double quote, CR or LF is quoted and its quotes doubled), empty field = missing value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "synth/registry.h"

namespace sanad::synth {

struct WriteOptions {
  int threads = 0;  // formatting threads; 0 = hardware concurrency. Never changes the bytes written.
  // Called with (rows written, total rows) from the calling thread.
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// Appends `field` to `out`, quoted when needed (RFC 4180).
void AppendCsvField(std::string& out, std::string_view field);

// Header lines (without the final LF).
std::string_view HouseholdsCsvHeader();
std::string_view PersonsCsvHeader();

// Appends rows [begin, end) as CSV lines (each ending in LF).
void FormatHouseholdRows(const Registry& registry, std::size_t begin, std::size_t end, std::string& out);
void FormatPersonRows(const Registry& registry, std::size_t begin, std::size_t end, std::string& out);

// Write the whole file (header + rows), replacing it. Fails with kUnavailable (path in `field`) when the
// file cannot be created or written.
Status WriteHouseholdsCsv(const Registry& registry, const std::filesystem::path& path,
                          const WriteOptions& options = {});
Status WritePersonsCsv(const Registry& registry, const std::filesystem::path& path, const WriteOptions& options = {});

}  // namespace sanad::synth
