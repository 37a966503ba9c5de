// A targeting simulation over the registry (docs/targeting-simulation.md): a programme with its current
// parameters (the baseline) and with candidate values (the candidate) evaluated chunk by chunk over the
// registry's households, each chunk once per scenario (programs::EvaluateBatch, columnar), and the
// measures of simulation.h added up by region. The registry comes through a reader the composition root
// supplies, so that this file holds no SQL; the result is JSON (the job's stored result) and CSV.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"
#include "programs/overrides.h"
#include "programs/programme.h"
#include "rules/batch.h"

namespace sanad::targeting {

// One chunk of the registry: the programme's inputs (every field of programs::ProgrammeSchema() and the
// household column `country`) and, per household, its region and latent log consumption per person.
struct PopulationChunk {
  const rules::Batch& batch;
  std::span<const std::string> region;
  std::span<const double> latent;                // NaN when unknown
  std::span<const std::uint8_t> latent_present;  // empty: every value that is not NaN is present
  std::int64_t total_households = 0;             // in the whole read (for progress); 0 when unknown
};

// Which households a simulation reads: the programme's country, within the caller's area.
struct PopulationFilter {
  std::optional<std::string> area;  // nullopt: national
  std::string country;              // MA or DZ
  bool operator==(const PopulationFilter&) const = default;
};

using ChunkVisitor = std::function<Status(const PopulationChunk&)>;
// Reads the active households the filter selects, as they are now, and calls `visit` once per chunk,
// stopping at the first error `visit` returns.
using PopulationReader = std::function<Status(const PopulationFilter& filter, const ChunkVisitor& visit)>;

struct SimulationRequest {
  std::string period;  // YYYY-MM
  programs::ParameterOverrides overrides;
  std::optional<double> poverty_line;  // default: DefaultPovertyLine(programme country)
  std::optional<std::string> area;     // the caller's scope; nullopt = national
  // Overrides whose value was not a number (the API's reading keeps them for CheckRequest, which names
  // them with every other problem); a request with any is never queued.
  std::vector<std::string> not_numbers;
};

// The default poverty line, in log annual consumption per person (docs/targeting-simulation.md): for
// Morocco the ASD threshold, on which the synthetic registry is calibrated (about 40 % of households
// under it); for Algeria the line that puts the same share of the synthetic registry under it.
double DefaultPovertyLine(std::string_view country);

// Checks the request against the programme without reading the registry (the API calls it before
// queueing the job, so a bad period or parameter name is a 422 at once).
// Errors: program.bad_period, program.no_parameters, program.overrides_invalid (every problem: values
// that are not numbers, unknown names, decimals for whole amounts, values below zero, and a bad period
// when there is another problem beside it).
Status CheckRequest(const programs::Programme& programme, const SimulationRequest& request);

// Runs the simulation. `progress(done, total)` is called after every chunk; its error stops the run.
// The result (SimulationJson's shape) has the programme, period, poverty line, the baseline and
// candidate parameters and one row per region plus the total row.
Result<nlohmann::json> RunSimulation(const programs::Programme& programme, const SimulationRequest& request,
                                     const PopulationReader& reader,
                                     const std::function<Status(std::int64_t, std::int64_t)>& progress);

// The result's table as CSV (one line per region and scenario, then the total's), amounts in minor units.
std::string SimulationCsv(const nlohmann::json& result);

// Request JSON ↔ struct, for the job's parameters. Errors from the JSON reader name the field.
nlohmann::json RequestJson(const SimulationRequest& request);
Result<SimulationRequest> RequestFromJson(const nlohmann::json& j);

}  // namespace sanad::targeting
