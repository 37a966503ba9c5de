#include "targeting/model.h"

#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "registry_model/vocabulary.h"

namespace sanad::targeting {
namespace {

using Json = nlohmann::json;
using registry::VocabularyOf;

template <typename E>
constexpr std::span<const std::string_view> Vocabulary() {
  return VocabularyOf<E>::kNames;
}

// In Variable order (checked by the tests).
const VariableSpec kVariables[] = {
    {Variable::kHouseholdSize, "household_size", VariableKind::kSize},
    {Variable::kHouseholdSizeSquared, "household_size_squared", VariableKind::kSize},
    {Variable::kRooms, "rooms", VariableKind::kCount},
    {Variable::kSpendElectricity, "spend_electricity", VariableKind::kAmount},
    {Variable::kSpendWater, "spend_water", VariableKind::kAmount},
    {Variable::kSpendButane, "spend_butane", VariableKind::kAmount},
    {Variable::kSpendTelephone, "spend_telephone", VariableKind::kAmount},
    {Variable::kLivestockUnits, "livestock_units", VariableKind::kCount},
    {Variable::kLandHectares, "land_hectares", VariableKind::kQuantity},
    {Variable::kHasRefrigerator, "has_refrigerator", VariableKind::kFlag},
    {Variable::kHasTelevision, "has_television", VariableKind::kFlag},
    {Variable::kHasWashingMachine, "has_washing_machine", VariableKind::kFlag},
    {Variable::kHasCar, "has_car", VariableKind::kFlag},
    {Variable::kHasMotorcycle, "has_motorcycle", VariableKind::kFlag},
    {Variable::kChildrenUnder15, "children_under_15", VariableKind::kCount},
    {Variable::kElderly65Plus, "elderly_65_plus", VariableKind::kCount},
    {Variable::kDisabledMembers, "disabled_members", VariableKind::kCount},
    {Variable::kChildrenOutOfSchool, "children_out_of_school", VariableKind::kCount},
    {Variable::kMembersHigherEducation, "members_higher_education", VariableKind::kCount},
    {Variable::kMembersEmployed, "members_employed", VariableKind::kCount},
    {Variable::kDwellingType, "dwelling_type", VariableKind::kCategorical, Vocabulary<registry::DwellingType>()},
    {Variable::kTenure, "tenure", VariableKind::kCategorical, Vocabulary<registry::Tenure>()},
    {Variable::kWallMaterial, "wall_material", VariableKind::kCategorical, Vocabulary<registry::WallMaterial>()},
    {Variable::kRoofMaterial, "roof_material", VariableKind::kCategorical, Vocabulary<registry::RoofMaterial>()},
    {Variable::kWaterSource, "water_source", VariableKind::kCategorical, Vocabulary<registry::WaterSource>()},
    {Variable::kElectricity, "electricity", VariableKind::kCategorical, Vocabulary<registry::ElectricitySource>()},
    {Variable::kSanitation, "sanitation", VariableKind::kCategorical, Vocabulary<registry::Sanitation>()},
};
static_assert(std::size(kVariables) == kVariableCount);

// Collects every problem of a model file, each under its JSON path.
class Checker {
 public:
  void Add(std::string reason, const std::string& path, MessageParams params = {}) {
    params.insert(params.begin(), {"path", path});
    problems_.push_back(Problem{std::move(reason), path, std::move(params), {}});
  }
  bool Ok() const { return problems_.empty(); }
  std::vector<Problem> Take() { return std::move(problems_); }

  // The member `key` of `object`, or null after reporting it (when required) or its wrong type.
  const Json* Member(const Json& object, const std::string& path, const char* key, Json::value_t type, bool required) {
    const std::string at = path + "/" + key;
    auto it = object.find(key);
    if (it == object.end()) {
      if (required) Add("score_model.missing", at);
      return nullptr;
    }
    const bool fits = type == Json::value_t::number_float ? it->is_number() : it->type() == type;
    if (fits && type == Json::value_t::number_float) return Bounded(*it, at) ? &*it : nullptr;
    if (!fits) {
      Add(type == Json::value_t::number_float ? "score_model.not_number"
          : type == Json::value_t::string     ? "score_model.not_text"
          : type == Json::value_t::object     ? "score_model.not_object"
                                              : "score_model.not_array",
          at);
      return nullptr;
    }
    return &*it;
  }

  // Whether a number of the model is within kMaxModelNumber, after reporting it when not.
  bool Bounded(const Json& number, const std::string& at) {
    if (std::abs(number.get<double>()) <= kMaxModelNumber) return true;
    Add("score_model.number_out_of_range", at, {{"max", std::to_string(static_cast<long long>(kMaxModelNumber))}});
    return false;
  }

