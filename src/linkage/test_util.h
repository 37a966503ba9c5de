// Helpers shared by the linkage tests: build a store from a few hand-written rows.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "linkage/record_store.h"

namespace sanad::linkage::testing {

using Row = std::vector<std::pair<InField, std::string>>;

inline RawRecord Make(const std::string& id, const Row& fields, std::uint8_t source = 0) {
  RawRecord r;
  r.id = id;
  r.source = source;
  for (const auto& [f, v] : fields) r[f] = v;
  return r;
}

inline RecordStore Store(const std::vector<RawRecord>& rows) {
  RecordStoreBuilder b;
  for (const auto& r : rows) b.Add(r);
  return b.Build();
}

// Row of the record whose id is `id` (rows are reordered by the store).
inline std::uint32_t RowOf(const RecordStore& s, const std::string& id) {
  for (std::uint32_t r = 0; r < s.size(); ++r)
    if (s.RecordId(r) == id) return r;
  return UINT32_MAX;
}

}  // namespace sanad::linkage::testing
