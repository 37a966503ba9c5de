#include "synth/csv_writer.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "synth/parallel.h"
#include "synth/registry_columns.h"

namespace sanad::synth {
namespace {

constexpr std::string_view kHouseholdsHeader =
    "household_ref,commune_code,urban,address,member_count,dwelling_type,tenure,rooms,wall_material,"
    "roof_material,water_source,electricity,sanitation,currency,spend_electricity,spend_water,spend_butane,"
    "spend_telephone,has_refrigerator,has_television,has_washing_machine,has_car,has_motorcycle,"
    "livestock_units,land_hectares,registration_channel,registration_date,status,latent_log_consumption,"
    "true_household_ref";

constexpr std::string_view kPersonsHeader =
    "record_id,household_ref,relationship,given_name_ar,family_name_ar,given_name_lat,family_name_lat,"
    "father_name_ar,mother_name_ar,sex,birth_date,birth_commune_code,national_id,phone,marital_status,"
    "schooling,disability_percent,occupation,disability_type,education_level,employment_status,"
    "social_security_fund,social_security_number,family_allowances,able_to_work,in_institution,true_person_id";

using Formatter = void (*)(const Registry&, std::size_t, std::size_t, std::string&);

Status WriteFile(const Registry& registry, const std::filesystem::path& path, std::string_view header, std::size_t rows,
                 std::size_t rows_per_block, Formatter format, const WriteOptions& options) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) {
    return Fail(Code::kUnavailable, fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)),
                "out_dir");
  }
  auto write = [&](std::string_view bytes) {
    return std::fwrite(bytes.data(), 1, bytes.size(), file.get()) == bytes.size();
  };
  std::string head(header);
  head.push_back('\n');
  bool ok = write(head);
  const int threads = internal::ResolveThreads(options.threads);
  const std::size_t blocks = (rows + rows_per_block - 1) / rows_per_block;
  const std::size_t per_round = static_cast<std::size_t>(threads) * 4;
  std::vector<std::string> buffers(per_round);
  for (std::size_t round = 0; ok && round < blocks; round += per_round) {
    const std::size_t count = std::min(per_round, blocks - round);
    internal::ParallelFor(static_cast<std::int64_t>(count), threads, [&](std::int64_t i) {
      const std::size_t block = round + static_cast<std::size_t>(i);
      std::string& buffer = buffers[static_cast<std::size_t>(i)];
      buffer.clear();
      format(registry, block * rows_per_block, std::min(rows, (block + 1) * rows_per_block), buffer);
    });
    for (std::size_t i = 0; ok && i < count; ++i) ok = write(buffers[i]);
    if (options.progress) {
      options.progress(static_cast<std::int64_t>(std::min(rows, (round + count) * rows_per_block)),
                       static_cast<std::int64_t>(rows));
    }
  }
  if (!ok || std::fflush(file.get()) != 0) {
    return Fail(Code::kUnavailable, fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)), "out_dir");
  }
  if (std::fclose(file.release()) != 0) {
    return Fail(Code::kUnavailable, fmt::format("cannot close {}: {}", path.string(), std::strerror(errno)), "out_dir");
  }
  return Ok();
}

}  // namespace

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string_view HouseholdsCsvHeader() { return kHouseholdsHeader; }
std::string_view PersonsCsvHeader() { return kPersonsHeader; }

namespace {

// One CSV line per row from the shared column mapping (registry_columns.h).
template <typename ForEachColumn>
void FormatRows(const Registry& registry, std::size_t begin, std::size_t end, std::string& out,
                ForEachColumn&& for_each) {
  std::string scratch;
  for (std::size_t i = begin; i < end; ++i) {
    bool first = true;
    for_each(registry, i, scratch, [&](std::string_view, std::string_view value) {
      if (!first) out.push_back(',');
      first = false;
      AppendCsvField(out, value);
    });
    out.push_back('\n');
  }
}

}  // namespace

void FormatHouseholdRows(const Registry& registry, std::size_t begin, std::size_t end, std::string& out) {
  FormatRows(registry, begin, end, out, [](const Registry& r, std::size_t i, std::string& scratch, auto&& emit) {
    ForEachHouseholdColumn(r, i, scratch, emit);
  });
}

void FormatPersonRows(const Registry& registry, std::size_t begin, std::size_t end, std::string& out) {
  FormatRows(registry, begin, end, out, [](const Registry& r, std::size_t i, std::string& scratch, auto&& emit) {
    ForEachPersonColumn(r, i, scratch, emit);
  });
}

Status WriteHouseholdsCsv(const Registry& registry, const std::filesystem::path& path, const WriteOptions& options) {
  return WriteFile(registry, path, kHouseholdsHeader, registry.HouseholdCount(), 8192, &FormatHouseholdRows, options);
}

Status WritePersonsCsv(const Registry& registry, const std::filesystem::path& path, const WriteOptions& options) {
  return WriteFile(registry, path, kPersonsHeader, registry.PersonCount(), 16384, &FormatPersonRows, options);
}

}  // namespace sanad::synth
