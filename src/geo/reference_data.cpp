#include "geo/reference_data.h"

#include <fmt/format.h>
#include <charconv>
#include <fstream>
#include <unordered_map>

#include "core/csv.h"

namespace sanad::geo {

namespace {

std::optional<double> ToDouble(const std::string& s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<long long> ToInt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Opens a CSV and checks it has the columns we read, so a changed source file fails loudly.
Result<csv::Reader> OpenWith(const std::string& path, std::initializer_list<const char*> columns) {
  auto r = csv::Reader::Open(path);
  if (!r) return r;
  for (const char* c : columns) {
    if (r->Column(c) < 0) return Fail(Code::kInvalidArgument, fmt::format("{}: missing column '{}'", path, c), c);
  }
  return r;
}

#define SANAD_TRY(var, expr) \
  auto var = (expr);         \
  if (!var) return std::unexpected(var.error())

Status LoadMorocco(const std::string& dir, AreaSet& set) {
  std::vector<std::string> row;
  SANAD_TRY(regions,
            OpenWith(dir + "/ma_regions_12.csv", {"code", "name_fr", "name_ar", "population_2024", "households_2024"}));
  while (true) {
    SANAD_TRY(more, regions->Next(row));
    if (!*more) break;
    Area a;
    a.code = "MA-" + row[regions->Column("code")];
    a.country = "MA";
    a.level = "region";
    a.name_fr = row[regions->Column("name_fr")];
    a.name_ar = row[regions->Column("name_ar")];
    a.population = ToInt(row[regions->Column("population_2024")]);
    a.households = ToInt(row[regions->Column("households_2024")]);
    set.areas.push_back(std::move(a));
  }
  SANAD_TRY(provinces, OpenWith(dir + "/ma_provinces_75.csv", {"code", "name_fr", "name_ar", "type", "region_code",
                                                               "population_2024", "households_2024"}));
  while (true) {
    SANAD_TRY(more, provinces->Next(row));
    if (!*more) break;
    Area a;
    a.code = "MA-" + row[provinces->Column("code")];
    a.country = "MA";
    a.level = "province";
    a.name_fr = row[provinces->Column("name_fr")];
    a.name_ar = row[provinces->Column("name_ar")];
    a.kind = row[provinces->Column("type")];
    a.population = ToInt(row[provinces->Column("population_2024")]);
    a.households = ToInt(row[provinces->Column("households_2024")]);
    // Casablanca's 8 préfectures d'arrondissements (06.141.01.00 …) sit inside the prefecture of
    // Casablanca (06.141), not beside it: their population is part of Casablanca's.
    const std::string& hcp = row[provinces->Column("code")];
    auto second_dot = hcp.find('.', hcp.find('.') + 1);
    set.parents.push_back({a.code, second_dot == std::string::npos ? "MA-" + row[provinces->Column("region_code")]
                                                                   : "MA-" + hcp.substr(0, second_dot)});
    set.areas.push_back(std::move(a));
  }
  std::unordered_map<std::string, std::pair<std::optional<double>, std::optional<double>>> centroids;
  SANAD_TRY(cent, OpenWith(dir + "/ma_communes_centroids.csv", {"code", "lat", "lng"}));
  while (true) {
    SANAD_TRY(more, cent->Next(row));
    if (!*more) break;
    centroids[row[0]] = {ToDouble(row[cent->Column("lat")]), ToDouble(row[cent->Column("lng")])};
  }
  SANAD_TRY(communes, OpenWith(dir + "/ma_communes_1503.csv",
                               {"code", "name_fr", "name_ar", "type", "population_2024", "households_2024"}));
  while (true) {
    SANAD_TRY(more, communes->Next(row));
    if (!*more) break;
    const std::string& hcp = row[communes->Column("code")];
    // The province is the first two dotted parts of the HCP code RR.PPP.CC.NN.
    auto second_dot = hcp.find('.', hcp.find('.') + 1);
    if (second_dot == std::string::npos) {
      return Fail(
          Code::kInvalidArgument,
          fmt::format("{} line {}: commune code '{}' is not RR.PPP.CC.NN", communes->name(), communes->line(), hcp),
          "code");
    }
    Area a;
    a.code = "MA-" + hcp;
    a.country = "MA";
    a.level = "commune";
    a.name_fr = row[communes->Column("name_fr")];
    a.name_ar = row[communes->Column("name_ar")];
    a.kind = row[communes->Column("type")];
    a.population = ToInt(row[communes->Column("population_2024")]);
    a.households = ToInt(row[communes->Column("households_2024")]);
    if (auto it = centroids.find(hcp); it != centroids.end()) {
      a.lat = it->second.first;
      a.lon = it->second.second;
    }
    set.parents.push_back({a.code, "MA-" + hcp.substr(0, second_dot)});
    set.areas.push_back(std::move(a));
  }
  return Ok();
}

std::string WilayaCode(long long n) { return fmt::format("DZ-{:02d}", n); }

Status LoadAlgeria(const std::string& dir, AreaSet& set) {
  std::vector<std::string> row;
  std::unordered_map<long long, std::string> wilaya_from;
  SANAD_TRY(wilayas,
            OpenWith(dir + "/dz_wilayas_69.csv", {"code", "name_fr", "name_ar", "latitude", "longitude", "created"}));
  while (true) {
    SANAD_TRY(more, wilayas->Next(row));
    if (!*more) break;
    auto n = ToInt(row[wilayas->Column("code")]);
    if (!n)
      return Fail(Code::kInvalidArgument, fmt::format("{} line {}: bad wilaya code", wilayas->name(), wilayas->line()),
                  "code");
    const std::string& created = row[wilayas->Column("created")];
    Area a;
    a.code = WilayaCode(*n);
    a.country = "DZ";
    a.level = "province";
    a.kind = "wilaya";
    a.name_fr = row[wilayas->Column("name_fr")];
    a.name_ar = row[wilayas->Column("name_ar")];
    a.lat = ToDouble(row[wilayas->Column("latitude")]);
    a.lon = ToDouble(row[wilayas->Column("longitude")]);
    if (created == "2025")
      a.valid_from = kAlgeria69WilayasFrom;
    else if (created == "2019")
      a.valid_from = kAlgeria58WilayasFrom;
    wilaya_from[*n] = a.valid_from;
    set.areas.push_back(std::move(a));
  }
  SANAD_TRY(communes, OpenWith(dir + "/dz_communes_1541.csv",
                               {"name_fr", "name_ar", "wilaya_code", "latitude", "longitude", "code_commune"}));
  while (true) {
    SANAD_TRY(more, communes->Next(row));
    if (!*more) break;
    auto code = ToInt(row[communes->Column("code_commune")]);
    auto wilaya = ToInt(row[communes->Column("wilaya_code")]);
    if (!code || !wilaya || !wilaya_from.contains(*wilaya)) {
      return Fail(Code::kInvalidArgument,
                  fmt::format("{} line {}: bad commune or wilaya code", communes->name(), communes->line()),
                  "code_commune");
    }
    Area a;
    a.code = fmt::format("DZ-{:04d}", *code);
    a.country = "DZ";
    a.level = "commune";
    a.name_fr = row[communes->Column("name_fr")];
    a.name_ar = row[communes->Column("name_ar")];
    a.lat = ToDouble(row[communes->Column("latitude")]);
    a.lon = ToDouble(row[communes->Column("longitude")]);
    // The historical commune code carries its original wilaya (1607 → 16). A commune of a wilaya
    // created later belonged to that original wilaya until the creation date.
    long long original = *code / 100;
    const std::string& from = wilaya_from[*wilaya];
    if (original != *wilaya && from != kBeginningOfTime && wilaya_from.contains(original)) {
      set.parents.push_back({a.code, WilayaCode(original), kBeginningOfTime, from});
      set.parents.push_back({a.code, WilayaCode(*wilaya), from, kEndOfTime});
    } else {
      set.parents.push_back({a.code, WilayaCode(*wilaya)});
    }
    set.areas.push_back(std::move(a));
  }
  return Ok();
}

}  // namespace

Result<AreaSet> LoadReferenceAreas(const std::string& data_dir) {
  AreaSet set;
  const std::string dir = data_dir + "/admin";
  if (auto s = LoadMorocco(dir, set); !s) return std::unexpected(s.error());
  if (auto s = LoadAlgeria(dir, set); !s) return std::unexpected(s.error());
  return set;
}

Result<std::string> ReferenceChecksum(const std::string& data_dir) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char* f : {"ma_regions_12.csv", "ma_provinces_75.csv", "ma_communes_1503.csv", "ma_communes_centroids.csv",
                        "dz_wilayas_69.csv", "dz_communes_1541.csv"}) {
    std::ifstream in(data_dir + "/admin/" + f, std::ios::binary);
    if (!in)
      return Fail(Code::kNotFound, fmt::format("reference file {}/admin/{} is missing", data_dir, f), "data_dir");
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      for (std::streamsize i = 0; i < in.gcount(); ++i) {
        h ^= static_cast<unsigned char>(buf[i]);
        h *= 1099511628211ULL;
      }
    }
  }
  return fmt::format("v1-{:016x}", h);
}

std::string BoundariesPath(const std::string& data_dir, const std::string& country) {
  if (country == "MA") return data_dir + "/admin/ma_regions_boundaries.geojson";
  if (country == "DZ") return data_dir + "/admin/dz_wilaya_boundaries_odbl.geojson";
  return {};
}

}  // namespace sanad::geo
