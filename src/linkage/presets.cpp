#include "linkage/presets.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/csv.h"

namespace sanad::linkage {
namespace {

struct ColumnMap {
  std::string_view name;
  InField field;
};

constexpr ColumnMap kSanadColumns[] = {{"given_name_ar", InField::kGivenAr},
                                       {"family_name_ar", InField::kFamilyAr},
                                       {"given_name_lat", InField::kGivenLat},
                                       {"family_name_lat", InField::kFamilyLat},
                                       {"father_name_ar", InField::kFatherAr},
                                       {"father_name_lat", InField::kFatherLat},
                                       {"sex", InField::kSex},
                                       {"birth_date", InField::kBirthDate},
                                       {"birth_commune_code", InField::kCommune},
                                       {"national_id", InField::kNationalId},
                                       {"phone", InField::kPhone}};
constexpr ColumnMap kFebrlColumns[] = {
    {"given_name", InField::kGivenLat}, {"surname", InField::kFamilyLat},       {"street_number", InField::kStreetNo},
    {"address_1", InField::kAddress},   {"suburb", InField::kLocality},         {"postcode", InField::kPostcode},
    {"state", InField::kState},         {"date_of_birth", InField::kBirthDate}, {"soc_sec_id", InField::kNationalId}};

KeyPart K(Col c) { return {KeyPartKind::kColumn, c}; }
KeyPart P2(Col c) { return {KeyPartKind::kPrefix2, c}; }
const KeyPart kDob{KeyPartKind::kBirthDate, Col::kGivenKey};
const KeyPart kYear{KeyPartKind::kBirthYear, Col::kGivenKey};
const KeyPart kMonthDay{KeyPartKind::kBirthMonthDay, Col::kGivenKey};
const KeyPart kDecade{KeyPartKind::kBirthDecade, Col::kGivenKey};

bool PartHasData(const RecordStore& s, const KeyPart& p) {
  if (p.kind == KeyPartKind::kBirthDate || p.kind == KeyPartKind::kBirthYear || p.kind == KeyPartKind::kBirthMonthDay ||
      p.kind == KeyPartKind::kBirthDecade)
    return s.HasBirthDate();
  return s.NonNull(p.col) > 0;
}

bool ComparisonHasData(const RecordStore& s, const ComparisonSpec& c) {
  switch (c.kind) {
    case CompareKind::kDate:
      return s.HasBirthDate();
    case CompareKind::kCommune:
      return s.NonNull(Col::kCommune) > 0;
    case CompareKind::kName:
      return s.NonNull(static_cast<Col>(static_cast<int>(c.col) + 2)) > 0;
    default:
      return s.NonNull(c.col) > 0;
  }
}

std::vector<BlockingRule> Usable(const RecordStore& s, std::vector<BlockingRule> rules) {
  std::erase_if(rules, [&](const BlockingRule& r) {
    return std::any_of(r.parts.begin(), r.parts.end(), [&](const KeyPart& p) { return !PartHasData(s, p); });
  });
  return rules;
}

}  // namespace

Result<Preset> ParsePreset(std::string_view name) {
  if (name == "sanad") return Preset::kSanad;
  if (name == "febrl") return Preset::kFebrl;
  if (name == "ncvr") return Preset::kNcvr;
  return Fail(Code::kInvalidArgument, fmt::format("unknown preset '{}' (expected sanad, febrl or ncvr)", name),
              "preset");
}

std::string_view PresetName(Preset p) {
  switch (p) {
    case Preset::kSanad:
      return "sanad";
    case Preset::kFebrl:
      return "febrl";
    case Preset::kNcvr:
      return "ncvr";
  }
  return "?";
}

Result<LoadStats> LoadCsv(const std::string& path, Preset preset, std::uint8_t source, RecordStoreBuilder& builder) {
  auto reader = csv::Reader::Open(path);
  if (!reader) {
    // Keeps the catalogue code and its parameters: the command line renders them in the operator's language.
    Error e = reader.error();
    if (e.code != Code::kNotFound) e.message = fmt::format("{}: {}", path, e.message);
    return std::unexpected(std::move(e));
  }
  const auto& header = reader->header();
  LoadStats stats;
  std::vector<std::pair<int, InField>> mapping;
  int id_col = -1;
  std::size_t min_fields = header.size();
  if (preset == Preset::kNcvr) {
    // Positional: recid, first name, last name, city, zip.
    id_col = 0;
    mapping = {{1, InField::kGivenLat}, {2, InField::kFamilyLat}, {3, InField::kLocality}, {4, InField::kPostcode}};
    stats.used_columns = {"1:recid", "2:first_name", "3:last_name", "4:city", "5:zip"};
    min_fields = 5;
  } else {
    const auto* cols = preset == Preset::kSanad ? kSanadColumns : kFebrlColumns;
    const std::size_t ncols = preset == Preset::kSanad ? std::size(kSanadColumns) : std::size(kFebrlColumns);
    for (std::size_t i = 0; i < ncols; ++i) {
      const int c = reader->Column(cols[i].name);
      if (c >= 0) {
        mapping.emplace_back(c, cols[i].field);
        stats.used_columns.emplace_back(cols[i].name);
      }
    }
    id_col = reader->Column(preset == Preset::kSanad ? "record_id" : "rec_id");
    if (mapping.empty())
      return Fail(Code::kInvalidArgument,
                  fmt::format("{}: no usable column for preset '{}' in the header (line 1)", path, PresetName(preset)),
                  "line 1");
    if (id_col < 0)
      return Fail(
          Code::kInvalidArgument,
          fmt::format("{}: missing id column '{}' (line 1)", path, preset == Preset::kSanad ? "record_id" : "rec_id"),
          "line 1");
  }
  std::vector<std::string> row;
  RawRecord rec;
  rec.source = source;
  for (;;) {
    auto ok = reader->Next(row);
    if (!ok) return Fail(ok.error().code, fmt::format("{}: {}", path, ok.error().message), ok.error().field);
    if (!*ok) break;
    const long line = reader->line();
    if (row.size() > std::max(header.size(), min_fields))
      return Fail(Code::kInvalidArgument,
                  fmt::format("{}: line {} has {} fields but the header has {}", path, line, row.size(), header.size()),
                  fmt::format("line {}, column {}", line, header.size() + 1));
    if (row.size() < min_fields)
      return Fail(Code::kInvalidArgument,
                  fmt::format("{}: line {} has {} fields, expected {}", path, line, row.size(), min_fields),
                  fmt::format("line {}", line));
    for (auto& f : rec.fields) f.clear();
    rec.id = row[static_cast<std::size_t>(id_col)];
    if (rec.id.find_first_not_of(" \t") == std::string::npos)
      return Fail(Code::kInvalidArgument,
                  fmt::format("{}: line {}, column {}: empty record id", path, line, id_col + 1),
                  fmt::format("line {}, column {}", line, id_col + 1));
    for (const auto& [c, f] : mapping) rec[f] = row[static_cast<std::size_t>(c)];
    builder.Add(rec);
    ++stats.records;
  }
  return stats;
}

ModelSpec DefaultSpec(Preset preset, LinkType link_type, const RecordStore& s) {
  ModelSpec spec;
  spec.link_type = link_type;
  switch (preset) {
    case Preset::kSanad:
      spec.comparisons = {{"given_name", CompareKind::kName, Col::kGivenLat, true},
                          {"family_name", CompareKind::kName, Col::kFamilyLat, true},
                          {"father_name", CompareKind::kName, Col::kFatherLat, true},
                          {"birth_date", CompareKind::kDate, Col::kSex, false},
                          {"birth_commune", CompareKind::kCommune, Col::kCommune, false},
                          {"sex", CompareKind::kExact, Col::kSex, false},
                          {"national_id", CompareKind::kIdentifier, Col::kNationalId, false},
                          {"phone", CompareKind::kExact, Col::kPhone, false}};
      spec.blocking = {{"national_id", {K(Col::kNationalId)}},
                       {"phone", {K(Col::kPhone)}},
                       {"given_key+family_key+birth_year", {K(Col::kGivenKey), K(Col::kFamilyKey), kYear}},
                       {"family_key+birth_date", {K(Col::kFamilyKey), kDob}},
                       {"given_key+birth_date", {K(Col::kGivenKey), kDob}},
                       {"birth_date+commune", {kDob, K(Col::kCommune)}},
                       {"given_key+family_key+father_key+birth_decade",
                        {K(Col::kGivenKey), K(Col::kFamilyKey), K(Col::kFatherKey), kDecade}},
                       {"given_key+family_key+commune", {K(Col::kGivenKey), K(Col::kFamilyKey), K(Col::kCommune)}},
                       {"given_key+family_key+birth_month_day", {K(Col::kGivenKey), K(Col::kFamilyKey), kMonthDay}},
                       {"given_key+commune+birth_year", {K(Col::kGivenKey), K(Col::kCommune), kYear}},
                       {"family_key+commune+birth_year", {K(Col::kFamilyKey), K(Col::kCommune), kYear}}};
      spec.training = {spec.blocking[2], spec.blocking[5], spec.blocking[0]};
      spec.deterministic = {{"national_id", {K(Col::kNationalId)}},
                            {"given_key+family_key+birth_date", {K(Col::kGivenKey), K(Col::kFamilyKey), kDob}}};
      spec.deterministic_recall = 0.7;
      spec.anti_chain_national_id = true;
      spec.anti_chain_twins = true;
      // Siblings share family name, father, commune and household phone, which Fellegi–Sunter adds up as
      // if independent; what tells them apart is decisive here. Brothers: a different given name (neither
      // exact nor same key) and a different birth date. Twins, and siblings whose birth date is missing:
      // a clearly different given name (Jaro–Winkler below 0.80 on every form, not one edit) whatever
      // the birth date. Neither applies when the national ids are equal; an id one keying error away
      // (level 2) does not lift them, so a near-identical id never links two siblings on its own.
      spec.exclusions = {{"different given name and birth date",
                          {{"given_name", 3, false}, {"birth_date", 7, false}, {"national_id", 2, true}}},
                         {"clearly different given name", {{"given_name", 6, false}, {"national_id", 2, true}}}};
      break;
    case Preset::kFebrl:
      spec.comparisons = {{"given_name", CompareKind::kName, Col::kGivenLat, true},
                          {"surname", CompareKind::kName, Col::kFamilyLat, true},
                          {"date_of_birth", CompareKind::kDate, Col::kSex, false},
                          {"soc_sec_id", CompareKind::kExactOrTypo, Col::kNationalId, false},
                          {"street_number", CompareKind::kExact, Col::kStreetNo, false},
                          {"address_1", CompareKind::kText, Col::kAddress, false},
                          {"suburb", CompareKind::kText, Col::kLocality, false},
                          {"postcode", CompareKind::kExactOrTypo, Col::kPostcode, false},
                          {"state", CompareKind::kExact, Col::kState, false}};
      spec.blocking = {{"given_key+family_key", {K(Col::kGivenKey), K(Col::kFamilyKey)}},
                       {"soc_sec_id", {K(Col::kNationalId)}},
                       {"date_of_birth", {kDob}},
                       {"postcode+street_number", {K(Col::kPostcode), K(Col::kStreetNo)}},
                       {"family_key+postcode", {K(Col::kFamilyKey), K(Col::kPostcode)}},
                       {"given_key+suburb", {K(Col::kGivenKey), K(Col::kLocality)}}};
      spec.training = {spec.blocking[0], spec.blocking[2], spec.blocking[1]};
      spec.deterministic = {{"soc_sec_id+date_of_birth", {K(Col::kNationalId), kDob}}};
      spec.deterministic_recall = 0.6;
      break;
    case Preset::kNcvr:
      spec.comparisons = {{"first_name", CompareKind::kName, Col::kGivenLat, true},
                          {"last_name", CompareKind::kName, Col::kFamilyLat, true},
                          {"city", CompareKind::kText, Col::kLocality, false},
                          {"zip", CompareKind::kExactOrTypo, Col::kPostcode, false}};
      spec.blocking = {{"given_key+family_key", {K(Col::kGivenKey), K(Col::kFamilyKey)}},
                       {"family_key+zip", {K(Col::kFamilyKey), K(Col::kPostcode)}},
                       {"given_key+zip", {K(Col::kGivenKey), K(Col::kPostcode)}},
                       {"given_prefix2+family_prefix2", {P2(Col::kGivenLat), P2(Col::kFamilyLat)}},
                       {"family_key+city", {K(Col::kFamilyKey), K(Col::kLocality)}},
                       {"given_key+city", {K(Col::kGivenKey), K(Col::kLocality)}}};
      spec.training = {spec.blocking[0], spec.blocking[1], spec.blocking[2]};
      spec.deterministic = {{"first+last+zip", {K(Col::kGivenLat), K(Col::kFamilyLat), K(Col::kPostcode)}}};
      spec.deterministic_recall = 0.5;
      break;
  }
  // The FEBRL-4 and NCVR files are each free of duplicates; a registry's own lists are not assumed to be.
  spec.one_record_per_source = link_type == LinkType::kLinkOnly && preset != Preset::kSanad;
  std::erase_if(spec.comparisons, [&](const ComparisonSpec& c) { return !ComparisonHasData(s, c); });
  spec.blocking = Usable(s, std::move(spec.blocking));
  if (spec.blocking.empty()) {
    // A file with names only (no date, id, phone or commune): block on the name keys there are.
    spec.blocking = Usable(
        s, {{"given_key+family_key", {K(Col::kGivenKey), K(Col::kFamilyKey)}}, {"family_key", {K(Col::kFamilyKey)}}});
    if (spec.blocking.empty()) spec.blocking = Usable(s, {{"given_key", {K(Col::kGivenKey)}}});
    spec.training = spec.blocking;
  }
  spec.training = Usable(s, std::move(spec.training));
  spec.deterministic = Usable(s, std::move(spec.deterministic));
  return spec;
}

}  // namespace sanad::linkage
