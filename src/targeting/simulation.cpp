#include "targeting/simulation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sanad::targeting {
namespace {

// Whole units (DH, DA) to minor units (centimes, santimes).
constexpr std::int64_t kMinorPerUnit = 100;

std::optional<double> Share(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

void AddCounts(RegionCounts& into, const RegionCounts& from) {
  into.households += from.households;
  into.persons += from.persons;
  into.measured_households += from.measured_households;
  into.poor_households += from.poor_households;
  into.poor_persons += from.poor_persons;
  for (std::size_t k = 0; k < from.scenarios.size(); ++k) {
    auto& a = into.scenarios[k];
    const auto& b = from.scenarios[k];
    a.covered_households += b.covered_households;
    a.covered_persons += b.covered_persons;
    a.covered_poor_households += b.covered_poor_households;
    a.covered_measured_households += b.covered_measured_households;
    a.amount_minor += b.amount_minor;
    a.one_off_minor += b.one_off_minor;
  }
}

}  // namespace

SimulationAccumulator::SimulationAccumulator(double poverty_line, std::size_t scenarios, PaymentFrequency frequency)
    : poverty_line_(poverty_line), scenario_count_(scenarios), frequency_(frequency) {}

RegionCounts& SimulationAccumulator::Region(const std::string& code) {
  if (last_ < codes_.size() && codes_[last_] == code) return regions_[last_];
  auto it = std::find(codes_.begin(), codes_.end(), code);
  if (it == codes_.end()) {
    codes_.push_back(code);
    RegionCounts counts;
    counts.scenarios.resize(scenario_count_);
    regions_.push_back(std::move(counts));
    it = codes_.end() - 1;
  }
  last_ = static_cast<std::size_t>(it - codes_.begin());
  return regions_[last_];
}

Status SimulationAccumulator::Add(const PopulationColumns& population, std::span<const ScenarioColumns> scenarios) {
  const std::size_t n = population.region.size();
  bool ok = population.size.size() == n && population.latent.size() == n &&
            (population.latent_present.empty() || population.latent_present.size() == n) &&
            scenarios.size() == scenario_count_;
  for (const auto& s : scenarios) {
    ok = ok && s.eligible.size() == n && s.amount.size() == n && (s.one_off.empty() || s.one_off.size() == n);
  }
  if (!ok) {
    return Failure(Code::kInternal, "targeting.simulation_columns", {{"households", std::to_string(n)}});
  }
  // Population columns first (one pass), then each scenario's columns (one pass each): the poor flag of
  // every household is computed once and read by every scenario.
  std::vector<std::uint8_t> poor(n);
  std::vector<std::uint8_t> measured(n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool present = population.latent_present.empty() || population.latent_present[i] != 0;
    measured[i] = present && !std::isnan(population.latent[i]) ? 1 : 0;
    poor[i] = measured[i] != 0 && population.latent[i] <= poverty_line_ ? 1 : 0;
    RegionCounts& r = Region(population.region[i]);
    const std::int64_t size = population.size[i];
    r.households += 1;
    r.persons += size;
    r.measured_households += measured[i];
    r.poor_households += poor[i];
    r.poor_persons += poor[i] * size;
  }
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const auto& s = scenarios[k];
    if (!s.one_off.empty()) {
      for (std::size_t i = 0; i < n; ++i) {
        Region(population.region[i]).scenarios[k].one_off_minor += s.one_off[i] * kMinorPerUnit;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (s.eligible[i] == 0) continue;
      ScenarioCounts& c = Region(population.region[i]).scenarios[k];
      c.covered_households += 1;
      c.covered_persons += population.size[i];
      c.covered_poor_households += poor[i];
      c.covered_measured_households += measured[i];
      c.amount_minor += s.amount[i] * kMinorPerUnit;
    }
  }
  return Ok();
}

ScenarioMeasures Measure(const RegionCounts& counts, const ScenarioCounts& s, PaymentFrequency frequency) {
  ScenarioMeasures m;
  m.covered_households = s.covered_households;
  m.covered_persons = s.covered_persons;
  m.coverage_rate = Share(s.covered_households, counts.households).value_or(0.0);
  switch (frequency) {
    case PaymentFrequency::kMonthly:
      m.monthly_cost_minor = s.amount_minor;
      m.yearly_cost_minor = 12 * s.amount_minor;
      break;
    case PaymentFrequency::kYearly:
    case PaymentFrequency::kOneOff:
      m.yearly_cost_minor = s.amount_minor;
      break;
  }
  m.one_off_cost_minor = s.one_off_minor;
  m.yearly_cost_minor += s.one_off_minor;
  m.inclusion_error = Share(s.covered_measured_households - s.covered_poor_households, s.covered_measured_households);
  m.exclusion_error = Share(counts.poor_households - s.covered_poor_households, counts.poor_households);
  return m;
}

std::vector<SimulationRow> SimulationAccumulator::Rows() const {
  std::vector<std::size_t> order(codes_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) { return codes_[a] < codes_[b]; });
  std::vector<SimulationRow> rows;
  rows.reserve(order.size() + 1);
  SimulationRow national;
  national.counts.scenarios.resize(scenario_count_);
  for (std::size_t index : order) {
    SimulationRow row{codes_[index], regions_[index], {}};
    AddCounts(national.counts, row.counts);
    rows.push_back(std::move(row));
  }
  rows.push_back(std::move(national));
  for (auto& row : rows) {
    for (const auto& s : row.counts.scenarios) row.scenarios.push_back(Measure(row.counts, s, frequency_));
  }
  return rows;
}

}  // namespace sanad::targeting
