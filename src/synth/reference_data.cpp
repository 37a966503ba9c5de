#include "synth/reference_data.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <unordered_map>

#include <fmt/format.h>

namespace sanad::synth {
namespace {

// Algeria: the commune file has no population. Assumption (documented in docs/data-formats.md):
// a wilaya seat (code_commune ending in 01) holds 4 times as many households as an ordinary commune,
// a daïra seat (commune named like its daïra) twice as many. Urban shares are assumed 0.95 / 0.80 / 0.60
// for these three kinds, which gives ≈ 71% urban households, close to Algeria's ≈ 74% urban population.
// Mean household size assumed 4.6 in urban and 5.3 in rural settings (ONS orders of magnitude).
constexpr double kDzWilayaSeatWeight = 4.0;
constexpr double kDzDairaSeatWeight = 2.0;
constexpr double kDzUrbanWilayaSeat = 0.95;
constexpr double kDzUrbanDairaSeat = 0.80;
constexpr double kDzUrbanOther = 0.60;
constexpr double kDzSizeUrban = 4.6;
constexpr double kDzSizeRural = 5.3;

struct CsvFile {
  std::filesystem::path path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  int Column(std::string_view name) const {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  }
};

Result<CsvFile> ReadCsv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, fmt::format("cannot open reference file {}", path.string()), "data_dir");
  CsvFile file{path, {}, {}};
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (line.empty() || line == "\r") continue;
    auto fields = SplitCsvLine(line);
    if (first) {
      file.header = std::move(fields);
      first = false;
      continue;
    }
    if (fields.size() != file.header.size()) {
      return Fail(Code::kInvalidArgument, fmt::format("{} fields, expected {}", fields.size(), file.header.size()),
                  fmt::format("{} row {}", path.string(), file.rows.size() + 2));
    }
    file.rows.push_back(std::move(fields));
  }
  return file;
}

Result<std::vector<int>> Columns(const CsvFile& file, std::initializer_list<std::string_view> names) {
  std::vector<int> out;
  for (auto name : names) {
    int c = file.Column(name);
    if (c < 0) {
      return Fail(Code::kInvalidArgument, fmt::format("missing column {}", name), file.path.string());
    }
    out.push_back(c);
  }
  return out;
}

template <typename T>
Result<T> Number(const CsvFile& file, std::size_t row, int column) {
  const std::string& text = file.rows[row][static_cast<std::size_t>(column)];
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Fail(Code::kInvalidArgument, fmt::format("not a number: '{}'", text),
                fmt::format("{} row {}, column {}", file.path.string(), row + 2, file.header[column]));
  }
  return value;
}

