// Targeting simulation measures (docs/targeting-simulation.md): for the households of a registry, each
// with its region, size and latent consumption, and for one or more scenarios of a programme (who is
// eligible, for how much), the coverage, the cost, and the inclusion and exclusion errors measured
// against the latent consumption, by region and nationally. Pure and columnar: chunks of households
// are added as columns, counts are kept per region; no SQL, no HTTP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"

namespace sanad::targeting {

// How often the entitlement is paid: the yearly cost of a monthly one is twelve payments.
enum class PaymentFrequency : std::uint8_t { kMonthly, kYearly, kOneOff };

// The households of one chunk, one entry per household in every column.
struct PopulationColumns {
  std::span<const std::string> region;  // region code, e.g. MA-03
  std::span<const std::uint32_t> size;  // members
  // log annual consumption per person (the synthetic registry's truth); absent (0 in `latent_present`,
  // or NaN) for a household the registry has no measure for: it is then neither poor nor non-poor.
  std::span<const double> latent;
  std::span<const std::uint8_t> latent_present;  // empty: every value that is not NaN is present
};

// One scenario's outcome for the same households: eligible (0/1) and the amount of one payment in
// whole units (DH, DA); the amount of a household that is not eligible is ignored. `one_off`: what the
// household receives in the year through the programme's one-off grants (e.g. the ASD school-start
// grant each September), whole units, counted whatever `eligible` says (a one-off is due to the
// households eligible in its own month); empty when the programme has none.
struct ScenarioColumns {
  std::span<const std::uint8_t> eligible;
  std::span<const std::int64_t> amount;
  std::span<const std::int64_t> one_off = {};
};

// Counts of one scenario over a set of households.
struct ScenarioCounts {
  std::int64_t covered_households = 0;
  std::int64_t covered_persons = 0;
  std::int64_t covered_poor_households = 0;      // covered and poor
  std::int64_t covered_measured_households = 0;  // covered with a latent consumption
  std::int64_t amount_minor = 0;                 // one payment to every covered household, minor units
  std::int64_t one_off_minor = 0;                // the year's one-off grants, minor units
};

struct RegionCounts {
  std::int64_t households = 0;
  std::int64_t persons = 0;
  std::int64_t measured_households = 0;  // with a latent consumption
  std::int64_t poor_households = 0;
  std::int64_t poor_persons = 0;
  std::vector<ScenarioCounts> scenarios;
};

// The measures of one scenario in one row (a region or the nation), derived from its counts.
struct ScenarioMeasures {
  std::int64_t covered_households = 0;
  std::int64_t covered_persons = 0;
  double coverage_rate = 0;                        // covered ÷ households (0 without households)
  std::optional<std::int64_t> monthly_cost_minor;  // absent for a yearly or one-off entitlement
  std::int64_t one_off_cost_minor = 0;             // the year's one-off grants
  std::int64_t yearly_cost_minor = 0;              // the year's regular payments plus its one-off grants
  std::optional<double> inclusion_error;           // covered non-poor ÷ covered measured; absent without any
  std::optional<double> exclusion_error;           // poor not covered ÷ poor; absent without poor households
};

struct SimulationRow {
  std::string region;  // empty for the national row
  RegionCounts counts;
  std::vector<ScenarioMeasures> scenarios;
};

class SimulationAccumulator {
 public:
  // `poverty_line`: a household is poor when its latent log consumption per person is ≤ the line.
  SimulationAccumulator(double poverty_line, std::size_t scenarios, PaymentFrequency frequency);

  // Adds a chunk. Errors: kInternal (targeting.simulation_columns) when a column's length differs
  // from the region column's or the number of scenarios is not the one given at construction.
  Status Add(const PopulationColumns& population, std::span<const ScenarioColumns> scenarios);

  // One row per region (sorted by code), then the national row (region "").
  std::vector<SimulationRow> Rows() const;

  double poverty_line() const { return poverty_line_; }

 private:
  RegionCounts& Region(const std::string& code);

  double poverty_line_;
  std::size_t scenario_count_;
  PaymentFrequency frequency_;
  std::vector<std::string> codes_;
  std::vector<RegionCounts> regions_;
  std::size_t last_ = 0;  // the region of the previous household: chunks come ordered by area
};

// Measures of a row's counts (exposed for tests and for the national row).
ScenarioMeasures Measure(const RegionCounts& counts, const ScenarioCounts& scenario, PaymentFrequency frequency);

}  // namespace sanad::targeting
