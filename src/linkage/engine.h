// The linkage engine end to end over a RecordStore: blocking → comparison vectors (once per pair,
// multi-threaded) → training (unless a model is given) → scoring → clustering. Pure: no I/O besides
// the optional progress callback.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "linkage/cluster.h"
#include "linkage/model.h"
#include "linkage/training.h"

namespace sanad::linkage {

struct Progress {
  std::string stage;        // "blocking given_key+family_key (2/6)", "training", "scoring", "clustering"
  std::uint64_t pairs = 0;  // candidate pairs compared so far
  double seconds = 0;       // since the start of the run
};

struct EngineOptions {
  int threads = 2;
  double match_probability = 0.9;   // pairs at or above are linked (clustered)
  double review_probability = 0.5;  // pairs in [review, match) go to the review band
  std::uint64_t max_block_size = 20000;
  std::uint64_t u_sample_pairs = 1'000'000;
  // Candidate pairs whose comparison vectors are kept for training (12 bytes each; 300 M = 3.6 GB).
  // Beyond it the engine switches to two enumerations (training, then scoring) holding only the pairs
  // above the review threshold, so memory stays bounded whatever the number of candidates.
  std::uint64_t max_stored_pairs = 300'000'000;
  std::uint64_t seed = 42;
  // Called from a monitor thread about every 250 ms, and once at each stage change. May be empty.
  std::function<void(const Progress&)> progress;
};

struct EngineResult {
  Model model;
  TrainingReport training;
  bool trained = false;
  bool pairs_over_budget = false;  // max_stored_pairs was exceeded: vectors computed twice
  std::vector<RuleStats> rules;
  std::uint64_t candidate_pairs = 0;
  double compare_seconds = 0;      // wall time of blocking + comparison vectors
  double compare_cpu_seconds = 0;  // CPU time (all threads) of the same stage
  double train_seconds = 0;
  double total_seconds = 0;
  std::vector<ScoredPair> matches;   // ≥ match threshold
  std::vector<ScoredPair> review;    // in the review band, and pairs above it stopped by an exclusion rule
  std::uint64_t excluded_pairs = 0;  // pairs above the match threshold stopped by an exclusion rule
  Clustering clustering;
};

// Runs the engine. When `model` is given it is used as is (its comparisons replace spec.comparisons);
// otherwise a model is trained on the data. Errors: kInvalidArgument for an unusable spec (no
// comparisons, more than kMaxComparisons, no blocking rule), kFailedPrecondition for fewer than 2 records.
Result<EngineResult> RunEngine(const RecordStore& store, const ModelSpec& spec, const std::optional<Model>& model,
                               const EngineOptions& options);

}  // namespace sanad::linkage
