#include "linkage/engine.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sanad::linkage {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU seconds used by this process (all threads): per-core rates measured on CPU time stay meaningful
// on a machine shared with other jobs, where wall time is not.
double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Reports progress from a side thread so that workers never block on output.
class Monitor {
 public:
  Monitor(const std::function<void(const Progress&)>& fn, std::atomic<std::uint64_t>& pairs, Clock::time_point start)
      : fn_(fn), pairs_(pairs), start_(start) {
    if (fn_) thread_ = std::jthread([this](const std::stop_token& st) { Loop(st); });
  }
  ~Monitor() {
    if (thread_.joinable()) {
      thread_.request_stop();
      cv_.notify_all();
    }
  }
  void Stage(std::string s) {
    if (!fn_) return;
    std::lock_guard lock(mu_);
    stage_ = std::move(s);
    fn_(Progress{stage_, pairs_.load(), Since(start_)});
  }

 private:
  void Loop(const std::stop_token& st) {
    std::unique_lock lock(mu_);
    while (!st.stop_requested()) {
      cv_.wait_for(lock, std::chrono::milliseconds(250));
      if (st.stop_requested()) break;
      fn_(Progress{stage_, pairs_.load(), Since(start_)});
    }
  }
  const std::function<void(const Progress&)>& fn_;
  std::atomic<std::uint64_t>& pairs_;
  Clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string stage_;
  std::jthread thread_;
};

}  // namespace

