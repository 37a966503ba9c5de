#include "linkage/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace sanad::linkage {
namespace {

constexpr std::array<std::string_view, kNumCols> kColNames = {
    "given_lat", "given_ar",   "given_key", "family_lat",  "family_ar", "family_key", "father_lat",
    "father_ar", "father_key", "sex",       "commune",     "province",  "locality",   "postcode",
    "address",   "street_no",  "state",     "national_id", "phone"};
constexpr std::array<std::string_view, 7> kKindNames = {"name",          "date", "commune",   "exact",
                                                        "exact_or_typo", "text", "identifier"};

// The column whose value frequency drives the term-frequency adjustment of an exact level: for names,
// the script in which the two records are equal.
Col TfColumn(const ComparisonSpec& spec, const RecordStore& store, std::uint32_t a, std::uint32_t b) {
  if (spec.kind == CompareKind::kName) {
    const Col lat = spec.col, ar = static_cast<Col>(static_cast<int>(spec.col) + 1);
    return store.Id(lat, a) != 0 && store.Id(lat, a) == store.Id(lat, b) ? lat : ar;
  }
  return spec.col;
}

}  // namespace

std::string ColName(Col c) { return std::string(kColNames[static_cast<std::size_t>(c)]); }
Result<Col> ParseCol(std::string_view name) {
  for (std::size_t i = 0; i < kColNames.size(); ++i)
    if (kColNames[i] == name) return static_cast<Col>(i);
  return Fail(Code::kInvalidArgument, fmt::format("unknown column '{}'", name));
}
std::string KindName(CompareKind k) { return std::string(kKindNames[static_cast<std::size_t>(k)]); }
Result<CompareKind> ParseKind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<CompareKind>(i);
  return Fail(Code::kInvalidArgument, fmt::format("unknown comparison kind '{}'", name));
}

Model::Model(std::vector<ComparisonSpec> comparisons) : comparisons_(std::move(comparisons)) {
  for (const auto& c : comparisons_) {
    const int n = LevelCount(c.kind);
    std::vector<double> m(static_cast<std::size_t>(n) + 1, 0.0), u(m);
    // Start m high on the best level and decreasing; u uniform. EM and random sampling replace them.
    double total = 0;
    for (int l = 1; l <= n; ++l) total += (m[static_cast<std::size_t>(l)] = std::pow(0.25, l - 1));
    for (int l = 1; l <= n; ++l) {
      m[static_cast<std::size_t>(l)] /= total;
      u[static_cast<std::size_t>(l)] = 1.0 / n;
    }
    m_.push_back(std::move(m));
    u_.push_back(std::move(u));
  }
  Finalize();
}

void Model::Finalize() {
  const double l = std::clamp(lambda_, 1e-12, 1.0 - 1e-12);
  prior_log2_ = std::log2(l / (1.0 - l));
  log2_bf_.assign(comparisons_.size(), {});
  for (std::size_t c = 0; c < comparisons_.size(); ++c) {
    log2_bf_[c].assign(m_[c].size(), 0.0);
    for (std::size_t lv = 1; lv < m_[c].size(); ++lv) {
      log2_bf_[c][lv] = std::log2(std::max(m_[c][lv], 1e-9) / std::max(u_[c][lv], 1e-9));
    }
  }
}

double Model::TfAdjustment(const RecordStore& store, std::size_t c, std::uint32_t a, std::uint32_t b) const {
  const Col col = TfColumn(comparisons_[c], store, a, b);
  const std::uint32_t id = store.Id(col, a);
  const std::size_t non_null = store.NonNull(col);
  if (id == 0 || non_null == 0) return 0.0;
  // tf = P(a random record has this value). Splink: bf_tf = u_exact / tf, i.e. agreement on a value
  // rarer than average is stronger evidence. A value seen once still has tf ≥ 1/non_null.
  const double tf = static_cast<double>(store.dict(col).Count(id)) / static_cast<double>(non_null);
  return std::log2(std::max(u_[c][1], 1e-9) / std::max(tf, 1e-9));
}

double Model::Weight(const RecordStore& store, std::uint32_t gamma, std::uint32_t a, std::uint32_t b) const {
  double w = prior_log2_;
  for (std::size_t c = 0; c < comparisons_.size(); ++c) {
    const int lv = LevelOf(gamma, c);
    if (lv == 0) continue;
    w += log2_bf_[c][static_cast<std::size_t>(lv)];
    if (lv == 1 && comparisons_[c].term_frequency) w += TfAdjustment(store, c, a, b);
  }
  return w;
}

double Model::Probability(double weight) {
  const double odds = std::exp2(weight);
  return std::isinf(odds) ? 1.0 : odds / (1.0 + odds);
}

double Model::WeightOf(double p) {
  p = std::clamp(p, 1e-12, 1.0 - 1e-12);
  return std::log2(p / (1.0 - p));
}

