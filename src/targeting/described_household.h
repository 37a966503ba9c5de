// A household described by its answers rather than read from the registry (the public simulator): which
// of the model's inputs it lacks, and its score by the same engine as the registry's (score_engine.h).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "targeting/model.h"
#include "targeting/score_engine.h"

namespace sanad::targeting {

struct DescribedHousehold {
  std::optional<bool> urban;
  std::optional<std::string> region;  // MA-03
  // By Variable order; kMissing when not given. Categorical: the category's index in its vocabulary.
  // household_size_squared is derived from household_size.
  std::array<double, kVariableCount> values;
  DescribedHousehold() { values.fill(kMissing); }
  double& at(Variable v) { return values[static_cast<std::size_t>(v)]; }
  double at(Variable v) const { return values[static_cast<std::size_t>(v)]; }
};

// The inputs `model` uses that `h` lacks, by name: "area_type", "region" (when the model has regional
// effects), then the variables of the terms that apply to the household's area, in Variable order.
std::vector<std::string> MissingInputs(const Model& model, const DescribedHousehold& h);

// Its score and contributions (one row); meaningful when MissingInputs is empty.
ScoredBatch ScoreDescribed(const Model& model, const DescribedHousehold& h);

}  // namespace sanad::targeting
