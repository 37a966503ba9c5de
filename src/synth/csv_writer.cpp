#include "synth/csv_writer.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "synth/identifiers.h"
#include "synth/parallel.h"

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
    "social_security_fund,social_security_number,family_allowances,true_person_id";

void AppendUnsigned(std::string& out, std::uint64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

template <typename E>
void AppendEnum(std::string& out, E value) {
  out.append(ToString(value));
}

// Fixed 4-decimal rendering of a float (deterministic, no locale).
void AppendFixed4(std::string& out, float value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 4);
  out.append(buf, end);
}

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

void FormatHouseholdRows(const Registry& registry, std::size_t begin, std::size_t end, std::string& out) {
  const auto& h = registry.households;
  const std::string_view currency = registry.country == Country::kMorocco ? "MAD" : "DZD";
  std::string scratch;
  for (std::size_t i = begin; i < end; ++i) {
    AppendHouseholdRef(out, i);
    out.push_back(',');
    AppendCsvField(out, registry.communes[h.commune[i]].area_code);
    out.append(h.urban[i] ? ",1," : ",0,");
    scratch.clear();
    AppendAddress(scratch, registry, i);
    AppendCsvField(out, scratch);
    out.push_back(',');
    AppendUnsigned(out, h.member_count[i]);
    out.push_back(',');
    AppendEnum(out, h.dwelling_type[i]);
    out.push_back(',');
    AppendEnum(out, h.tenure[i]);
    out.push_back(',');
    AppendUnsigned(out, h.rooms[i]);
    out.push_back(',');
    AppendEnum(out, h.wall_material[i]);
    out.push_back(',');
    AppendEnum(out, h.roof_material[i]);
    out.push_back(',');
    AppendEnum(out, h.water_source[i]);
    out.push_back(',');
    AppendEnum(out, h.electricity[i]);
    out.push_back(',');
    AppendEnum(out, h.sanitation[i]);
    out.push_back(',');
    out.append(currency);
    for (const auto* spend : {&h.spend_electricity, &h.spend_water, &h.spend_butane, &h.spend_telephone}) {
      out.push_back(',');
      AppendUnsigned(out, (*spend)[i]);
    }
    for (const auto* asset :
         {&h.has_refrigerator, &h.has_television, &h.has_washing_machine, &h.has_car, &h.has_motorcycle}) {
      out.append((*asset)[i] ? ",1" : ",0");
    }
    out.push_back(',');
    AppendUnsigned(out, h.livestock_units[i]);
    out.push_back(',');
    AppendUnsigned(out, h.land_tenth_hectares[i] / 10);
    out.push_back('.');
    AppendUnsigned(out, h.land_tenth_hectares[i] % 10);
    out.push_back(',');
    AppendEnum(out, h.registration_channel[i]);
    out.push_back(',');
    AppendDate(out, h.registration_date[i]);
    out.push_back(',');
    AppendEnum(out, h.status[i]);
    out.push_back(',');
    AppendFixed4(out, h.latent_log_consumption[i]);
    out.push_back(',');
    AppendHouseholdRef(out, h.true_household[i]);
    out.push_back('\n');
  }
}

void FormatPersonRows(const Registry& registry, std::size_t begin, std::size_t end, std::string& out) {
  const auto& p = registry.persons;
  const auto& text = registry.text;
  std::string mother;
  for (std::size_t i = begin; i < end; ++i) {
    AppendRecordId(out, i);
    out.push_back(',');
    AppendHouseholdRef(out, p.household[i]);
    out.push_back(',');
    AppendEnum(out, p.relationship[i]);
    for (TextRef ref :
         {p.given_name_ar[i], p.family_name_ar[i], p.given_name_lat[i], p.family_name_lat[i], p.father_name_ar[i]}) {
      out.push_back(',');
      AppendCsvField(out, text.Get(ref));
    }
    out.push_back(',');
    // Mother's name: given and family name in Arabic, space-separated (either may be missing).
    const std::string_view mother_given = text.Get(p.mother_given_name_ar[i]);
    const std::string_view mother_family = text.Get(p.mother_family_name_ar[i]);
    mother.assign(mother_given);
    if (!mother_given.empty() && !mother_family.empty()) mother.push_back(' ');
    mother.append(mother_family);
    AppendCsvField(out, mother);
    out.push_back(',');
    AppendEnum(out, p.sex[i]);
    out.push_back(',');
    AppendBirthDate(out, registry, i);
    out.push_back(',');
    AppendCsvField(out, registry.communes[p.birth_commune[i]].area_code);
    out.push_back(',');
    AppendNationalId(out, registry, i);
    out.push_back(',');
    AppendPhone(out, registry, i);
    out.push_back(',');
    AppendEnum(out, p.marital_status[i]);
    out.push_back(',');
    AppendEnum(out, p.schooling[i]);
    out.push_back(',');
    AppendUnsigned(out, p.disability_percent[i]);
    out.push_back(',');
    AppendEnum(out, p.occupation[i]);
    out.push_back(',');
    AppendEnum(out, p.disability_type[i]);
    out.push_back(',');
    AppendEnum(out, p.education_level[i]);
    out.push_back(',');
    AppendEnum(out, p.employment_status[i]);
    out.push_back(',');
    AppendEnum(out, p.social_security_fund[i]);
    out.push_back(',');
    AppendSocialSecurityNumber(out, registry, i);
    out.append(p.family_allowances[i] ? ",1," : ",0,");
    AppendRecordId(out, p.true_person[i]);
    out.push_back('\n');
  }
}

Status WriteHouseholdsCsv(const Registry& registry, const std::filesystem::path& path, const WriteOptions& options) {
  return WriteFile(registry, path, kHouseholdsHeader, registry.HouseholdCount(), 8192, &FormatHouseholdRows, options);
}

Status WritePersonsCsv(const Registry& registry, const std::filesystem::path& path, const WriteOptions& options) {
  return WriteFile(registry, path, kPersonsHeader, registry.PersonCount(), 16384, &FormatPersonRows, options);
}

}  // namespace sanad::synth
