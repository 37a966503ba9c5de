#include "app/population_reader.h"

#include <cmath>

#include "cycles/household_batch_store.h"

namespace sanad::app {

targeting::PopulationReader RegistryPopulationReader(db::Database& db, const Clock& clock) {
  return [&db, &clock](const targeting::PopulationFilter& filter, const targeting::ChunkVisitor& visit) -> Status {
    db::Session session = db.Acquire();
    cycles::HouseholdBatchStore store(session, FormatTimestamp(clock.Now()),
                                      cycles::AsOfFilter{.area = filter.area, .country = filter.country});
    auto total = store.Count();
    if (!total) return std::unexpected(total.error());
    for (;;) {
      auto chunk = store.Next();
      if (!chunk) return std::unexpected(chunk.error());
      if (chunk->size() == 0) return Ok();
      // The store marks an unknown latent consumption with NaN, which the simulation reads as unmeasured.
      if (auto st = visit({chunk->batch, chunk->region_code, chunk->latent_log_consumption, {}, *total}); !st) {
        return st;
      }
    }
  };
}

}  // namespace sanad::app