Result<std::vector<Commune>> LoadMorocco(const std::filesystem::path& path) {
  auto file = ReadCsv(path);
  if (!file) return std::unexpected(file.error());
  auto cols = Columns(*file, {"code", "name_fr", "name_ar", "type", "population_2024", "households_2024"});
  if (!cols) return std::unexpected(cols.error());
  std::vector<Commune> out;
  for (std::size_t r = 0; r < file->rows.size(); ++r) {
    const auto& row = file->rows[r];
    auto population = Number<double>(*file, r, (*cols)[4]);
    if (!population) return std::unexpected(population.error());
    auto households = Number<double>(*file, r, (*cols)[5]);
    if (!households) return std::unexpected(households.error());
    const std::string& code = row[(*cols)[0]];
    const std::string& type = row[(*cols)[3]];
    if (type != "urban" && type != "rural") {
      return Fail(Code::kInvalidArgument, fmt::format("type must be urban or rural, got '{}'", type),
                  fmt::format("{} row {}, column type", path.string(), r + 2));
    }
    Commune c;
    c.area_code = "MA-" + code;
    c.name_fr = row[(*cols)[1]];
    c.name_ar = row[(*cols)[2]];
    c.household_weight = *households > 0 ? *households : *population / 4.0;
    double size = *households > 0 ? *population / *households : 4.0;
    c.mean_household_size = std::clamp(size, 2.0, 8.0);
    c.urban_probability = type == "urban" ? 1.0 : 0.0;
    int region = 0;
    std::from_chars(code.data(), code.data() + std::min<std::size_t>(2, code.size()), region);
    c.region = static_cast<std::uint8_t>(region);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Commune>> LoadAlgeria(const std::filesystem::path& path) {
  auto file = ReadCsv(path);
  if (!file) return std::unexpected(file.error());
  auto cols = Columns(*file, {"name_fr", "name_ar", "daira", "code_commune"});
  if (!cols) return std::unexpected(cols.error());
  std::vector<Commune> out;
  for (std::size_t r = 0; r < file->rows.size(); ++r) {
    const auto& row = file->rows[r];
    auto code = Number<int>(*file, r, (*cols)[3]);
    if (!code) return std::unexpected(code.error());
    if (*code <= 0 || *code > 9999) {
      return Fail(Code::kInvalidArgument, "code_commune out of range",
                  fmt::format("{} row {}, column code_commune", path.string(), r + 2));
    }
    Commune c;
    c.area_code = fmt::format("DZ-{:04d}", *code);
    c.name_fr = row[(*cols)[0]];
    c.name_ar = row[(*cols)[1]];
    const bool wilaya_seat = *code % 100 == 1;
    const bool daira_seat = !wilaya_seat && row[(*cols)[0]] == row[(*cols)[2]];
    c.household_weight = wilaya_seat ? kDzWilayaSeatWeight : daira_seat ? kDzDairaSeatWeight : 1.0;
    c.urban_probability = wilaya_seat ? kDzUrbanWilayaSeat : daira_seat ? kDzUrbanDairaSeat : kDzUrbanOther;
    c.mean_household_size = c.urban_probability * kDzSizeUrban + (1 - c.urban_probability) * kDzSizeRural;
    c.region = static_cast<std::uint8_t>(*code / 100);
    out.push_back(std::move(c));
  }
  return out;
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

void AddVariant(std::vector<std::string>& out, const std::string& base, std::string v) {
  if (v.empty() || v == base) return;
  if (std::find(out.begin(), out.end(), v) != out.end()) return;
  out.push_back(std::move(v));
}

// One-rule Latin transliteration variants (docs/domain.md §4.1): ou↔u, ch→sh, dj→j, c→s before a
// vowel (Hacene), silent final e, doubled consonants, y/i, article and particles fused or split.
void LatinRuleVariants(const std::string& name, std::vector<std::string>& out) {
  struct Rule {
    std::string_view from, to;
  };
  static constexpr Rule kRules[] = {
      {"ou", "u"},
      {"ch", "sh"},
      {"dj", "j"},
      {"ss", "s"},
      {"rr", "r"},
      {"ll", "l"},
      {"kk", "k"},
      {"mm", "m"},
      {"nn", "n"},
      {"dd", "d"},
      {"bb", "b"},
      {"zz", "z"},
      {"ae", "a"},
      {"ai", "ay"},
      {"ei", "ey"},
      {"k", "q"},
      {"ce", "sse"},
      {"ci", "ssi"},
      {"y", "i"},
      {"Ou", "W"},
      {"Ch", "Sh"},
      {"Dj", "J"},
      {"El ", "El-"},
      {"El ", ""},
      {"El ", "Al "},
      {"Ait ", "Aït "},
      {"Ait ", "Ait-"},
      {"Ait ", "Ait"},
      {"Ould ", "Ould-"},
      {"Ould ", "Ouled "},
      {"Hadj ", "El Hadj "},
      {"Ben ", "Ben-"},
  };
  for (const auto& rule : kRules) {
    std::size_t pos = name.find(rule.from);
    if (pos == std::string::npos) continue;
    std::string v = name;
    v.replace(pos, rule.from.size(), rule.to);
    AddVariant(out, name, std::move(v));
  }
  // Fused particle split: Benali → Ben Ali, Belkacem → Bel Kacem, Benjelloun → Ben Jelloun.
  for (std::string_view prefix : {"Ben", "Bel"}) {
    if (name.size() > prefix.size() + 2 && name.starts_with(prefix) && name[prefix.size()] != ' ' &&
        name[prefix.size()] != 'n') {
      std::string rest = name.substr(prefix.size());
      rest[0] = static_cast<char>(rest[0] - 'a' + 'A');
      if (rest[0] >= 'A' && rest[0] <= 'Z') AddVariant(out, name, std::string(prefix) + " " + rest);
    }
  }
  // Final silent e dropped or added (Hanane/Hanan, Yassine/Yassin, Karim/Karime).
  if (name.size() > 3 && name.ends_with("ne")) AddVariant(out, name, name.substr(0, name.size() - 1));
  if (name.size() > 3 && (name.ends_with("n") || name.ends_with("m"))) AddVariant(out, name, name + "e");
  // Final -i / -y (Saidi/Saidy).
  if (name.size() > 3 && name.ends_with("i")) AddVariant(out, name, name.substr(0, name.size() - 1) + "y");
}

// One-rule Arabic spelling variants (docs/domain.md §4.1 normalisation list, applied in reverse: what
// operators type when they do not write hamza or the exact final letter).
void ArabicRuleVariants(const std::string& name, std::vector<std::string>& out) {
  struct Rule {
    std::string_view from, to;
  };
  static constexpr Rule kRules[] = {
      {"أ", "ا"},          {"إ", "ا"},    {"آ", "ا"},
      {"ئ", "ي"},          {"ة", "ه"},    {"ى", "ي"},
      {"عبد ال", "عبدال"}, {"بن ", "بن"}, {"الرحمان", "الرحمن"},
      {"نور ال", "نورال"},
  };
  for (const auto& rule : kRules) {
    if (name.find(rule.from) == std::string::npos) continue;
    std::string v = name;
    ReplaceAll(v, rule.from, rule.to);
    AddVariant(out, name, std::move(v));
  }
  // Nisba surname with and without the article: العلوي / علوي.
  if (name.starts_with("ال") && name.size() > 6) AddVariant(out, name, name.substr(std::string_view("ال").size()));
}

Result<void> LoadNames(const std::filesystem::path& names_dir, ReferenceData& data) {
  auto seed = ReadCsv(names_dir / "maghreb_names_synthetic_seed.csv");
  if (!seed) return std::unexpected(seed.error());
  auto cols = Columns(*seed, {"type", "gender", "country", "name_latin", "name_arabic", "weight_assumed"});
  if (!cols) return std::unexpected(cols.error());
  auto variants_file = ReadCsv(names_dir / "maghreb_name_variants.csv");
  if (!variants_file) return std::unexpected(variants_file.error());
  auto vcols = Columns(*variants_file, {"canonical_latin", "arabic", "latin_variants"});
  if (!vcols) return std::unexpected(vcols.error());
  std::unordered_map<std::string, std::vector<std::string>> listed;
  for (const auto& row : variants_file->rows) {
    std::vector<std::string> forms;
    std::string_view all = row[(*vcols)[2]];
    while (!all.empty()) {
      auto bar = all.find('|');
      forms.emplace_back(all.substr(0, bar));
      all = bar == std::string_view::npos ? std::string_view{} : all.substr(bar + 1);
    }
    listed[row[(*vcols)[0]]] = std::move(forms);
  }

  for (std::size_t r = 0; r < seed->rows.size(); ++r) {
    const auto& row = seed->rows[r];
    NameEntry e;
    e.latin = row[(*cols)[3]];
    e.arabic = row[(*cols)[4]];
    const std::string& country = row[(*cols)[2]];
    e.morocco = country.find("MA") != std::string::npos;
    e.algeria = country.find("DZ") != std::string::npos;
    auto weight = Number<double>(*seed, r, (*cols)[5]);
    if (!weight) return std::unexpected(weight.error());
    e.weight = *weight;
    if (auto it = listed.find(e.latin); it != listed.end()) {
      for (const auto& v : it->second) AddVariant(e.latin_variants, e.latin, v);
    }
    LatinRuleVariants(e.latin, e.latin_variants);
    ArabicRuleVariants(e.arabic, e.arabic_variants);
    const std::string& type = row[(*cols)[0]];
    if (type == "given") {
      const std::string& gender = row[(*cols)[1]];
      if (gender != "M" && gender != "F") {
        return Fail(Code::kInvalidArgument, "gender must be M or F",
                    fmt::format("{} row {}, column gender", seed->path.string(), r + 2));
      }
      e.sex = gender == "M" ? Sex::kMale : Sex::kFemale;
      data.given_names.push_back(std::move(e));
    } else if (type == "surname") {
      data.surnames.push_back(std::move(e));
    } else {
      return Fail(Code::kInvalidArgument, fmt::format("type must be given or surname, got '{}'", type),
                  fmt::format("{} row {}, column type", seed->path.string(), r + 2));
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> SplitCsvLine(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(ch);
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(ch);
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

Result<ReferenceData> LoadReferenceData(const std::filesystem::path& data_dir) {
  ReferenceData data;
  auto ma = LoadMorocco(data_dir / "admin" / "ma_communes_1503.csv");
  if (!ma) return std::unexpected(ma.error());
  data.morocco_communes = std::move(*ma);
  auto dz = LoadAlgeria(data_dir / "admin" / "dz_communes_1541.csv");
  if (!dz) return std::unexpected(dz.error());
  data.algeria_communes = std::move(*dz);
  auto names = LoadNames(data_dir / "names", data);
  if (!names) return std::unexpected(names.error());
  if (data.given_names.empty() || data.surnames.empty()) {
    return Fail(Code::kInvalidArgument, "the name seed file has no given names or no surnames",
                (data_dir / "names").string());
  }
  return data;
}

}  // namespace sanad::synth