  void OnlyKeys(const Json& object, const std::string& path, std::initializer_list<std::string_view> keys) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string at = path;
        at += "/";
        at += key;
        Add("score_model.unknown_key", at, {{"value", key}});
      }
    }
  }

 private:
  std::vector<Problem> problems_;
};

std::optional<Per> PerNamed(std::string_view s) {
  if (s == "household") return Per::kHousehold;
  if (s == "per_capita") return Per::kCapita;
  if (s == "annual_per_capita") return Per::kAnnualCapita;
  return std::nullopt;
}

bool PerFits(VariableKind kind, Per per) {
  switch (per) {
    case Per::kHousehold:
      return true;
    case Per::kCapita:
      return kind == VariableKind::kCount || kind == VariableKind::kAmount || kind == VariableKind::kQuantity;
    case Per::kAnnualCapita:
      return kind == VariableKind::kAmount;
  }
  return false;
}

// A region code: country prefix and one segment, no dots (MA-03).
bool IsRegionCode(std::string_view code) {
  if (code.size() < 4 || code[2] != '-' || code.find('.') != std::string_view::npos) return false;
  for (char c : code.substr(0, 2)) {
    if (c < 'A' || c > 'Z') return false;
  }
  for (char c : code.substr(3)) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

std::string LabelOf(const Term& t, std::string_view per_name, std::string_view area_name) {
  const VariableSpec& spec = SpecOf(t.variable);
  std::string label(spec.name);
  if (t.category >= 0) label += "=" + std::string(spec.categories[static_cast<std::size_t>(t.category)]);
  if (t.per != Per::kHousehold) label += "/" + std::string(per_name);
  if (t.area != AreaType::kBoth) label += "@" + std::string(area_name);
  return label;
}

void ReadTerm(Checker& c, const Json& j, const std::string& path, std::set<std::string>& labels, Model& model) {
  if (!j.is_object()) {
    c.Add("score_model.not_object", path);
    return;
  }
  c.OnlyKeys(j, path, {"variable", "coefficient", "per", "category", "area", "note"});
  const Json* variable = c.Member(j, path, "variable", Json::value_t::string, true);
  const Json* coefficient = c.Member(j, path, "coefficient", Json::value_t::number_float, true);
  const Json* per = c.Member(j, path, "per", Json::value_t::string, false);
  const Json* category = c.Member(j, path, "category", Json::value_t::string, false);
  const Json* area = c.Member(j, path, "area", Json::value_t::string, false);
  c.Member(j, path, "note", Json::value_t::string, false);

  Term t;
  bool ok = variable != nullptr && coefficient != nullptr;
  std::optional<Variable> v;
  if (variable != nullptr) {
    v = VariableNamed(variable->get_ref<const std::string&>());
    if (!v) {
      c.Add("score_model.unknown_variable", path + "/variable", {{"value", variable->get<std::string>()}});
      return;
    }
    t.variable = *v;
  }
  if (coefficient != nullptr) t.coefficient = coefficient->get<double>();
  std::string per_name = per != nullptr ? per->get<std::string>() : "household";
  if (auto p = PerNamed(per_name)) {
    t.per = *p;
  } else {
    c.Add("score_model.unknown_per", path + "/per", {{"value", per_name}});
    ok = false;
  }
  std::string area_name = area != nullptr ? area->get<std::string>() : "";
  if (area_name == "urban") {
    t.area = AreaType::kUrban;
  } else if (area_name == "rural") {
    t.area = AreaType::kRural;
  } else if (area != nullptr) {
    c.Add("score_model.unknown_area", path + "/area", {{"value", area_name}});
    ok = false;
  }
  if (!v) return;
  const VariableSpec& spec = SpecOf(*v);
  const std::string name(spec.name);
  if (!PerFits(spec.kind, t.per)) {
    c.Add("score_model.per_not_allowed", path + "/per", {{"variable", name}, {"value", per_name}});
    ok = false;
  }
  if (spec.kind == VariableKind::kCategorical) {
    if (category == nullptr) {
      if (!j.contains("category")) c.Add("score_model.category_required", path + "/category", {{"variable", name}});
      ok = false;
    } else {
      const auto& value = category->get_ref<const std::string&>();
      auto found = std::find(spec.categories.begin(), spec.categories.end(), value);
      if (found == spec.categories.end()) {
        c.Add("score_model.unknown_category", path + "/category", {{"variable", name}, {"value", value}});
        ok = false;
      } else {
        t.category = static_cast<int>(found - spec.categories.begin());
      }
    }
  } else if (j.contains("category")) {
    c.Add("score_model.category_not_allowed", path + "/category", {{"variable", name}});
    ok = false;
  }
  if (!ok) return;
  t.label = LabelOf(t, per_name, area_name);
  if (!labels.insert(t.label).second) {
    c.Add("score_model.duplicate_term", path, {{"value", t.label}});
    return;
  }
  model.terms.push_back(std::move(t));
}

}  // namespace

