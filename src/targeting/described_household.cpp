#include "targeting/described_household.h"

#include <cmath>

namespace sanad::targeting {
namespace {

bool Applies(const Term& t, bool urban) { return t.area == AreaType::kBoth || (t.area == AreaType::kUrban) == urban; }

}  // namespace

std::vector<std::string> MissingInputs(const Model& model, const DescribedHousehold& h) {
  std::vector<std::string> out;
  if (!h.urban) out.emplace_back("area_type");
  if (!model.region_effects.empty() && !h.region) out.emplace_back("region");
  std::array<bool, kVariableCount> needed{};
  for (const auto& t : model.terms) {
    // Without the area type every term may apply.
    if (h.urban && !Applies(t, *h.urban)) continue;
    const Variable v = t.variable == Variable::kHouseholdSizeSquared ? Variable::kHouseholdSize : t.variable;
    needed[static_cast<std::size_t>(v)] = true;
  }
  for (const auto& spec : Variables()) {
    if (needed[static_cast<std::size_t>(spec.variable)] && std::isnan(h.at(spec.variable))) {
      out.emplace_back(spec.name);
    }
  }
  return out;
}

ScoredBatch ScoreDescribed(const Model& model, const DescribedHousehold& h) {
  HouseholdBatch batch;
  const double size = h.at(Variable::kHouseholdSize);
  const std::size_t row = batch.Add(0, h.urban.value_or(false), h.region.value_or(""), 0);
  for (const auto& spec : Variables()) batch.at(spec.variable, row) = h.at(spec.variable);
  batch.at(Variable::kHouseholdSize, row) = size;
  batch.at(Variable::kHouseholdSizeSquared, row) = size * size;
  return Score(model, batch);
}

}  // namespace sanad::targeting
