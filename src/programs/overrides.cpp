#include "programs/overrides.h"

#include <cmath>
#include <variant>

namespace sanad::programs {

Result<Programme> WithOverrides(const Programme& programme, const Date& day, const ParameterOverrides& overrides) {
  const ParameterSet* set = ParametersOn(programme, day);
  if (set == nullptr) {
    return Failure(Code::kFailedPrecondition, "program.no_parameters",
                   {{"programme", programme.code}, {"period", day.ToString().substr(0, 7)}}, "period");
  }
  ParameterSet candidate{day, set->params};
  std::vector<Problem> problems;
  for (const auto& [name, value] : overrides) {
    const std::string field = "overrides." + name;
    auto it = candidate.params.find(name);
    if (it == candidate.params.end()) {
      problems.push_back(
          Problem{"program.override_unknown", field, {{"name", name}, {"programme", programme.code}}, {}});
      continue;
    }
    // No decree sets an amount, a threshold or an age below zero: a typing error, not a candidate.
    if (std::visit([](auto v) { return v < 0; }, value)) {
      problems.push_back(Problem{"program.override_negative", field, {{"name", name}}, {}});
      continue;
    }
    if (std::holds_alternative<std::int64_t>(it->second)) {
      if (const auto* d = std::get_if<double>(&value)) {
        // Amounts are whole dirhams or dinars (docs/programs.md): 250.5 is refused, 250.0 is 250.
        if (!std::isfinite(*d) || std::trunc(*d) != *d || std::fabs(*d) > 1e15) {
          problems.push_back(Problem{"program.override_not_integer", field, {{"name", name}}, {}});
          continue;
        }
        it->second = static_cast<std::int64_t>(*d);
      } else {
        it->second = value;
      }
    } else {
      const auto* i = std::get_if<std::int64_t>(&value);
      it->second = i != nullptr ? static_cast<double>(*i) : std::get<double>(value);
    }
  }
  if (!problems.empty()) return Failures(Code::kFailedPrecondition, "program.overrides_invalid", std::move(problems));
  Programme out = programme;
  out.parameter_sets = {std::move(candidate)};
  return out;
}

}  // namespace sanad::programs
