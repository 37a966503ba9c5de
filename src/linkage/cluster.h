// Clustering of scored pairs into persons: connected components (union–find with path halving and
// union by size, Tarjan 1975) over the pairs at or above the match threshold, strongest pairs first,
// with an anti-chaining guard: two components are never joined when each already holds a valid
// national id and the ids differ (A~B and B~C must not make A and C one person when A and C carry
// different ids; ids one keying error apart, OneKeyingError, count as the same id mistyped), and a
// sibling guard: two components are never joined when that would put in one person two records with the
// same birth date and family name but clearly different given names (twins). Pairs between the review and match
// thresholds are returned for a human decision.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "linkage/record_store.h"

namespace sanad::linkage {

struct ScoredPair {
  std::uint32_t a, b;
  float weight;  // match weight, log2 odds
};

// A national id is valid when it has 6 to 20 characters and at least 4 digits: Moroccan CIN
// (1–2 letters + digits), Algerian NIN (18 digits). Other schemes can be passed to Cluster().
bool DefaultValidNationalId(std::string_view normalised_id);

struct ClusterOptions {
  bool anti_chain_national_id = false;
  // Refuse a join that would put in one cluster two records with the same birth date, the same family
  // name key and clearly different given names (the "else" level of the name comparison): twins, whom
  // a shared father, commune and phone would otherwise chain together.
  bool anti_chain_twins = false;
  // Linking lists that are each free of duplicates (Splink's link_only on clean sources, the NCVR and
  // FEBRL-4 benchmarks): a cluster may hold at most one record of each source (sources 0..63).
  bool one_record_per_source = false;
  std::function<bool(std::string_view)> valid_id = DefaultValidNationalId;
};

struct Clustering {
  std::vector<std::uint32_t> cluster_of;  // per record: index of the cluster's representative record
  std::size_t clusters = 0;
  std::uint64_t merges = 0;
  std::uint64_t refused = 0;  // joins blocked by the anti-chaining guards or the one-per-source rule
};

// `matches` need not be sorted (they are sorted here by decreasing weight). Thread-compatible.
Clustering Cluster(const RecordStore& store, std::vector<ScoredPair> matches, const ClusterOptions& options);

}  // namespace sanad::linkage
