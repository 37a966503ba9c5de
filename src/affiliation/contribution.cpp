#include "affiliation/contribution.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace sanad::affiliation {

namespace {

// DZD and MAD both have 100 minor units.
constexpr std::int64_t kMinor = 100;

}  // namespace

const std::vector<FundRules>& BuiltInFunds() {
  static const std::vector<FundRules> funds{
      // domain.md §2.2. The SNMG steps: 18,000 DA, 20,000 DA "from 2020", 24,000 DA from 1 Jan 2026
      // (presidential decree 26-01 of 7 Jan 2026). domain.md dates the 2020 step by year only, and the
      // base is annual, so the SNMG in force on 1 January of the contribution year is the one used.
      {.fund = "CASNOS",
       .country = "DZ",
       .currency = "DZD",
       .configured = true,
       .rate_basis_points = 1500,
       .floor_multiple = 1,
       .ceiling_multiple = 20,
       .reference_wage = {{"2012-01-01", 18'000 * kMinor},
                          {"2020-01-01", 20'000 * kMinor},
                          {"2026-01-01", 24'000 * kMinor}},
       .declare_by = "01-31",
       .due_from = "03-01",
       .due_by = "04-30",
       .legal_basis = "Executive decree 15-289 of 14 Nov 2015 (JO n°61)"},
      // No numbers in domain.md: the parameter set must be configured (FundRulesFromJson).
      {.fund = "AMO_TNS",
       .country = "MA",
       .currency = "MAD",
       .configured = false,
       .legal_basis = "Law 98.15 (AMO of independent workers): parameters to be configured"},
  };
  return funds;
}

std::optional<FundRules> FindFund(const std::vector<FundRules>& funds, const std::string& code) {
  for (const auto& f : funds) {
    if (f.fund == code) return f;
  }
  return std::nullopt;
}

namespace {

std::unexpected<Error> BadField(const std::string& field) {
  return Failure(Code::kInvalidArgument, "affiliation.fund_rules_invalid", {{"field", field}}, field);
}

bool IsMonthDay(const std::string& s) {
  if (s.size() != 5 || s[2] != '-') return false;
  return ParseDate("2024-" + s).has_value();  // a leap year accepts 02-29
}

}  // namespace

Result<FundRules> FundRulesFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return BadField("body");
  FundRules r;
  auto str = [&](const char* k, std::string& out) {
    if (!j.contains(k) || !j[k].is_string() || j[k].get<std::string>().empty()) return false;
    out = j[k].get<std::string>();
    return true;
  };
  auto num = [&](const char* k, std::int64_t& out) {
    if (!j.contains(k) || !j[k].is_number_integer() || j[k].get<std::int64_t>() <= 0) return false;
    out = j[k].get<std::int64_t>();
    return true;
  };
  for (auto [k, out] : {std::pair{"fund", &r.fund},
                        {"country", &r.country},
                        {"currency", &r.currency},
                        {"legal_basis", &r.legal_basis}}) {
    if (!str(k, *out)) return BadField(k);
  }
  for (auto [k, out] : {std::pair{"rate_basis_points", &r.rate_basis_points},
                        {"floor_multiple", &r.floor_multiple},
                        {"ceiling_multiple", &r.ceiling_multiple}}) {
    if (!num(k, *out)) return BadField(k);
  }
  if (r.rate_basis_points > 10'000) return BadField("rate_basis_points");
  if (r.ceiling_multiple < r.floor_multiple) return BadField("ceiling_multiple");
  for (auto [k, out] : {std::pair{"declare_by", &r.declare_by}, {"due_from", &r.due_from}, {"due_by", &r.due_by}}) {
    if (!str(k, *out) || !IsMonthDay(*out)) return BadField(k);
  }
  if (r.due_by < r.due_from) return BadField("due_by");
  if (!j.contains("reference_wage") || !j["reference_wage"].is_array() || j["reference_wage"].empty())
    return BadField("reference_wage");
  for (const auto& step : j["reference_wage"]) {
    WageStep w;
    if (!step.is_object() || !step.contains("from") || !step["from"].is_string() ||
        !ParseDate(step["from"].get<std::string>()) || !step.contains("monthly_minor") ||
        !step["monthly_minor"].is_number_integer() || step["monthly_minor"].get<std::int64_t>() <= 0)
      return BadField("reference_wage");
    w.from = step["from"].get<std::string>();
    w.monthly_minor = step["monthly_minor"].get<std::int64_t>();
    if (!r.reference_wage.empty() && w.from <= r.reference_wage.back().from) return BadField("reference_wage");
    r.reference_wage.push_back(w);
  }
  r.configured = true;
  return r;
}

Result<std::vector<FundRules>> FundsWith(const nlohmann::json& sets) {
  if (!sets.is_array()) return BadField("funds");
  std::vector<FundRules> funds = BuiltInFunds();
  for (std::size_t i = 0; i < sets.size(); ++i) {
    auto rules = FundRulesFromJson(sets[i]);
    if (!rules) {
      rules.error().field = fmt::format("[{}].{}", i, rules.error().field);
      return std::unexpected(rules.error());
    }
    auto same = std::find_if(funds.begin(), funds.end(), [&](const FundRules& f) { return f.fund == rules->fund; });
    if (same != funds.end()) {
      *same = std::move(*rules);
    } else {
      funds.push_back(std::move(*rules));
    }
  }
  return funds;
}

Result<std::int64_t> ReferenceWageOn(const FundRules& rules, const std::string& day) {
  std::optional<std::int64_t> wage;
  for (const auto& s : rules.reference_wage) {
    if (s.from <= day) wage = s.monthly_minor;
  }
  if (!wage)
    return Failure(Code::kFailedPrecondition, "affiliation.no_reference_wage", {{"value", day}, {"fund", rules.fund}},
                   "year");
  return *wage;
}

Result<Contribution> ComputeContribution(const FundRules& rules, int year, std::int64_t declared_base_minor) {
  if (!rules.configured)
    return Failure(Code::kFailedPrecondition, "affiliation.fund_not_configured", {{"fund", rules.fund}}, "fund");
  if (year < 1990 || year > 2100)
    return Failure(Code::kInvalidArgument, "affiliation.year_out_of_range", {{"value", std::to_string(year)}}, "year");
  // 20 × 12 × a monthly wage stays far below this; bases above it cannot be multiplied safely.
  constexpr std::int64_t kMaxBase = std::numeric_limits<std::int64_t>::max() / 10'000;
  if (declared_base_minor < 0 || declared_base_minor > kMaxBase)
    return Failure(Code::kInvalidArgument, "affiliation.base_out_of_range", {}, "declared_base");
  auto wage = ReferenceWageOn(rules, fmt::format("{:04}-01-01", year));
  if (!wage) return std::unexpected(wage.error());
  Contribution c;
  c.fund = rules.fund;
  c.currency = rules.currency;
  c.year = year;
  c.monthly_wage_minor = *wage;
  c.declared_base_minor = declared_base_minor;
  const std::int64_t annual = *wage * 12;
  c.floor_base_minor = annual * rules.floor_multiple;
  c.ceiling_base_minor = annual * rules.ceiling_multiple;
  c.base_minor = std::clamp(declared_base_minor, c.floor_base_minor, c.ceiling_base_minor);
  if (declared_base_minor < c.floor_base_minor) c.clamped = "floor";
  if (declared_base_minor > c.ceiling_base_minor) c.clamped = "ceiling";
  // Rounded half up to the minor unit (exact for whole-dinar bases at 15%).
  c.contribution_minor = (c.base_minor * rules.rate_basis_points + 5'000) / 10'000;
  c.declare_by = fmt::format("{:04}-{}", year, rules.declare_by);
  c.due_from = fmt::format("{:04}-{}", year, rules.due_from);
  c.due_by = fmt::format("{:04}-{}", year, rules.due_by);
  return c;
}

std::string PaymentStatus(const Contribution& c, std::int64_t paid_minor, const std::string& as_of) {
  if (paid_minor >= c.contribution_minor) return "paid";
  if (as_of < c.due_from) return "not_due";
  if (as_of <= c.due_by) return "due";
  return "arrears";
}

bool DeclaredLate(const Contribution& c, const std::string& declared_on) { return declared_on > c.declare_by; }

}  // namespace sanad::affiliation
