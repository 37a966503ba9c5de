// The programmes' list and their simulator (src/programs, docs/programs.md), public: a citizen tries
// whether a household would be eligible and for how much, without an account. Programmes are looked up
// in the catalogue (a saved definition, else the built-in template); editing is programme_edit_routes.cpp. The
// simulator keeps nothing and reads nothing of the registry; it is rate-limited per client address because each call
// compiles and runs the programme's rules.
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"
#include "programs/simulate.h"
#include "registry/values.h"
#include "registry_model/fields.h"

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

nlohmann::json Lines(const std::vector<programs::AmountLine>& lines, i18n::Lang lang) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : lines) {
    out.push_back({{"code", l.label}, {"label", i18n::Render(lang, l.label).value_or(l.label)}, {"amount", l.amount}});
  }
  return out;
}

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
                 for (const auto& stored : *all) items.push_back(ProgrammeSummaryJson(stored));
                 return http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
               }});
  // 30 simulations a minute per address on average, 10 at once.
  auto limit = std::make_shared<http::RateLimiter>(30, 10);
  http::Route simulate{
      "POST", "/api/v1/programs/:code/simulate", P::kPublic, [&s](http::Request& req) {
        TRY_OR_RESPOND(programme, s.programmes->Find(req.Param("code")));
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
        TRY_OR_RESPOND(sim, programs::Simulate(*programme, *household, *period));
        const i18n::Lang lang = http::RequestLang(req);
        nlohmann::json reasons = nlohmann::json::array();
        for (const auto& why : sim->reasons) {
          nlohmann::json params = nlohmann::json::object();
          for (const auto& [k, v] : why.params) params[k] = v;
          reasons.push_back({{"code", why.code},
                             {"params", params},
                             {"text", i18n::Render(lang, why.code, why.params).value_or(why.code)}});
        }
        nlohmann::json out{{"program", programme->code}, {"period", *period},
                           {"eligible", sim->eligible},  {"monthly_amount", sim->monthly_amount},
                           {"currency", sim->currency},  {"lines", Lines(sim->lines, lang)},
                           {"reasons", reasons},         {"one_off", Lines(sim->one_offs, lang)}};
        return http::JsonResponse(200, out.dump());
      }};
  simulate.max_body = 64 * 1024;
  simulate.limit = std::move(limit);
  t.push_back(std::move(simulate));
}

}  // namespace sanad::api
