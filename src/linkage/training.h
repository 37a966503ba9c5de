// Training a Fellegi–Sunter model the way Splink does (Splink docs, "Training a linkage model":
// estimate_probability_two_random_records_match, estimate_u_using_random_sampling,
// estimate_parameters_using_expectation_maximisation):
//   1. λ from deterministic rules: pairs they select, divided by their assumed recall, over all pairs;
//   2. u from random pairs, which are almost all non-matches;
//   3. m by expectation–maximisation (Dempster, Laird & Rubin 1977; Winkler 1988 for record linkage),
//      one pass per training blocking rule, u held fixed, the comparisons that the rule blocks on left
//      out of that pass (their agreement is forced by the block), m averaged over the passes.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "linkage/model.h"

namespace sanad::linkage {

// A candidate pair and its packed comparison vector.
struct CandidatePair {
  std::uint32_t a, b, gamma;
};

struct EmPass {
  std::string rule;
  std::uint64_t pairs = 0;
  int iterations = 0;
  double lambda_in_block = 0;
  std::vector<std::string> estimated;  // comparisons whose m this pass estimated
};

struct TrainingReport {
  std::uint64_t deterministic_pairs = 0;
  std::uint64_t total_pairs = 0;  // all possible pairs (within or across sources)
  std::uint64_t u_sample = 0;
  std::vector<EmPass> passes;
};

// Step 1. Sets model.lambda from spec.deterministic / spec.deterministic_recall.
void EstimateLambda(Model& model, const RecordStore& store, const ModelSpec& spec, int threads, TrainingReport& report);

// Step 2. Sets u from `sample` random pairs (seeded, deterministic for a given thread count).
void EstimateU(Model& model, const RecordStore& store, const ModelSpec& spec, std::uint64_t sample, std::uint64_t seed,
               int threads, TrainingReport& report);

// Append-only storage of candidate pairs in fixed blocks of 2^20 pairs: growing never copies (a plain
// vector would briefly hold twice its size), so memory is 12 bytes a pair plus under one block.
class PairBuffer {
 public:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  void push_back(const CandidatePair& p) {
    if (blocks_.empty() || blocks_.back().size() == kBlock) {
      blocks_.emplace_back();
      blocks_.back().reserve(kBlock);
    }
    blocks_.back().push_back(p);
    ++size_;
  }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& b : blocks_)
      for (const auto& p : b) fn(p);
  }
  std::size_t size() const { return size_; }
  void clear() {
    std::vector<std::vector<CandidatePair>>().swap(blocks_);
    size_ = 0;
  }

 private:
  std::vector<std::vector<CandidatePair>> blocks_;
  std::size_t size_ = 0;
};

// Candidate pairs as the engine keeps them: one buffer per worker thread, never concatenated.
using PairChunks = std::vector<PairBuffer>;

// Comparison-vector patterns of one training rule's pairs and how many pairs have each.
using PatternCounts = std::unordered_map<std::uint32_t, double>;

// Patterns of each training rule, selected from stored candidate pairs by rule key (every pair of a
// training rule is a candidate when the training rule is also a blocking rule).
std::vector<PatternCounts> PatternsFromPairs(const RecordStore& store, const ModelSpec& spec, const PairChunks& pairs,
                                             int threads);

// Patterns of each training rule by enumerating its blocks afresh (used when the candidate pairs are too
// many to keep in memory): the comparison vectors of these pairs are then computed twice.
std::vector<PatternCounts> PatternsByEnumeration(const RecordStore& store, const ModelSpec& spec,
                                                 const std::vector<ComparisonSpec>& comparisons, int threads,
                                                 std::uint64_t max_block_size);

// Step 3. EM over each training rule's patterns (u fixed, blocked comparisons left out), m averaged.
void EstimateM(Model& model, const ModelSpec& spec, const std::vector<PatternCounts>& patterns, TrainingReport& report);

// Which comparisons read a column that the rule blocks on (and so cannot be estimated in its pass).
std::vector<bool> ComparisonsUsedBy(const ModelSpec& spec, const BlockingRule& rule);

}  // namespace sanad::linkage