std::span<const VariableSpec> Variables() { return kVariables; }

const VariableSpec& SpecOf(Variable v) { return kVariables[static_cast<std::size_t>(v)]; }

std::optional<Variable> VariableNamed(std::string_view name) {
  for (const auto& spec : kVariables) {
    if (spec.name == name) return spec.variable;
  }
  return std::nullopt;
}

std::string_view RegionOfCommune(std::string_view commune_code) {
  return commune_code.substr(0, commune_code.find('.'));
}

Result<Model> ParseModel(std::string_view json_text) {
  Json root;
  // The DOM parser, told where the text stops being JSON: the byte the error names.
  struct Positioned : nlohmann::detail::json_sax_dom_parser<Json> {
    using json_sax_dom_parser::json_sax_dom_parser;
    std::size_t at = 0;
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
      at = position;
      return false;
    }
  } sax(root, /*allow_exceptions=*/false);
  if (!Json::sax_parse(json_text, &sax)) {
    return Failure(Code::kInvalidArgument, "score_model.malformed_at", {{"position", std::to_string(sax.at)}});
  }
  Checker c;
  Model model;
  if (!root.is_object()) {
    c.Add("score_model.not_object", "");
    return Failures(Code::kInvalidArgument, "score_model.invalid", c.Take());
  }
  c.OnlyKeys(root, "", {"model", "version", "description", "intercept", "region_effects", "terms"});
  if (const Json* name = c.Member(root, "", "model", Json::value_t::string, true)) {
    model.name = name->get<std::string>();
    if (model.name.empty()) c.Add("score_model.empty", "/model");
  }
  if (const Json* version = c.Member(root, "", "version", Json::value_t::string, true)) {
    model.version = version->get<std::string>();
    if (model.version.empty()) c.Add("score_model.empty", "/version");
  }
  if (const Json* d = c.Member(root, "", "description", Json::value_t::string, false)) {
    model.description = d->get<std::string>();
  }
  if (const Json* intercept = c.Member(root, "", "intercept", Json::value_t::object, true)) {
    c.OnlyKeys(*intercept, "/intercept", {"urban", "rural"});
    if (const Json* u = c.Member(*intercept, "/intercept", "urban", Json::value_t::number_float, true)) {
      model.intercept_urban = u->get<double>();
    }
    if (const Json* r = c.Member(*intercept, "/intercept", "rural", Json::value_t::number_float, true)) {
      model.intercept_rural = r->get<double>();
    }
  }
  if (const Json* regions = c.Member(root, "", "region_effects", Json::value_t::object, false)) {
    for (const auto& [code, effect] : regions->items()) {
      const std::string at = "/region_effects/" + code;
      if (!IsRegionCode(code)) {
        c.Add("score_model.not_region", at, {{"value", code}});
      } else if (!effect.is_number()) {
        c.Add("score_model.not_number", at);
      } else if (c.Bounded(effect, at)) {
        model.region_effects.emplace(code, effect.get<double>());
      }
    }
  }
  if (const Json* terms = c.Member(root, "", "terms", Json::value_t::array, true)) {
    std::set<std::string> labels;
    for (std::size_t i = 0; i < terms->size(); ++i) {
      ReadTerm(c, (*terms)[i], "/terms/" + std::to_string(i), labels, model);
    }
  }
  if (!c.Ok()) return Failures(Code::kInvalidArgument, "score_model.invalid", c.Take());
  model.definition = root.dump();
  return model;
}

Status CheckRegions(const Model& model, const std::function<Result<bool>(const std::string& code)>& is_region) {
  Checker c;
  for (const auto& [code, effect] : model.region_effects) {
    auto known = is_region(code);
    if (!known) return std::unexpected(known.error());
    if (!*known) c.Add("score_model.unknown_region", "/region_effects/" + code, {{"value", code}});
  }
  if (!c.Ok()) return Failures(Code::kInvalidArgument, "score_model.invalid", c.Take());
  return Ok();
}

Result<Model> LoadModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return WithText(Failure(Code::kNotFound, "file.cannot_open", {{"file", path}}, "file"), "cannot open " + path);
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Failure(Code::kInternal, "file.cannot_read", {{"file", path}}, "file");
  return ParseModel(text);
}

}  // namespace sanad::targeting