Result<EngineResult> RunEngine(const RecordStore& store, const ModelSpec& spec, const std::optional<Model>& given,
                               const EngineOptions& options) {
  const auto start = Clock::now();
  const auto& comparisons = given ? given->comparisons() : spec.comparisons;
  if (comparisons.empty())
    return FailWith(Code::kInvalidArgument, "linkage.no_comparison", "no comparison applies to the input columns",
                    "comparisons");
  if (comparisons.size() > static_cast<std::size_t>(kMaxComparisons))
    return WithText(Failure(Code::kInvalidArgument, "linkage.too_many_comparisons",
                            {{"max", std::to_string(kMaxComparisons)}}, "comparisons"),
                    fmt::format("at most {} comparisons", kMaxComparisons));
  if (spec.blocking.empty())
    return FailWith(Code::kInvalidArgument, "linkage.no_blocking_rule", "no blocking rule applies to the input columns",
                    "blocking");
  if (store.size() < 2)
    return FailWith(Code::kFailedPrecondition, "linkage.too_few_records", "at least two records are needed", "input");
  const int threads = std::max(1, options.threads);

  EngineResult result;
  std::atomic<std::uint64_t> pairs_done{0};
  Monitor monitor(options.progress, pairs_done, start);

  // Exclusion rules resolved to (comparison index, level) clauses of the comparisons in use.
  struct Clause {
    std::size_t c;
    int level;
    bool or_null;
  };
  std::vector<std::vector<Clause>> exclusions;
  for (const auto& ex : spec.exclusions) {
    std::vector<Clause> clauses;
    bool usable = true;
    for (const auto& cl : ex.all) {
      bool found = false;
      for (std::size_t c = 0; c < comparisons.size(); ++c)
        if (comparisons[c].name == cl.comparison) {
          clauses.push_back({c, cl.min_level, cl.or_null});
          found = true;
        }
      // A clause on a comparison the model lacks holds only if it accepts nulls (the value is missing).
      usable = usable && (found || cl.or_null);
    }
    if (usable && !clauses.empty()) exclusions.push_back(std::move(clauses));
  }
  auto excluded = [&](std::uint32_t gamma) {
    for (const auto& clauses : exclusions) {
      bool all = true;
      for (const auto& k : clauses) {
        const int lv = LevelOf(gamma, k.c);
        all = all && (lv == 0 ? k.or_null : lv >= k.level);
      }
      if (all) return true;
    }
    return false;
  };

  std::vector<std::vector<ScoredPair>> match_parts(static_cast<std::size_t>(threads)), review_parts(match_parts);
  std::vector<std::uint64_t> excluded_parts(static_cast<std::size_t>(threads), 0);
  double w_match = 0, w_review = 0;
  auto set_thresholds = [&] {
    w_match = Model::WeightOf(options.match_probability);
    w_review = Model::WeightOf(std::min(options.review_probability, options.match_probability));
  };
  auto score = [&](int w, std::uint32_t a, std::uint32_t b, std::uint32_t gamma) {
    const double wt = result.model.Weight(store, gamma, a, b);
    const auto t = static_cast<std::size_t>(w);
    if (wt >= w_match && !exclusions.empty() && excluded(gamma)) {
      ++excluded_parts[t];
      review_parts[t].push_back({a, b, static_cast<float>(wt)});
    } else if (wt >= w_match) {
      match_parts[t].push_back({a, b, static_cast<float>(wt)});
    } else if (wt >= w_review) {
      review_parts[t].push_back({a, b, static_cast<float>(wt)});
    }
  };

  // 1. Blocking and comparison vectors. Each worker appends to its own buffer.
  const double cpu_start = ProcessCpuSeconds();
  std::vector<std::vector<std::uint64_t>> keys;
  keys.reserve(spec.blocking.size());
  for (const auto& r : spec.blocking) keys.push_back(BlockKeys(store, r, threads));
  BlockingOptions bo;
  bo.link_type = spec.link_type;
  bo.threads = threads;
  bo.max_block_size = options.max_block_size;
  bo.progress = &pairs_done;
  auto enumerate_all = [&](const PairVisitor& visit) {
    result.rules.clear();
    result.candidate_pairs = 0;
    for (std::size_t r = 0; r < spec.blocking.size(); ++r) {
      monitor.Stage(fmt::format("blocking {} ({}/{})", spec.blocking[r].name, r + 1, spec.blocking.size()));
      result.rules.push_back(EnumerateRule(store, keys, r, bo, visit, spec.blocking[r].name));
      result.candidate_pairs += result.rules.back().pairs;
    }
  };

  PairChunks pairs(static_cast<std::size_t>(threads));
  bool streamed = false;
  if (given) {
    // A trained model: score while enumerating; nothing but the pairs above the review band is kept.
    result.model = *given;
    set_thresholds();
    enumerate_all(
        [&](int w, std::uint32_t a, std::uint32_t b) { score(w, a, b, ComputeGamma(store, comparisons, a, b)); });
    streamed = true;
  } else {
    // Training needs the comparison vectors of the training rules' pairs: keep every candidate's vector
    // (12 bytes a pair) so that each is computed once, unless that would exceed the memory budget.
    std::atomic<std::uint64_t> stored{0};
    std::atomic<bool> overflow{false};
    const std::uint64_t budget = options.max_stored_pairs;
    enumerate_all([&](int w, std::uint32_t a, std::uint32_t b) {
      if (overflow.load(std::memory_order_relaxed)) return;
      if (stored.fetch_add(1, std::memory_order_relaxed) >= budget) {
        overflow.store(true);
        return;
      }
      pairs[static_cast<std::size_t>(w)].push_back({a, b, ComputeGamma(store, comparisons, a, b)});
    });
    if (overflow.load()) {
      for (auto& p : pairs) p.clear();
      result.pairs_over_budget = true;
    }
  }
  result.compare_seconds = Since(start);
  result.compare_cpu_seconds = ProcessCpuSeconds() - cpu_start;

  // 2. Training.
  const auto train_start = Clock::now();
  if (!given) {
    monitor.Stage("training");
    Model model(spec.comparisons);
    EstimateLambda(model, store, spec, threads, result.training);
    EstimateU(model, store, spec, options.u_sample_pairs, options.seed, threads, result.training);
    const auto patterns = result.pairs_over_budget
                              ? PatternsByEnumeration(store, spec, spec.comparisons, threads, options.max_block_size)
                              : PatternsFromPairs(store, spec, pairs, threads);
    EstimateM(model, spec, patterns, result.training);
    result.model = std::move(model);
    result.trained = true;
  }
  result.train_seconds = Since(train_start);

  // 3. Scoring: weights from the stored vectors, or a second enumeration when they were not kept.
  monitor.Stage("scoring");
  set_thresholds();
  if (!streamed) {
    if (result.pairs_over_budget) {
      enumerate_all(
          [&](int w, std::uint32_t a, std::uint32_t b) { score(w, a, b, ComputeGamma(store, comparisons, a, b)); });
    } else {
      std::vector<std::jthread> pool;
      pool.reserve(static_cast<std::size_t>(threads));
      for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
          pairs[static_cast<std::size_t>(t)].ForEach([&](const CandidatePair& p) { score(t, p.a, p.b, p.gamma); });
        });
    }
  }
  for (auto& p : pairs) p.clear();
  for (auto& v : match_parts) {
    result.matches.insert(result.matches.end(), v.begin(), v.end());
    std::vector<ScoredPair>().swap(v);
  }
  for (auto& v : review_parts) result.review.insert(result.review.end(), v.begin(), v.end());
  for (auto n : excluded_parts) result.excluded_pairs += n;
  keys.clear();

  // 4. Clustering.
  monitor.Stage("clustering");
  ClusterOptions co;
  co.anti_chain_national_id = spec.anti_chain_national_id;
  co.anti_chain_twins = spec.anti_chain_twins;
  co.one_record_per_source = spec.one_record_per_source;
  result.clustering = Cluster(store, result.matches, co);
  result.total_seconds = Since(start);
  monitor.Stage("done");
  return result;
}

}  // namespace sanad::linkage
