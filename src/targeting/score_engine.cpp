#include "targeting/score_engine.h"

#include <cmath>

#include "core/json_escape.h"

namespace sanad::targeting {

std::size_t HouseholdBatch::Add(std::int64_t household_id, bool is_urban, std::string region_code, int members) {
  id.push_back(household_id);
  urban.push_back(is_urban ? 1 : 0);
  region.push_back(std::move(region_code));
  for (auto& column : columns) column.push_back(kMissing);
  const auto n = static_cast<double>(members);
  columns[static_cast<std::size_t>(Variable::kHouseholdSize)].back() = n;
  columns[static_cast<std::size_t>(Variable::kHouseholdSizeSquared)].back() = n * n;
  return id.size() - 1;
}

ScoredBatch Score(const Model& model, const HouseholdBatch& batch) {
  const std::size_t n = batch.size();
  ScoredBatch out;
  out.part_labels.reserve(model.terms.size() + 2);
  out.part_labels.emplace_back("intercept");
  out.part_labels.emplace_back("region");
  out.parts.assign(model.terms.size() + 2, std::vector<double>(n, 0.0));

  auto& intercept = out.parts[0];
  auto& region = out.parts[1];
  for (std::size_t i = 0; i < n; ++i) {
    intercept[i] = batch.urban[i] != 0 ? model.intercept_urban : model.intercept_rural;
    auto it = model.region_effects.find(batch.region[i]);
    region[i] = it == model.region_effects.end() ? 0.0 : it->second;
  }

  const auto& size = batch.columns[static_cast<std::size_t>(Variable::kHouseholdSize)];
  for (std::size_t k = 0; k < model.terms.size(); ++k) {
    const Term& t = model.terms[k];
    out.part_labels.push_back(t.label);
    auto& part = out.parts[k + 2];
    const auto& column = batch.columns[static_cast<std::size_t>(t.variable)];
    const double scale = t.per == Per::kAnnualCapita ? 12.0 : 1.0;
    const bool per_capita = t.per != Per::kHousehold;
    const bool categorical = t.category >= 0;
    const auto category = static_cast<double>(t.category);
    const std::uint8_t want_urban = t.area == AreaType::kUrban ? 1 : 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = column[i];
      double value = categorical ? (x == category ? 1.0 : 0.0) : (std::isnan(x) ? 0.0 : x);
      // A household without active members (none should be scored) counts as one person.
      if (per_capita) value = value * scale / std::max(size[i], 1.0);
      const bool applies = t.area == AreaType::kBoth || batch.urban[i] == want_urban;
      part[i] = applies ? t.coefficient * value : 0.0;
    }
  }

  out.score.assign(n, 0.0);
  for (const auto& part : out.parts) {
    for (std::size_t i = 0; i < n; ++i) out.score[i] += part[i];
  }
  return out;
}

// Written as text rather than through a JSON object: a run builds one per household (5,000,000 for a
// national registry), and the object's allocations and its number formatting took about a third of
// scoring's time (profiled).
bool SameScore(double stored, double computed) {
  return stored == computed || std::abs(stored - computed) <= 1e-15 * std::abs(computed);
}

std::string ContributionsJson(const ScoredBatch& scored, std::size_t row) {
  std::string out = "{";
  for (std::size_t p = 0; p < scored.parts.size(); ++p) {
    const double v = scored.parts[p][row];
    if (v == 0.0) continue;
    if (out.size() > 1) out += ',';
    out += '"';
    AppendJsonEscaped(out, scored.part_labels[p], true);
    out += "\":";
    AppendJsonNumber(out, v);
  }
  out += '}';
  return out;
}

}  // namespace sanad::targeting
