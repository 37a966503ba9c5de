// Micro-credit routes (docs/microcredit.md). The schedule preview is public: officers, citizens and
// partner systems call it before anything is recorded; it reads no personal data and writes nothing.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "http/rate_limiter.h"
#include "microcredit/schedule.h"

namespace sanad::api {
namespace {

// Whole dinars as the JSON shows them; every amount also carries its minor units.
nlohmann::json ScheduleJson(const microcredit::Schedule& s) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : s.instalments) {
    items.push_back({{"n", i.n},
                     {"due_on", i.due_on.ToString()},
                     {"principal", i.principal_minor / microcredit::kMinorPerDinar},
                     {"principal_minor", i.principal_minor},
                     {"interest", i.interest_minor / microcredit::kMinorPerDinar}});
  }
  return {{"grace_months", s.grace_months},
          {"instalments", std::move(items)},
          {"total", s.total_minor / microcredit::kMinorPerDinar},
          {"total_minor", s.total_minor}};
}

// "DZ-01" … "DZ-69": the wilaya codes of the areas reference (src/geo).
bool IsWilayaCode(const std::string& code) {
  if (code.size() != 5 || code.compare(0, 3, "DZ-") != 0) return false;
  if (code[3] < '0' || code[3] > '9' || code[4] < '0' || code[4] > '9') return false;
  const int n = (code[3] - '0') * 10 + (code[4] - '0');
  return n >= 1 && n <= 69;
}

Result<nlohmann::json> Preview(const nlohmann::json& body) {
  http::ObjectReader r(body);
  auto product_name = r.RequiredString("product", 20);
  if (!product_name) return std::unexpected(product_name.error());
  auto principal = r.OptionalInt("principal", 1, 1'000'000'000);
  if (!principal) return std::unexpected(principal.error());
  auto disbursed = r.RequiredString("disbursed_on", 10);
  if (!disbursed) return std::unexpected(disbursed.error());
  auto wilaya = r.OptionalString("wilaya", 10);
  if (!wilaya) return std::unexpected(wilaya.error());
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  const auto product = microcredit::ParseProduct(*product_name);
  if (!product) {
    return Failure(Code::kInvalidArgument, "microcredit.product_unknown", {{"value", *product_name}}, "product");
  }
  if (!*principal) return Failure(Code::kInvalidArgument, "field.required", {{"field", "principal"}}, "principal");
  auto on = ParseDate(*disbursed, "disbursed_on");
  if (!on) return std::unexpected(on.error());
  const std::int64_t minor = **principal * microcredit::kMinorPerDinar;
  if (*product == microcredit::ProductCode::kPnr) {
    if (!*wilaya) return Failure(Code::kInvalidArgument, "field.required", {{"field", "wilaya"}}, "wilaya");
    if (!IsWilayaCode(**wilaya)) {
      return Failure(Code::kInvalidArgument, "microcredit.wilaya_invalid", {{"value", **wilaya}}, "wilaya");
    }
    auto plan = microcredit::PlanPnr(minor, *on, **wilaya);
    if (!plan) return std::unexpected(plan.error());
    nlohmann::json out{{"product", "PNR"},
                       {"currency", "DZD"},
                       {"principal", **principal},
                       {"wilaya", **wilaya},
                       {"disbursed_on", on->ToString()},
                       {"ceiling", plan->ceiling_minor / microcredit::kMinorPerDinar},
                       {"interest_free", true},
                       {"parameters_from", plan->parameters.effective_from.ToString()},
                       {"legal_basis", plan->parameters.legal_basis}};
    out.update(ScheduleJson(plan->schedule));
    return out;
  }
  if (*wilaya && !IsWilayaCode(**wilaya)) {
    return Failure(Code::kInvalidArgument, "microcredit.wilaya_invalid", {{"value", **wilaya}}, "wilaya");
  }
  auto plan = microcredit::PlanTriangular(minor, *on);
  if (!plan) return std::unexpected(plan.error());
  const auto& p = plan->parameters;
  nlohmann::json bank = ScheduleJson(plan->bank);
  bank["lender"] = "bank";
  bank["percent"] = p.bank_percent;
  bank["interest_subsidy_percent"] = p.bank_interest_subsidy_percent;
  bank["term_months"] = p.bank_term_months;
  bank["principal_deferral_months"] = p.bank_principal_deferral_months;
  bank["interest_deferral_months"] = p.bank_interest_deferral_months;
  bank["guarantee_fund"] = p.guarantee_fund;
  nlohmann::json angem = ScheduleJson(plan->angem);
  angem["lender"] = "ANGEM";
  angem["percent"] = p.angem_percent;
  angem["interest_free"] = true;
  angem["term_months"] = p.angem_term_months;
  angem["principal_deferral_months"] = p.angem_deferral_months;
  nlohmann::json out{{"product", "TRIANGULAR"},
                     {"currency", "DZD"},
                     {"project_cost", **principal},
                     {"disbursed_on", on->ToString()},
                     {"ceiling", p.max_cost_minor / microcredit::kMinorPerDinar},
                     {"personal_contribution", plan->personal_minor / microcredit::kMinorPerDinar},
                     {"personal_percent", p.personal_percent},
                     {"loans", nlohmann::json::array({std::move(bank), std::move(angem)})},
                     {"total", (plan->bank.total_minor + plan->angem.total_minor + plan->personal_minor) /
                                   microcredit::kMinorPerDinar},
                     {"parameters_from", p.effective_from.ToString()},
                     {"legal_basis", p.legal_basis}};
  if (*wilaya) out["wilaya"] = **wilaya;
  return out;
}

}  // namespace

void AddMicrocreditRoutes(http::RouteTable& t, Services&) {
  using P = auth::Permission;
  http::Route preview{"POST", "/api/v1/microcredit/schedule-preview", P::kPublic, [](http::Request& req) {
                        TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                        TRY_OR_RESPOND(out, Preview(*body));
                        return http::JsonResponse(200, out->dump());
                      }};
  // Public and cheap, but bounded like the programmes' simulator: 60 a minute per address, 20 at once.
  preview.max_body = 4 * 1024;
  preview.limit = std::make_shared<http::RateLimiter>(60, 20);
  t.push_back(std::move(preview));
}

}  // namespace sanad::api
