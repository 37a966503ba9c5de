// A social-protection programme as data: who is eligible and how much is due, written in the rule
// language (docs/rules.md), with parameter sets that change over time. No SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "rules/schema.h"

namespace sanad::programs {

enum class Kind : std::uint8_t { kCash, kInKind, kService, kInsurance };
enum class Unit : std::uint8_t { kHousehold, kPerson };
enum class Frequency : std::uint8_t { kMonthly, kOneOff, kYearly };

// One condition of eligibility: a bool rule; when it is false the household is not eligible and the
// reason is `reason` with `reason_params` (each a rule whose value is rendered into the message).
struct Condition {
  std::string reason;                                              // e.g. program.reason.index_above_threshold
  std::string rule;                                                // bool
  std::vector<std::pair<std::string, std::string>> reason_params;  // name → rule (int or decimal)
  bool operator==(const Condition&) const = default;
};

// One labelled line of the entitlement: an int rule (DH, DA). Lines add up to the period's amount.
struct Line {
  std::string label;  // e.g. program.line.asd.child_allowance
  std::string rule;   // int
  bool operator==(const Line&) const = default;
};

// A one-off entitlement: an int rule paid in the periods whose month is `month` (1–12; 0: every
// period), e.g. the ASD school-start grant each September. Paid only to eligible households.
struct OneOff {
  std::string label;  // e.g. program.line.asd.school_start_grant
  std::string rule;   // int
  unsigned month = 0;
  bool operator==(const OneOff&) const = default;
};

// The parameters a programme's rules read through param("…"), in force from `from` on.
struct ParameterSet {
  Date from;
  rules::Params params;
  bool operator==(const ParameterSet&) const = default;
};

struct Programme {
  std::string code;  // ASD, AMO_TADAMON, …
  std::string name_ar, name_fr, name_en;
  std::string country;   // MA or DZ: households of another country are not eligible
  std::string currency;  // MAD or DZD
  Kind kind = Kind::kCash;
  Unit unit = Unit::kHousehold;
  Frequency frequency = Frequency::kMonthly;
  std::optional<std::int64_t> budget_minor;  // per year, minor units (centimes, santimes); none when unset
  std::vector<std::string> incompatible;     // codes of programmes that may not be combined with this one
  // Offered to citizens: listed and simulated without an account. A new programme is not until someone
  // decides it (staff list and simulate every programme); the built-in templates are.
  bool is_public = false;
  std::vector<Condition> eligibility;  // all must hold
  std::vector<Line> lines;
  std::vector<OneOff> one_offs;
  std::vector<ParameterSet> parameter_sets;  // the set of a period is the latest whose `from` is not after it
  bool operator==(const Programme&) const = default;
};

// The rule schema programmes are written against: the registry's field names and vocabulary
// (registry_model) plus the inputs derived for targeting (socio_economic_index,
// receives_family_allowance, has_proven_income).
const rules::Schema& ProgrammeSchema();

// The names of the enumerations as the API, the store and the UI write them (cash, in_kind, …), and back.
const char* KindName(Kind k);
const char* UnitName(Unit u);
const char* FrequencyName(Frequency f);
std::optional<Kind> ParseKind(std::string_view name);
std::optional<Unit> ParseUnit(std::string_view name);
std::optional<Frequency> ParseFrequency(std::string_view name);

// The parameter set in force on `day`, or nullptr when the programme has none yet.
const ParameterSet* ParametersOn(const Programme& programme, const Date& day);

// A period "YYYY-MM" → its first day (the day that picks the parameter set and that ages are taken on).
// Errors: program.bad_period (kInvalidArgument, field `period`).
Result<Date> PeriodStart(std::string_view period);

}  // namespace sanad::programs