Explanation Model::Explain(const RecordStore& store, std::uint32_t a, std::uint32_t b) const {
  Explanation e;
  e.prior_log2 = prior_log2_;
  e.weight = prior_log2_;
  for (std::size_t c = 0; c < comparisons_.size(); ++c) {
    const auto& spec = comparisons_[c];
    Contribution k;
    k.comparison = spec.name;
    k.level = CompareLevel(store, spec, a, b);
    k.label = LevelLabel(spec.kind, k.level);
    auto show = [&](std::uint32_t r) -> std::string {
      switch (spec.kind) {
        case CompareKind::kDate:
          return store.BirthDate(r) ? std::to_string(store.BirthDate(r)) : "";
        case CompareKind::kCommune:
          return std::string(store.Value(Col::kCommune, r));
        case CompareKind::kName: {
          const Col ar = static_cast<Col>(static_cast<int>(spec.col) + 1),
                    key = static_cast<Col>(static_cast<int>(spec.col) + 2);
          std::string v(store.Value(spec.col, r));
          if (store.Id(ar, r)) v += (v.empty() ? "" : " / ") + std::string("[arabic]");
          return v + " {" + std::string(store.Value(key, r)) + "}";
        }
        default:
          return std::string(store.Value(spec.col, r));
      }
    };
    k.value_a = show(a);
    k.value_b = show(b);
    if (k.level > 0) {
      k.m = m_[c][static_cast<std::size_t>(k.level)];
      k.u = u_[c][static_cast<std::size_t>(k.level)];
      k.log2_bf = log2_bf_[c][static_cast<std::size_t>(k.level)];
      if (k.level == 1 && spec.term_frequency) k.tf_adjustment = TfAdjustment(store, c, a, b);
    }
    e.weight += k.log2_bf + k.tf_adjustment;
    e.fields.push_back(std::move(k));
  }
  e.probability = Probability(e.weight);
  return e;
}

std::string Model::ToJson() const {
  nlohmann::json j;
  j["format"] = "sanad-linkage-model/1";
  j["probability_two_random_records_match"] = lambda_;
  auto& arr = j["comparisons"] = nlohmann::json::array();
  for (std::size_t c = 0; c < comparisons_.size(); ++c) {
    const auto& s = comparisons_[c];
    nlohmann::json levels = nlohmann::json::array();
    for (std::size_t lv = 1; lv < m_[c].size(); ++lv)
      levels.push_back({{"label", LevelLabel(s.kind, static_cast<int>(lv))}, {"m", m_[c][lv]}, {"u", u_[c][lv]}});
    arr.push_back({{"name", s.name},
                   {"kind", KindName(s.kind)},
                   {"column", ColName(s.col)},
                   {"term_frequency_adjustments", s.term_frequency},
                   {"levels", levels}});
  }
  return j.dump(2);
}

Result<Model> Model::FromJson(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.value("format", "") != "sanad-linkage-model/1")
      return Fail(Code::kInvalidArgument, "not a sanad linkage model (format must be sanad-linkage-model/1)",
                  "/format");
    std::vector<ComparisonSpec> specs;
    const auto& arr = j.at("comparisons");
    if (!arr.is_array() || arr.empty() || arr.size() > static_cast<std::size_t>(kMaxComparisons))
      return Fail(Code::kInvalidArgument, "comparisons must be a non-empty array of at most 10", "/comparisons");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      ComparisonSpec s;
      s.name = arr[i].at("name").get<std::string>();
      auto kind = ParseKind(arr[i].at("kind").get<std::string>());
      auto col = ParseCol(arr[i].at("column").get<std::string>());
      if (!kind) return Fail(Code::kInvalidArgument, kind.error().message, fmt::format("/comparisons/{}/kind", i));
      if (!col) return Fail(Code::kInvalidArgument, col.error().message, fmt::format("/comparisons/{}/column", i));
      s.kind = *kind;
      s.col = *col;
      s.term_frequency = arr[i].value("term_frequency_adjustments", false);
      specs.push_back(s);
    }
    Model model(specs);
    model.lambda_ = j.at("probability_two_random_records_match").get<double>();
    if (!(model.lambda_ > 0 && model.lambda_ < 1))
      return Fail(Code::kInvalidArgument, "must be in (0, 1)", "/probability_two_random_records_match");
    for (std::size_t c = 0; c < specs.size(); ++c) {
      const auto& levels = arr[c].at("levels");
      if (levels.size() != static_cast<std::size_t>(LevelCount(specs[c].kind)))
        return Fail(Code::kInvalidArgument, fmt::format("expected {} levels", LevelCount(specs[c].kind)),
                    fmt::format("/comparisons/{}/levels", c));
      for (std::size_t lv = 0; lv < levels.size(); ++lv) {
        model.m_[c][lv + 1] = levels[lv].at("m").get<double>();
        model.u_[c][lv + 1] = levels[lv].at("u").get<double>();
      }
    }
    model.Finalize();
    return model;
  } catch (const nlohmann::json::exception& e) {
    return Fail(Code::kInvalidArgument, fmt::format("bad model JSON: {}", e.what()));
  }
}

Status Model::Save(const std::string& path) const {
  std::ofstream out(path);
  if (!out) return Fail(Code::kNotFound, fmt::format("cannot write '{}'", path), "model");
  out << ToJson() << '\n';
  return out ? Ok() : Fail(Code::kInternal, fmt::format("write to '{}' failed", path), "model");
}

Result<Model> Model::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(Code::kNotFound, fmt::format("cannot open model '{}'", path), "model");
  std::stringstream ss;
  ss << in.rdbuf();
  auto m = FromJson(ss.str());
  if (!m) return Fail(m.error().code, fmt::format("{}: {}", path, m.error().message), m.error().field);
  return m;
}

}  // namespace sanad::linkage
