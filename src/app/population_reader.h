// The registry as the targeting simulation reads it (targeting::PopulationReader): the households of
// one country, within an area, as they stand when the simulation runs, chunk by chunk through the
// cycles' as-of reader (cycles::HouseholdBatchStore), so that a simulation and a cycle see the same
// households with the same derived inputs.
#pragma once

#include "core/time.h"
#include "db/database.h"
#include "targeting/simulation_run.h"

namespace sanad::app {

// `db` and `clock` must outlive the reader.
targeting::PopulationReader RegistryPopulationReader(db::Database& db, const Clock& clock);

}  // namespace sanad::app
