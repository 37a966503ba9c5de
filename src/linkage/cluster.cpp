#include "linkage/cluster.h"

#include <algorithm>
#include <numeric>

namespace sanad::linkage {

bool DefaultValidNationalId(std::string_view id) {
  if (id.size() < 6 || id.size() > 20) return false;
  int digits = 0;
  for (char c : id) digits += c >= '0' && c <= '9';
  return digits >= 4;
}

Clustering Cluster(const RecordStore& store, std::vector<ScoredPair> matches, const ClusterOptions& options) {
  const std::size_t n = store.size();
  std::vector<std::uint32_t> parent(n), size(n, 1), id_of(n, 0);  // id_of: national id held by a root (0 = none)
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<std::uint64_t> sources;  // per root: bit set of the sources of its records
  if (options.one_record_per_source) {
    sources.resize(n);
    for (std::size_t r = 0; r < n; ++r) sources[r] = 1ULL << (store.Source(r) & 63);
  }
  if (options.anti_chain_national_id) {
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint32_t id = store.Id(Col::kNationalId, r);
      if (id != 0 && options.valid_id(store.dict(Col::kNationalId).Get(id))) id_of[r] = id;
    }
  }
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  std::sort(matches.begin(), matches.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.weight != y.weight ? x.weight > y.weight : (x.a != y.a ? x.a < y.a : x.b < y.b);
  });
  Clustering out;
  for (const auto& p : matches) {
    std::uint32_t ra = find(p.a), rb = find(p.b);
    if (ra == rb) continue;
    if (options.anti_chain_national_id && id_of[ra] != 0 && id_of[rb] != 0 && id_of[ra] != id_of[rb]) {
      ++out.refused;
      continue;
    }
    if (options.one_record_per_source && (sources[ra] & sources[rb]) != 0) {
      ++out.refused;
      continue;
    }
    if (size[ra] < size[rb]) std::swap(ra, rb);
    parent[rb] = ra;
    if (options.one_record_per_source) sources[ra] |= sources[rb];
    size[ra] += size[rb];
    if (id_of[ra] == 0) id_of[ra] = id_of[rb];
    ++out.merges;
  }
  // Representative = smallest record index of the component, so output is stable across runs.
  std::vector<std::uint32_t> rep(n, UINT32_MAX);
  out.cluster_of.resize(n);
  for (std::uint32_t r = 0; r < n; ++r) {
    const std::uint32_t root = find(r);
    if (rep[root] == UINT32_MAX) {
      rep[root] = r;
      ++out.clusters;
    }
    out.cluster_of[r] = rep[root];
  }
  return out;
}

}  // namespace sanad::linkage
