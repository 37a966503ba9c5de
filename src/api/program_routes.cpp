// The programmes' list and their simulator (src/programs, docs/programs.md), public: a citizen tries
// whether a household would be eligible and for how much, without an account. Programmes are looked up in
// the catalogue (a saved definition, else the built-in template); editing is programme_edit_routes.cpp.
// The simulator keeps nothing and reads nothing of the registry (a missing index is computed by the active
// score model from the household's answers); it is rate-limited per client address because each call
// compiles and runs the programme's rules.
#include <nlohmann/json.hpp>

#include <functional>

#include "api/program_json.h"
#include "api/services.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"
#include "programs/simulate.h"
#include "registry/values.h"
#include "registry_model/fields.h"
#include "targeting/described_household.h"

namespace sanad::api {
namespace {

constexpr std::size_t kMaxMembers = 30;

// A member's field checked as the registry checks it (registry::NormalizeValue: the vocabulary's values),
// its error naming the member ("household.members[1].schooling").
Result<std::optional<std::string>> RegistryValue(http::ObjectReader& r, const std::string& name, bool required,
                                                 const std::string& where) {
  auto raw = r.OptionalString(name, 40);
  if (!raw) return std::unexpected(raw.error());
  if (!*raw) {
    if (!required) return std::optional<std::string>();
    return Failure(Code::kInvalidArgument, "field.required", {{"field", name}}, where + name);
  }
  const auto& spec = registry::kPersonFields[registry::FieldIndex(registry::kPersonFields, name)];
  auto v = registry::NormalizeValue(spec, **raw, registry::CountryCode::kMorocco);
  if (!v) {
    Error e = v.error();
    e.field = where + name;
    return std::unexpected(std::move(e));
  }
  return v;
}

Result<programs::MemberInput> ReadMember(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) return Failure(Code::kInvalidArgument, "field.not_object", {{"field", where}}, where);
  http::ObjectReader r(j, where + ".");
  programs::MemberInput m;
  auto rel = RegistryValue(r, "relationship", true, where + ".");
  if (!rel) return std::unexpected(rel.error());
  m.relationship = rel->value_or("");
  auto sex = RegistryValue(r, "sex", true, where + ".");
  if (!sex) return std::unexpected(sex.error());
  m.sex = sex->value_or("");
  auto birth = r.OptionalString("birth_date", 10);
  if (!birth) return std::unexpected(birth.error());
  if (*birth) {
    // The message names the field ("birth_date" → its label); the error's field says which member.
    auto d = ParseDate(**birth, "birth_date");
    if (!d) {
      Error e = d.error();
      e.field = where + ".birth_date";
      return std::unexpected(std::move(e));
    }
    m.birth_date = *d;
  }
  auto marital = RegistryValue(r, "marital_status", false, where + ".");
  if (!marital) return std::unexpected(marital.error());
  m.marital_status = *marital;
  auto schooling = RegistryValue(r, "schooling", false, where + ".");
  if (!schooling) return std::unexpected(schooling.error());
  m.schooling = *schooling;
  auto disability = r.OptionalInt("disability_percent", 0, 100);
  if (!disability) return std::unexpected(disability.error());
  if (*disability) m.disability_percent = **disability;
  auto able = r.OptionalBool("able_to_work");
  if (!able) return std::unexpected(able.error());
  m.able_to_work = *able;
  auto institution = r.OptionalBool("in_institution");
  if (!institution) return std::unexpected(institution.error());
  m.in_institution = *institution;
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  return m;
}

// Whether a code is a region (top level) of a country in the reference data.
using RegionCheck = std::function<Result<bool>(const std::string& code, const std::string& country)>;

// The household's answers for the socio-economic index (household.variables): the model's variables by
// name (docs/data-formats.md "Score model files") plus area_type and region. The members' counts come
// from the members (ages on the period's first day) unless given.
Result<targeting::DescribedHousehold> ReadVariables(const nlohmann::json* j, const programs::HouseholdInput& h,
                                                    std::string_view period, const RegionCheck& is_region) {
  targeting::DescribedHousehold d;
  using targeting::Variable;
  d.at(Variable::kHouseholdSize) = static_cast<double>(h.members.size());
  if (auto first = ParseDate(std::string(period) + "-01", "period")) {
    double under15 = 0, over65 = 0, disabled = 0, out_of_school = 0;
    for (const auto& m : h.members) {
      if (m.disability_percent.value_or(0) > 0) ++disabled;
      if (!m.birth_date) continue;
      const int age = CompletedYears(*m.birth_date, *first);
      if (age < 15) ++under15;
      if (age >= 65) ++over65;
      if (age >= 6 && age < 18 && (m.schooling == "none" || m.schooling == "out_of_school")) ++out_of_school;
    }
    d.at(Variable::kChildrenUnder15) = under15;
    d.at(Variable::kElderly65Plus) = over65;
    d.at(Variable::kDisabledMembers) = disabled;
    d.at(Variable::kChildrenOutOfSchool) = out_of_school;
  }
  if (!j) return d;
  if (!j->is_object()) {
    return Failure(Code::kInvalidArgument, "field.not_object", {{"field", "variables"}}, "household.variables");
  }
  for (const auto& [key, value] : j->items()) {
    const std::string where = "household.variables." + key;
    if (key == "area_type" || key == "region") {
      if (!value.is_string()) return Failure(Code::kInvalidArgument, "field.not_string", {{"field", key}}, where);
      const auto text = value.get<std::string>();
      if (key == "region") {
        if (text.size() > 16) {
          return Failure(Code::kInvalidArgument, "field.too_long", {{"field", key}, {"max", "16"}}, where);
        }
        // A code the model has no effect for would be scored as any region: it must be one.
        auto region = is_region(text, h.country);
        if (!region) return std::unexpected(region.error());
        if (!*region) {
          return Failure(Code::kInvalidArgument, "field.not_a_region", {{"field", key}, {"value", text}}, where);
        }
        d.region = text;
      } else if (text == "urban" || text == "rural") {
        d.urban = text == "urban";
      } else {
        return Failure(Code::kInvalidArgument, "value.not_allowed",
                       {{"field", key}, {"value", text}, {"allowed", "urban, rural"}}, where);
      }
      continue;
    }
    const auto v = targeting::VariableNamed(key);
    // The size is the members'; its square is derived.
    if (!v || *v == Variable::kHouseholdSize || *v == Variable::kHouseholdSizeSquared) {
      return Failure(Code::kInvalidArgument, "field.unknown", {{"name", key}}, where);
    }
    const auto& spec = targeting::SpecOf(*v);
    if (spec.kind == targeting::VariableKind::kCategorical) {
      const std::string text = value.is_string() ? value.get<std::string>() : std::string();
      auto it = std::find(spec.categories.begin(), spec.categories.end(), text);
      if (it == spec.categories.end()) {
        std::string allowed;
        for (auto c : spec.categories) allowed += (allowed.empty() ? "" : ", ") + std::string(c);
        return Failure(Code::kInvalidArgument, "value.not_allowed",
                       {{"field", key}, {"value", value.is_string() ? text : value.dump()}, {"allowed", allowed}},
                       where);
      }
      d.at(*v) = static_cast<double>(it - spec.categories.begin());
    } else if (spec.kind == targeting::VariableKind::kFlag) {
      if (!value.is_boolean()) return Failure(Code::kInvalidArgument, "field.not_boolean", {{"field", key}}, where);
      d.at(*v) = value.get<bool>() ? 1 : 0;
    } else {
      if (!value.is_number()) return Failure(Code::kInvalidArgument, "field.not_number", {{"field", key}}, where);
      // The registry's own range for the household field of that name (registry_model/fields.h).
      const auto fields = registry::HouseholdFields();
      const int f = registry::FieldIndex(fields, key);
      const double min = f >= 0 ? fields[static_cast<std::size_t>(f)].min : 0;
      const double max = f >= 0 ? fields[static_cast<std::size_t>(f)].max : 1e9;
      const double x = value.get<double>();
      if (x < min || x > max) {
        auto bound = [](double b) { return std::to_string(static_cast<long long>(b)); };
        return Failure(Code::kInvalidArgument, "field.out_of_range",
                       {{"field", key}, {"min", bound(min)}, {"max", bound(max)}}, where);
      }
      d.at(*v) = x;
    }
  }
  return d;
}

// Where the simulation's index came from: the request, the active model (from household.variables),
// or nowhere (no model, or inputs missing: then a reason names them).
struct IndexSource {
  std::string source = "none";
  std::vector<std::string> missing;
};

Result<IndexSource> ComputeIndex(const targeting::Model* model, const nlohmann::json& household_json,
                                 programs::HouseholdInput& h, std::string_view period, const RegionCheck& is_region) {
  IndexSource out;
  if (h.socio_economic_index) {
    out.source = "request";
    return out;
  }
  auto it = household_json.find("variables");
  const nlohmann::json* variables = it == household_json.end() ? nullptr : &*it;
  auto d = ReadVariables(variables, h, period, is_region);
  if (!d) return std::unexpected(d.error());
  // The index is Morocco's (RSU); a household of another country is not scored.
  if (!model || h.country != "MA") return out;
  out.missing = targeting::MissingInputs(*model, *d);
  if (!out.missing.empty()) return out;
  h.socio_economic_index = targeting::ScoreDescribed(*model, *d).score[0];
  out.source = "model";
  return out;
}

Result<programs::HouseholdInput> ReadHousehold(const nlohmann::json& j) {
  http::ObjectReader r(j, "household.");
  programs::HouseholdInput h;
  auto country = r.RequiredString("country", 2);
  if (!country) return std::unexpected(country.error());
  if (*country != "MA" && *country != "DZ") {
    return Failure(Code::kInvalidArgument, "value.not_allowed",
                   {{"field", "country"}, {"value", *country}, {"allowed", "MA, DZ"}}, "household.country");
  }
  h.country = *country;
  auto index = r.OptionalNumber("socio_economic_index", 0, 30);
  if (!index) return std::unexpected(index.error());
  h.socio_economic_index = *index;
  auto allowance = r.OptionalBool("receives_family_allowance");
  if (!allowance) return std::unexpected(allowance.error());
  h.receives_family_allowance = *allowance;
  auto income = r.OptionalBool("has_proven_income");
  if (!income) return std::unexpected(income.error());
  h.has_proven_income = *income;
  // Read by ReadVariables once the members are known.
  if (auto v = r.OptionalObject("variables"); !v) return std::unexpected(v.error());
  auto members = r.RequiredArray("members", kMaxMembers);
  if (!members) return std::unexpected(members.error());
  for (std::size_t i = 0; i < (*members)->size(); ++i) {
    auto m = ReadMember((**members)[i], "household.members[" + std::to_string(i) + "]");
    if (!m) return std::unexpected(m.error());
    h.members.push_back(std::move(*m));
  }
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  return h;
}

// The household as the registry would hold it in the period: exactly one head, and no member born after
// the period's last day (one born in its month is in it). A period that is not YYYY-MM is left to the
// simulation, which names it.
Status CheckHouseholdInPeriod(const programs::HouseholdInput& h, const std::string& period) {
  const auto heads = std::count_if(h.members.begin(), h.members.end(),
                                   [](const programs::MemberInput& m) { return m.relationship == "head"; });
  if (heads != 1) {
    return Failure(Code::kInvalidArgument, "household.one_head", {{"heads", std::to_string(heads)}},
                   "household.members");
  }
  if (!programs::PeriodStart(period)) return Ok();
  for (std::size_t i = 0; i < h.members.size(); ++i) {
    const auto& born = h.members[i].birth_date;
    // Its month after the period's (YYYY-MM compares as text).
    if (born && born->ToString().substr(0, 7) > period) {
      return Failure(Code::kInvalidArgument, "field.after_period",
                     {{"field", "birth_date"}, {"value", born->ToString()}, {"period", period}},
                     "household.members[" + std::to_string(i) + "].birth_date");
    }
  }
  return Ok();
}

// Citizens see the programmes offered publicly; staff (any valid account) every programme, to try one
// before it is offered. Another one is unknown to a citizen, as a code that does not exist.
bool OfferedTo(const http::Request& req, const programs::Programme& p) { return p.is_public || req.viewer; }

nlohmann::json ProgrammeSummaryJson(const programs::StoredProgramme& stored) {
  const programs::Programme& p = stored.programme;
  return {{"code", p.code},
          {"name_ar", p.name_ar},
          {"name_fr", p.name_fr},
          {"name_en", p.name_en},
          {"country", p.country},
          {"currency", p.currency},
          {"kind", programs::KindName(p.kind)},
          {"unit", programs::UnitName(p.unit)},
          {"frequency", programs::FrequencyName(p.frequency)},
          {"budget_minor", p.budget_minor ? nlohmann::json(*p.budget_minor) : nlohmann::json(nullptr)},
          {"public", p.is_public},
          {"builtin", stored.builtin},
          {"version", stored.version},
          {"updated_at", stored.updated_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(stored.updated_at)}};
}

}  // namespace

void AddProgramRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/programs", P::kPublic, [&s](http::Request& req) {
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(all, s.programmes->List());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& stored : *all) {
                   if (OfferedTo(req, stored.programme)) items.push_back(ProgrammeSummaryJson(stored));
                 }
                 return http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
               }});
  // 30 simulations a minute per address on average, 10 at once.
  auto limit = std::make_shared<http::RateLimiter>(30, 10);
  http::Route simulate{
      "POST", "/api/v1/programs/:code/simulate", P::kPublic, [&s](http::Request& req) {
        TRY_OR_RESPOND(programme, s.programmes->Find(req.Param("code")));
        if (!OfferedTo(req, *programme)) {
          return http::ErrorResponse(
              Failure(Code::kNotFound, "program.not_found", {{"code", req.Param("code")}}, "code").error());
        }
        TRY_OR_RESPOND(body, http::ParseJsonObject(req));
        http::ObjectReader r(*body);
        TRY_OR_RESPOND(period, r.RequiredString("period", 7));
        TRY_OR_RESPOND(household_json, r.OptionalObject("household"));
        if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
        if (!*household_json) {
          return http::ErrorResponse(
              Failure(Code::kInvalidArgument, "field.required", {{"field", "household"}}, "household").error());
        }
        TRY_OR_RESPOND(household, ReadHousehold(**household_json));
        if (auto st = CheckHouseholdInPeriod(*household, *period); !st) return http::ErrorResponse(st.error());
        const std::string today = DateOf(s.clock.Now()).ToString();
        const RegionCheck is_region = [&s, &today](const std::string& code, const std::string& country) {
          return s.areas.IsRegion(code, country, today);
        };
        TRY_OR_RESPOND(index, ComputeIndex(s.score_model, **household_json, *household, *period, is_region));
        TRY_OR_RESPOND(sim, programs::Simulate(*programme, *household, *period));
        const i18n::Lang lang = http::RequestLang(req);
        nlohmann::json out{{"program", programme->code}, {"period", *period}};
        out.update(SimulationJson(*sim, lang));
        if (!index->missing.empty()) {
          // First: the index it lacks is why eligibility cannot be decided.
          std::string names;
          for (const auto& m : index->missing) names += (names.empty() ? "" : ", ") + m;
          const programs::Reason why{std::string(MsgCode("program.reason.index_inputs_missing")),
                                     {{"variables", names}}};
          out["reasons"].insert(out["reasons"].begin(), ReasonJson(why, lang));
        }
        nlohmann::json used{{"value", household->socio_economic_index ? nlohmann::json(*household->socio_economic_index)
                                                                      : nlohmann::json(nullptr)},
                            {"source", index->source}};
        if (index->source == "model") {
          used["model"] = s.score_model->name;
          used["model_version"] = s.score_model->version;
        }
        if (!index->missing.empty()) used["missing"] = index->missing;
        out["socio_economic_index"] = std::move(used);
        return http::JsonResponse(200, out.dump());
      }};
  simulate.max_body = 64 * 1024;
  simulate.limit = std::move(limit);
  t.push_back(std::move(simulate));
}

}  // namespace sanad::api
