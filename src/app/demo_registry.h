// Fills the registry with a synthetic one (sanad demo --households N): households and persons with
// their first versions, recorded as one applied change request by the "demo" account so that the
// history of every record says where it came from.
#pragma once

#include <functional>

#include "app/platform.h"
#include "synth/registry.h"

namespace sanad::app {

struct SeedReport {
  std::int64_t change_request_id = 0;
  std::size_t households = 0;
  std::size_t persons = 0;
};

// Loads in chunks of households (one transaction each) so memory stays bounded at any size.
// progress(households loaded, total).
Result<SeedReport> SeedRegistry(Platform& platform, const synth::Registry& reg,
                                const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace sanad::app
