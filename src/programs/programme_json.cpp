#include "programs/programme_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "programs/templates.h"

namespace sanad::programs {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxCodeBytes = 120;

std::unexpected<Error> Bad(std::string_view reason, const std::string& path, MessageParams params = {}) {
  params.insert(params.begin(), {"field", path});
  return Failure(Code::kInvalidArgument, std::string(reason), std::move(params), path);
}

// Reads the members of one JSON object, each error naming its path; unknown members are refused.
class Reader {
 public:
  Reader(const json& j, std::string prefix) : j_(j), prefix_(std::move(prefix)) {}

  std::string Path(std::string_view name) const { return prefix_ + std::string(name); }

  Result<const json*> Member(std::string_view name, bool required) {
    seen_.emplace_back(name);
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) {
      if (required) return Bad(MsgCode("field.required"), Path(name));
      return nullptr;
    }
    return &*it;
  }

  Result<std::string> String(std::string_view name, std::size_t max, bool required = true) {
    auto m = Member(name, required);
    if (!m) return std::unexpected(m.error());
    if (*m == nullptr) return std::string();
    if (!(*m)->is_string()) return Bad(MsgCode("field.not_string"), Path(name));
    auto s = (*m)->get<std::string>();
    if (s.size() > max) return Bad(MsgCode("field.too_long"), Path(name), {{"max", std::to_string(max)}});
    if (required && s.empty()) return Bad(MsgCode("field.required"), Path(name));
    return s;
  }

  Result<const json*> Array(std::string_view name, std::size_t max) {
    auto m = Member(name, false);
    if (!m) return std::unexpected(m.error());
    if (*m == nullptr) return nullptr;
    if (!(*m)->is_array()) return Bad(MsgCode("field.not_array"), Path(name));
    if ((*m)->size() > max) return Bad(MsgCode("field.too_many_items"), Path(name), {{"max", std::to_string(max)}});
    return *m;
  }

  Status RejectUnknown() const {
    for (const auto& [key, value] : j_.items()) {
      if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) {
        return Failure(Code::kInvalidArgument, "field.unknown", {{"name", key}}, Path(key));
      }
    }
    return Ok();
  }

 private:
  const json& j_;
  std::string prefix_;
  std::vector<std::string> seen_;
};

template <typename E>
Result<E> Enum(Reader& r, std::string_view name, std::optional<E> (*parse)(std::string_view), const char* allowed) {
  auto text = r.String(name, 40);
  if (!text) return std::unexpected(text.error());
  auto v = parse(*text);
  if (!v) return Bad(MsgCode("value.not_allowed"), r.Path(name), {{"value", *text}, {"allowed", allowed}});
  return *v;
}

