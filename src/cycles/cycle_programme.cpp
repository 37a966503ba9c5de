#include "cycles/cycle_programme.h"

#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "dedup/dedup_service.h"
#include "programs/templates.h"

namespace sanad::cycles {

namespace {

using Json = nlohmann::json;

Json ParamsJson(const rules::Params& params) {
  Json out = Json::object();
  for (const auto& [name, value] : params) {
    std::visit([&](const auto& v) { out[name] = v; }, value);
  }
  return out;
}

}  // namespace

ProgrammeLookup BuiltinProgrammeLookup() {
  return [](std::string_view code) -> Result<programs::Programme> {
    if (const programs::Programme* found = programs::FindBuiltin(code)) return *found;
    return Failure(Code::kNotFound, "program.not_found", {{"code", std::string(code)}}, "code");
  };
}

Result<std::string> ProgrammeDigest(const programs::Programme& p, std::string_view period) {
  auto first = ParseDate(std::string(period) + "-01", "period");
  if (!first) return std::unexpected(first.error());
  const programs::ParameterSet* set = programs::ParametersOn(p, *first);
  if (set == nullptr) {
    return Failure(Code::kFailedPrecondition, "cycle.no_parameters",
                   {{"programme", p.code}, {"period", std::string(period)}}, "period");
  }
  Json conditions = Json::array(), lines = Json::array(), one_offs = Json::array();
  for (const auto& c : p.eligibility) {
    Json params = Json::array();
    for (const auto& [name, rule] : c.reason_params) params.push_back({name, rule});
    conditions.push_back({{"reason", c.reason}, {"rule", c.rule}, {"params", params}});
  }
  for (const auto& l : p.lines) lines.push_back({{"label", l.label}, {"rule", l.rule}});
  for (const auto& o : p.one_offs) one_offs.push_back({{"label", o.label}, {"rule", o.rule}, {"month", o.month}});
  // Object keys are sorted by nlohmann::json, so the text is canonical.
  const Json canonical{{"code", p.code},
                       {"country", p.country},
                       {"currency", p.currency},
                       {"kind", static_cast<int>(p.kind)},
                       {"unit", static_cast<int>(p.unit)},
                       {"frequency", static_cast<int>(p.frequency)},
                       {"eligibility", conditions},
                       {"lines", lines},
                       {"one_offs", one_offs},
                       {"parameters_from", set->from.ToString()},
                       {"parameters", ParamsJson(set->params)}};
  const std::string text = canonical.dump();
  std::array<unsigned char, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return std::string(hex.data());
}

std::vector<FlagCheck> FlagChecksFor(const programs::Programme& programme) {
  std::vector<FlagCheck> out;
  auto flag = [](std::string_view reason, const std::string& other, const std::string& rule) {
    Json params{{"other", other}};
    if (!rule.empty()) params["rule"] = rule;
    return Json{{"reason", reason}, {"params", params}}.dump();
  };
  for (const auto& r : dedup::CrossProgrammeRules()) {
    if (r.programme != programme.code) continue;
    out.push_back({FlagCheck::Kind::kRegistryFlag, r.other, r.flag_column,
                   flag(MsgCode("cycle.flag.registry_receives"), r.other, r.id)});
    out.push_back({FlagCheck::Kind::kLedgerInPeriod, r.other, "", flag(MsgCode("cycle.flag.ledger"), r.other, r.id)});
  }
  for (const auto& other : programme.incompatible) {
    out.push_back({FlagCheck::Kind::kApprovedCycle, other, "", flag(MsgCode("cycle.flag.approved_cycle"), other, "")});
    out.push_back({FlagCheck::Kind::kLedgerInPeriod, other, "", flag(MsgCode("cycle.flag.ledger"), other, "")});
  }
  return out;
}

}  // namespace sanad::cycles
