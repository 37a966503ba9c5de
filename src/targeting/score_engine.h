// Scores a batch of households at once. The batch is a struct of arrays: one column per model variable
// (score_engine.cpp walks each term down its column, which the compiler vectorises), and the result is
// a column of scores plus, for "why this score", one column of contributions per part of the model.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "targeting/model.h"

namespace sanad::targeting {

// A missing value (an unanswered spend, an unknown dwelling type): it contributes nothing.
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct HouseholdBatch {
  std::vector<std::int64_t> id;
  std::vector<std::uint8_t> urban;  // 1 urban, 0 rural
  std::vector<std::string> region;  // RegionOfCommune(commune_code)
  // columns[v][i]: variable v of household i, by Variable order. Sizes and counts are numbers; flags
  // 0/1; categorical variables hold the category's index in its vocabulary. kMissing when unknown.
  // household_size (the active members) is never missing; household_size_squared is derived from it.
  std::array<std::vector<double>, kVariableCount> columns;

  std::size_t size() const { return id.size(); }
  // Appends a household with every variable missing except its size; callers then set the cells.
  std::size_t Add(std::int64_t household_id, bool is_urban, std::string region_code, int members);
  double& at(Variable v, std::size_t row) { return columns[static_cast<std::size_t>(v)][row]; }
};

struct ScoredBatch {
  std::vector<double> score;
  // Contributions: parts[0] the intercept, parts[1] the region effect, parts[2 + k] the model's term k.
  // For every household the parts sum to its score.
  std::vector<std::string> part_labels;  // "intercept", "region", then each term's label
  std::vector<std::vector<double>> parts;
};

ScoredBatch Score(const Model& model, const HouseholdBatch& batch);

// Whether a score computed again is the one stored. Scores are stored as the doubles computed; earlier
// versions wrote them as text, which SQLite's own decimal reading (not always correctly rounded) kept as
// the neighbouring double for about 1 household in 50,000: a few units in the last place are the same score.
bool SameScore(double stored, double computed);

// The non-zero contributions of household `row` as a JSON object {"intercept":9.825,"region":0.12,...},
// numbers written so that they read back exactly.
std::string ContributionsJson(const ScoredBatch& scored, std::size_t row);

}  // namespace sanad::targeting