// Reads each item of the array `name` with `read(item, "name[i].")`.
template <typename T, typename F>
Result<std::vector<T>> Items(Reader& r, std::string_view name, std::size_t max, F read) {
  auto a = r.Array(name, max);
  if (!a) return std::unexpected(a.error());
  std::vector<T> out;
  if (*a == nullptr) return out;
  for (std::size_t i = 0; i < (*a)->size(); ++i) {
    const std::string path = r.Path(name) + "[" + std::to_string(i) + "]";
    if (!(**a)[i].is_object()) return Bad(MsgCode("field.not_object"), path);
    Reader item((**a)[i], path + ".");
    auto v = read(item);
    if (!v) return std::unexpected(v.error());
    if (auto st = item.RejectUnknown(); !st) return std::unexpected(st.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<Condition> ReadCondition(Reader& r) {
  Condition c;
  auto reason = r.String("reason", kMaxCodeBytes);
  if (!reason) return std::unexpected(reason.error());
  c.reason = *reason;
  auto rule = r.String("rule", kMaxRuleBytes);
  if (!rule) return std::unexpected(rule.error());
  c.rule = *rule;
  auto params = Items<std::pair<std::string, std::string>>(
      r, "reason_params", 16, [](Reader& p) -> Result<std::pair<std::string, std::string>> {
        auto name = p.String("name", 64);
        if (!name) return std::unexpected(name.error());
        auto rule = p.String("rule", kMaxRuleBytes);
        if (!rule) return std::unexpected(rule.error());
        return std::pair{*name, *rule};
      });
  if (!params) return std::unexpected(params.error());
  c.reason_params = std::move(*params);
  return c;
}

Result<Line> ReadLine(Reader& r) {
  auto label = r.String("label", kMaxCodeBytes);
  if (!label) return std::unexpected(label.error());
  auto rule = r.String("rule", kMaxRuleBytes);
  if (!rule) return std::unexpected(rule.error());
  return Line{*label, *rule};
}

Result<OneOff> ReadOneOff(Reader& r) {
  auto line = ReadLine(r);
  if (!line) return std::unexpected(line.error());
  OneOff o{line->label, line->rule, 0};
  auto month = r.Member("month", false);
  if (!month) return std::unexpected(month.error());
  if (*month != nullptr) {
    if (!(*month)->is_number_integer()) return Bad(MsgCode("field.not_integer"), r.Path("month"));
    const auto m = (*month)->get<std::int64_t>();
    if (m < 0 || m > 12) return Bad(MsgCode("field.out_of_range"), r.Path("month"), {{"min", "0"}, {"max", "12"}});
    o.month = static_cast<unsigned>(m);
  }
  return o;
}

Result<ParameterSet> ReadParameterSet(Reader& r) {
  ParameterSet set;
  auto from = r.String("from", 10);
  if (!from) return std::unexpected(from.error());
  auto day = ParseDate(*from, r.Path("from"));
  if (!day) return Bad(MsgCode("value.not_date"), r.Path("from"), {{"value", *from}});
  set.from = *day;
  auto params = r.Member("params", true);
  if (!params) return std::unexpected(params.error());
  if (!(*params)->is_object()) return Bad(MsgCode("field.not_object"), r.Path("params"));
  if ((*params)->size() > kMaxParams) {
    return Bad(MsgCode("field.too_many_items"), r.Path("params"), {{"max", std::to_string(kMaxParams)}});
  }
  for (const auto& [name, value] : (*params)->items()) {
    const std::string path = r.Path("params.") + name;
    if (name.empty() || name.size() > kMaxCodeBytes) {
      return Bad(MsgCode("field.too_long"), path, {{"max", std::to_string(kMaxCodeBytes)}});
    }
    if (value.is_number_integer()) {
      set.params.emplace(name, value.get<std::int64_t>());
    } else if (value.is_number_float()) {
      set.params.emplace(name, value.get<double>());
    } else {
      return Bad(MsgCode("field.not_number"), path);
    }
  }
  return set;
}

}  // namespace

json ProgrammeToJson(const Programme& p) {
  json eligibility = json::array();
  for (const auto& c : p.eligibility) {
    json params = json::array();
    for (const auto& [name, rule] : c.reason_params) params.push_back({{"name", name}, {"rule", rule}});
    eligibility.push_back({{"reason", c.reason}, {"rule", c.rule}, {"reason_params", params}});
  }
  json lines = json::array();
  for (const auto& l : p.lines) lines.push_back({{"label", l.label}, {"rule", l.rule}});
  json one_offs = json::array();
  for (const auto& o : p.one_offs) one_offs.push_back({{"label", o.label}, {"rule", o.rule}, {"month", o.month}});
  json sets = json::array();
  for (const auto& s : p.parameter_sets) {
    json params = json::object();
    for (const auto& [name, value] : s.params) {
      std::visit([&](const auto& v) { params[name] = v; }, value);
    }
    sets.push_back({{"from", s.from.ToString()}, {"params", params}});
  }
  return json{{"code", p.code},
              {"name_ar", p.name_ar},
              {"name_fr", p.name_fr},
              {"name_en", p.name_en},
              {"country", p.country},
              {"currency", p.currency},
              {"kind", KindName(p.kind)},
              {"unit", UnitName(p.unit)},
              {"frequency", FrequencyName(p.frequency)},
              {"budget_minor", p.budget_minor ? json(*p.budget_minor) : json(nullptr)},
              {"incompatible", p.incompatible},
              {"public", p.is_public},
              {"eligibility", eligibility},
              {"lines", lines},
              {"one_offs", one_offs},
              {"parameter_sets", sets}};
}

Result<Programme> ProgrammeFromJson(const json& j) {
  if (!j.is_object()) return Failure(Code::kInvalidArgument, "json.not_object", {{"type", j.type_name()}}, "body");
  Reader r(j, "");
  Programme p;
  for (auto [name, out] :
       {std::pair{"code", &p.code}, std::pair{"name_ar", &p.name_ar}, std::pair{"name_fr", &p.name_fr},
        std::pair{"name_en", &p.name_en}, std::pair{"country", &p.country}, std::pair{"currency", &p.currency}}) {
    auto v = r.String(name, std::string_view(name) == "code" ? 40 : kMaxNameBytes);
    if (!v) return std::unexpected(v.error());
    *out = *v;
  }
  auto kind = Enum<Kind>(r, "kind", ParseKind, "cash, in_kind, service, insurance");
  if (!kind) return std::unexpected(kind.error());
  p.kind = *kind;
  auto unit = Enum<Unit>(r, "unit", ParseUnit, "household, person");
  if (!unit) return std::unexpected(unit.error());
  p.unit = *unit;
  auto frequency = Enum<Frequency>(r, "frequency", ParseFrequency, "monthly, one_off, yearly");
  if (!frequency) return std::unexpected(frequency.error());
  p.frequency = *frequency;
  auto budget = r.Member("budget_minor", false);
  if (!budget) return std::unexpected(budget.error());
  if (*budget != nullptr) {
    if (!(*budget)->is_number_integer()) return Bad(MsgCode("field.not_integer"), "budget_minor");
    const auto b = (*budget)->get<std::int64_t>();
    if (b < 0)
      return Bad(MsgCode("field.out_of_range"), "budget_minor", {{"min", "0"}, {"max", "9223372036854775807"}});
    p.budget_minor = b;
  }
  auto incompatible = r.Array("incompatible", 32);
  if (!incompatible) return std::unexpected(incompatible.error());
  if (*incompatible != nullptr) {
    for (std::size_t i = 0; i < (*incompatible)->size(); ++i) {
      const auto& code = (**incompatible)[i];
      if (!code.is_string() || code.get_ref<const std::string&>().size() > 40) {
        return Bad(MsgCode("field.item_not_string"), "incompatible", {{"index", std::to_string(i)}});
      }
      p.incompatible.push_back(code.get<std::string>());
    }
  }
  // A definition saved before the setting existed says nothing: public when built in, as it was then.
  auto is_public = r.Member("public", false);
  if (!is_public) return std::unexpected(is_public.error());
  if (*is_public != nullptr && !(*is_public)->is_boolean()) return Bad(MsgCode("field.not_boolean"), "public");
  p.is_public = *is_public != nullptr ? (*is_public)->get<bool>() : FindBuiltin(p.code) != nullptr;
  auto eligibility = Items<Condition>(r, "eligibility", kMaxRules, ReadCondition);
  if (!eligibility) return std::unexpected(eligibility.error());
  p.eligibility = std::move(*eligibility);
  auto lines = Items<Line>(r, "lines", kMaxRules, ReadLine);
  if (!lines) return std::unexpected(lines.error());
  p.lines = std::move(*lines);
  auto one_offs = Items<OneOff>(r, "one_offs", kMaxRules, ReadOneOff);
  if (!one_offs) return std::unexpected(one_offs.error());
  p.one_offs = std::move(*one_offs);
  auto sets = Items<ParameterSet>(r, "parameter_sets", kMaxParameterSets, ReadParameterSet);
  if (!sets) return std::unexpected(sets.error());
  p.parameter_sets = std::move(*sets);
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  return p;
}

Result<std::vector<ParameterSet>> ParameterSetsFromJson(const json& j) {
  const json wrapped{{"parameter_sets", j}};
  Reader r(wrapped, "");
  return Items<ParameterSet>(r, "parameter_sets", kMaxParameterSets, ReadParameterSet);
}

}  // namespace sanad::programs
