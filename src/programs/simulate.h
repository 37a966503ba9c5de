// Simulates a programme for one household and one period: eligibility with its reasons, the monthly
// amount and its labelled lines. Pure: the household comes as a plain struct. It is a batch of one
// through EvaluateBatch (one definition of the programme's logic).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "programs/evaluate_batch.h"
#include "programs/programme.h"
#include "rules/batch.h"

namespace sanad::programs {

struct MemberInput {
  std::string relationship;  // registry vocabulary: head, spouse, child, …
  std::string sex;           // M or F
  std::optional<Date> birth_date;
  std::optional<std::string> marital_status;
  std::optional<std::string> schooling;  // primary … higher = enrolled now
  std::optional<std::int64_t> disability_percent;
  std::optional<bool> able_to_work;
  std::optional<bool> in_institution;
};

struct HouseholdInput {
  std::string country;  // MA or DZ
  std::optional<double> socio_economic_index;
  std::optional<bool> receives_family_allowance;
  std::optional<bool> has_proven_income;
  std::vector<MemberInput> members;
};

struct AmountLine {
  std::string label;
  std::int64_t amount = 0;
  bool operator==(const AmountLine&) const = default;
};

struct Simulation {
  bool eligible = false;
  std::int64_t monthly_amount = 0;  // the sum of the lines; 0 when not eligible
  std::string currency;
  std::vector<AmountLine> lines;     // the non-zero lines, in the programme's order
  std::vector<Reason> reasons;       // why not eligible (empty when eligible)
  std::vector<AmountLine> one_offs;  // the non-zero one-off entitlements due in the period (not in monthly_amount)
};

// The batch of these households with every field of ProgrammeSchema() and the column `country`.
rules::Batch BatchOf(std::span<const HouseholdInput> households);

// The Simulation of household `h` of a batch outcome.
Simulation SimulationOf(const BatchOutcome& outcome, std::size_t h, const std::string& currency);

// `period` is "YYYY-MM"; ages are completed years on its first day, which also picks the parameter set.
// Errors: program.bad_period, program.no_parameters, and rule.* when a template rule does not compile.
Result<Simulation> Simulate(const Programme& programme, const HouseholdInput& household, std::string_view period);

}  // namespace sanad::programs
