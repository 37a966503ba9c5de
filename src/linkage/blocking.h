// Blocking (Splink's "blocking rules"): each rule is an equi-join on a composite key; a pair is a
// candidate when any rule's key is equal and non-missing on both records. Rules run in order and a
// pair already produced by an earlier rule is skipped (checked by comparing the earlier rules' keys,
// so no hash set of pairs is ever built), giving the union without duplicates and a count per rule.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "linkage/record_store.h"

namespace sanad::linkage {

// kBirthMonthDay catches year errors (1980-05-12 / 1981-05-12) that kBirthDate and kBirthYear miss;
// kBirthDecade (year / 10) cuts large name blocks while tolerating most date errors.
enum class KeyPartKind : std::uint8_t {
  kColumn,
  kBirthDate,
  kBirthYear,
  kBirthMonthDay,
  kBirthDecade,
  kPrefix2,
  kPrefix3
};

struct KeyPart {
  KeyPartKind kind = KeyPartKind::kColumn;
  Col col = Col::kGivenKey;  // for kColumn and kPrefix*
};

struct BlockingRule {
  std::string name;            // "given_key+family_key+birth_year"
  std::vector<KeyPart> parts;  // all must be present (non-missing) for a record to get a key
};

enum class LinkType : std::uint8_t {
  kDedupe,    // every pair of records
  kLinkOnly,  // only pairs whose records come from different sources
};

// Key of every record under `rule`: a 64-bit hash of its parts, 0 when a part is missing.
// Runs on `threads` threads.
std::vector<std::uint64_t> BlockKeys(const RecordStore& store, const BlockingRule& rule, int threads);

struct RuleStats {
  std::string rule;
  std::uint64_t pairs = 0;   // new candidate pairs contributed by this rule
  std::uint64_t blocks = 0;  // blocks with at least two records
  std::uint64_t largest_block = 0;
  std::uint64_t skipped_blocks = 0;  // blocks larger than max_block_size, not expanded
  std::uint64_t skipped_pairs = 0;   // pairs inside those blocks
};

// Called for each new candidate pair (a < b) from worker thread `worker` (0..threads-1).
using PairVisitor = std::function<void(int worker, std::uint32_t a, std::uint32_t b)>;

struct BlockingOptions {
  LinkType link_type = LinkType::kDedupe;
  int threads = 1;
  std::uint64_t max_block_size = 20000;            // a block above this many records is reported and skipped
  std::atomic<std::uint64_t>* progress = nullptr;  // incremented by pairs visited, if set
};

// Enumerates the candidate pairs of rule `keys[rule]` that no earlier rule (keys[0..rule-1]) produced.
RuleStats EnumerateRule(const RecordStore& store, const std::vector<std::vector<std::uint64_t>>& keys, std::size_t rule,
                        const BlockingOptions& options, const PairVisitor& visit, std::string rule_name = {});

// Number of pairs whose records share a key (Σ n(n-1)/2 over blocks; cross-source pairs only for
// kLinkOnly); used to estimate λ from deterministic rules without enumerating pairs.
std::uint64_t CountPairsSharingKey(const RecordStore& store, const std::vector<std::uint64_t>& keys, LinkType type);

// Runs fn(worker, begin, end) over [0, n) cut into `threads` contiguous ranges, on std::jthreads.
void ParallelFor(std::size_t n, int threads, const std::function<void(int, std::size_t, std::size_t)>& fn);

}  // namespace sanad::linkage
