// Shared helpers for the synth tests: reference data loaded once from the repository's data/.
#pragma once

#include <gtest/gtest.h>

#include "synth/reference_data.h"

namespace sanad::synth::testing {

inline const ReferenceData& Reference() {
  static const ReferenceData data = [] {
    auto loaded = LoadReferenceData(std::filesystem::path(SANAD_SOURCE_ROOT) / "data");
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message << " " << loaded.error().field;
      return ReferenceData{};
    }
    return *loaded;
  }();
  return data;
}

}  // namespace sanad::synth::testing
