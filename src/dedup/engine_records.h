// Internal to DedupService: the registry persons in the linkage engine's record store (record id = person
// id) and the engine options of a run.
#pragma once

#include <cstdint>
#include <string>

#include "dedup/dedup_service.h"
#include "linkage/engine.h"
#include "linkage/record_store.h"

namespace sanad::dedup::internal {

inline std::int64_t PersonIdOf(const linkage::RecordStore& store, std::uint32_t row) {
  return std::stoll(store.RecordId(row));
}

inline linkage::EngineOptions EngineOptionsOf(const DedupOptions& options, int threads) {
  linkage::EngineOptions o;
  o.threads = threads;
  o.match_probability = options.match_probability;
  o.review_probability = options.review_probability;
  return o;
}

}  // namespace sanad::dedup::internal
