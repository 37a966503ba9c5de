#include "api/program_json.h"

namespace sanad::api {
namespace {

nlohmann::json Lines(const std::vector<programs::AmountLine>& lines, i18n::Lang lang) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : lines) {
    out.push_back({{"code", l.label}, {"label", i18n::Render(lang, l.label).value_or(l.label)}, {"amount", l.amount}});
  }
  return out;
}

}  // namespace

nlohmann::json ReasonJson(const programs::Reason& why, i18n::Lang lang) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : why.params) params[k] = v;
  return {
      {"code", why.code}, {"params", params}, {"text", i18n::Render(lang, why.code, why.params).value_or(why.code)}};
}

nlohmann::json SimulationJson(const programs::Simulation& sim, i18n::Lang lang) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& why : sim.reasons) reasons.push_back(ReasonJson(why, lang));
  return {{"eligible", sim.eligible}, {"monthly_amount", sim.monthly_amount},
          {"currency", sim.currency}, {"lines", Lines(sim.lines, lang)},
          {"reasons", reasons},       {"one_off", Lines(sim.one_offs, lang)}};
}

}  // namespace sanad::api
