// Contributions of non-salaried workers to their social-security fund (docs/affiliation.md).
//
// CASNOS (Algeria), executive decree 15-289 of 14 Nov 2015 (domain.md §2.2): the worker declares an
// annual base by 31 January; the base is clamped between 1× and 20× the annual SNMG (12 × the monthly
// guaranteed minimum wage in force on 1 January of the year); the contribution is 15% of it (7.5%
// social insurance + 7.5% retirement), due from 1 March and payable by 30 April; unpaid after that it is
// in arrears.
//
// Morocco's AMO for independents (Law 98.15) is a second fund configuration. domain.md gives no rate,
// base or calendar for it, so it carries no numbers here: its parameter set must be supplied
// (FundRulesFromJson) before a contribution can be computed, and until then a preview answers
// `affiliation.fund_not_configured`. Pure code: no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time.h"

namespace sanad::affiliation {

// A monthly minimum wage in force from `from` (YYYY-MM-DD) until the next one, in minor units.
struct WageStep {
  std::string from;
  std::int64_t monthly_minor = 0;
};

// One fund's contribution rules.
struct FundRules {
  std::string fund;      // CASNOS | AMO_TNS
  std::string country;   // DZ | MA
  std::string currency;  // DZD | MAD
  bool configured = false;
  std::int64_t rate_basis_points = 0;  // 1500 = 15%
  std::int64_t floor_multiple = 0;     // × the annual reference wage
  std::int64_t ceiling_multiple = 0;
  std::vector<WageStep> reference_wage;  // ascending `from`
  // Calendar of a contribution year, as MM-DD of that year.
  std::string declare_by, due_from, due_by;
  std::string legal_basis;
};

// The funds this build knows: CASNOS with domain.md §2.2's numbers, AMO_TNS unconfigured.
const std::vector<FundRules>& BuiltInFunds();
// A fund by code among `funds`; nullopt when unknown.
std::optional<FundRules> FindFund(const std::vector<FundRules>& funds, const std::string& code);
// A parameter set read from JSON ({"fund","country","currency","rate_basis_points","floor_multiple",
// "ceiling_multiple","reference_wage":[{"from","monthly_minor"}],"declare_by","due_from","due_by",
// "legal_basis"}). Errors: kInvalidArgument naming the field.
Result<FundRules> FundRulesFromJson(const nlohmann::json& j);
// The built-in funds with `sets` (a JSON array of parameter sets, as FundRulesFromJson reads them)
// replacing the fund of the same code or adding a new one (`sanad serve --affiliation-funds FILE`).
// Errors: kInvalidArgument (not an array; a set's field, named with its index).
Result<std::vector<FundRules>> FundsWith(const nlohmann::json& sets);

// The monthly reference wage in force on `day` (YYYY-MM-DD). Errors: kFailedPrecondition before the
// first step.
Result<std::int64_t> ReferenceWageOn(const FundRules& rules, const std::string& day);

struct Contribution {
  std::string fund, currency;
  int year = 0;
  std::int64_t declared_base_minor = 0;
  std::int64_t base_minor = 0;  // the declared base clamped to [floor, ceiling]
  std::int64_t floor_base_minor = 0, ceiling_base_minor = 0;
  std::int64_t contribution_minor = 0;
  std::int64_t monthly_wage_minor = 0;
  std::string clamped;                       // "" | floor | ceiling
  std::string declare_by, due_from, due_by;  // YYYY-MM-DD
};

// The contribution of `year` for a declared annual base. Errors: kFailedPrecondition
// (affiliation.fund_not_configured, affiliation.no_reference_wage), kInvalidArgument (negative base,
// year outside 1990..2100).
Result<Contribution> ComputeContribution(const FundRules& rules, int year, std::int64_t declared_base_minor);

// Where a year's contribution stands on `as_of` (YYYY-MM-DD): paid (paid ≥ due), not_due (before
// due_from), due (from due_from to due_by inclusive), arrears (after due_by, unpaid or partly paid).
std::string PaymentStatus(const Contribution& c, std::int64_t paid_minor, const std::string& as_of);
// True when a declaration made on `declared_on` is after the year's declaration deadline.
bool DeclaredLate(const Contribution& c, const std::string& declared_on);

}  // namespace sanad::affiliation
