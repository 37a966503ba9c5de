#include "linkage/cluster.h"

#include <algorithm>
#include <numeric>

#include "linkage/comparison.h"

namespace sanad::linkage {

bool DefaultValidNationalId(std::string_view id) {
  if (id.size() < 6 || id.size() > 20) return false;
  int digits = 0;
  for (char c : id) digits += c >= '0' && c <= '9';
  return digits >= 4;
}

namespace {

// Joins whose member pairs exceed this are not checked by the twin guard: registry persons have a few
// records, and a component this large is already a data problem the guard cannot fix.
constexpr std::uint64_t kMaxTwinChecks = 1'000'000;

// Same birth date, same family name key, clearly different given names.
bool LikelyTwins(const RecordStore& s, std::uint32_t x, std::uint32_t y) {
  static const ComparisonSpec kGiven{"given_name", CompareKind::kName, Col::kGivenLat, false};
  const std::uint32_t fx = s.Id(Col::kFamilyKey, x);
  return s.BirthDate(x) != 0 && s.BirthDate(x) == s.BirthDate(y) && fx != 0 && fx == s.Id(Col::kFamilyKey, y) &&
         CompareLevel(s, kGiven, x, y) == LevelCount(CompareKind::kName);
}

}  // namespace

Clustering Cluster(const RecordStore& store, std::vector<ScoredPair> matches, const ClusterOptions& options) {
  const std::size_t n = store.size();
  std::vector<std::uint32_t> parent(n), size(n, 1), id_of(n, 0);  // id_of: national id held by a root (0 = none)
  std::iota(parent.begin(), parent.end(), 0u);
  // Members of each component as a circular list (next[r]); two lists are joined by swapping one link.
  std::vector<std::uint32_t> next;
  if (options.anti_chain_twins) {
    next.resize(n);
    std::iota(next.begin(), next.end(), 0u);
  }
  const auto& ids = store.dict(Col::kNationalId);
  auto twins_across = [&](std::uint32_t ra, std::uint32_t rb) {
    if (static_cast<std::uint64_t>(size[ra]) * size[rb] > kMaxTwinChecks) return false;
    std::uint32_t x = ra;
    do {
      std::uint32_t y = rb;
      do {
        if (LikelyTwins(store, x, y)) return true;
        y = next[y];
      } while (y != rb);
      x = next[x];
    } while (x != ra);
    return false;
  };
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
    if (options.anti_chain_national_id && id_of[ra] != 0 && id_of[rb] != 0 && id_of[ra] != id_of[rb] &&
        !OneKeyingError(ids.Get(id_of[ra]), ids.Get(id_of[rb]))) {
      ++out.refused;
      continue;
    }
    if (options.anti_chain_twins && twins_across(ra, rb)) {
      ++out.refused;
      continue;
    }
    if (options.one_record_per_source && (sources[ra] & sources[rb]) != 0) {
      ++out.refused;
      continue;
    }
    if (size[ra] < size[rb]) std::swap(ra, rb);
    parent[rb] = ra;
    if (options.anti_chain_twins) std::swap(next[ra], next[rb]);
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
