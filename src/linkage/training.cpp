#include "linkage/training.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <unordered_map>

namespace sanad::linkage {
namespace {

std::uint64_t TotalPairs(const RecordStore& store, LinkType type) {
  const std::uint64_t n = store.size();
  std::uint64_t total = n * (n - 1) / 2;
  if (type == LinkType::kLinkOnly) {
    std::vector<std::uint64_t> per(256, 0);
    for (std::size_t r = 0; r < n; ++r) ++per[store.Source(r)];
    for (auto k : per) total -= k * (k - 1) / 2;
  }
  return total;
}

bool Reads(const ComparisonSpec& s, const KeyPart& p) {
  const bool date_part = p.kind == KeyPartKind::kBirthDate || p.kind == KeyPartKind::kBirthYear ||
                         p.kind == KeyPartKind::kBirthMonthDay || p.kind == KeyPartKind::kBirthDecade;
  if (s.kind == CompareKind::kDate) return date_part;
  if (date_part) return false;
  const int c = static_cast<int>(p.col);
  if (s.kind == CompareKind::kName) return c >= static_cast<int>(s.col) && c <= static_cast<int>(s.col) + 2;
  if (s.kind == CompareKind::kCommune) return p.col == Col::kCommune || p.col == Col::kProvince;
  return p.col == s.col;
}

}  // namespace

std::vector<bool> ComparisonsUsedBy(const ModelSpec& spec, const BlockingRule& rule) {
  std::vector<bool> used(spec.comparisons.size(), false);
  for (std::size_t c = 0; c < spec.comparisons.size(); ++c)
    for (const auto& p : rule.parts) used[c] = used[c] || Reads(spec.comparisons[c], p);
  return used;
}

void EstimateLambda(Model& model, const RecordStore& store, const ModelSpec& spec, int threads,
                    TrainingReport& report) {
  report.total_pairs = TotalPairs(store, spec.link_type);
  if (spec.deterministic.empty() || report.total_pairs == 0) return;
  std::vector<std::vector<std::uint64_t>> keys;
  for (const auto& r : spec.deterministic) keys.push_back(BlockKeys(store, r, threads));
  std::uint64_t count = 0;
  BlockingOptions opt;
  opt.link_type = spec.link_type;
  opt.threads = 1;  // counting only; the visitor is trivial
  opt.max_block_size = ~0ULL;
  for (std::size_t r = 0; r < keys.size(); ++r) {
    count += EnumerateRule(store, keys, r, opt, [](int, std::uint32_t, std::uint32_t) {}).pairs;
  }
  report.deterministic_pairs = count;
  const double est = std::max(1.0, static_cast<double>(count) / std::max(0.05, spec.deterministic_recall));
  model.set_lambda(std::min(0.5, est / static_cast<double>(report.total_pairs)));
  model.Finalize();
}

void EstimateU(Model& model, const RecordStore& store, const ModelSpec& spec, std::uint64_t sample, std::uint64_t seed,
               int threads, TrainingReport& report) {
  const std::size_t n = store.size();
  if (n < 2) return;
  const auto& specs = model.comparisons();
  threads = std::max(1, threads);
  // Per-thread histograms of levels, merged after.
  std::vector<std::vector<std::vector<std::uint64_t>>> hist(static_cast<std::size_t>(threads));
  for (auto& h : hist) {
    h.resize(specs.size());
    for (std::size_t c = 0; c < specs.size(); ++c)
      h[c].assign(static_cast<std::size_t>(LevelCount(specs[c].kind)) + 1, 0);
  }
  ParallelFor(sample, threads, [&](int w, std::size_t b, std::size_t e) {
    std::mt19937_64 rng(seed * 7919 + static_cast<std::uint64_t>(w));
    std::uniform_int_distribution<std::size_t> pick(0, n - 1);
    auto& h = hist[static_cast<std::size_t>(w)];
    for (std::size_t i = b; i < e; ++i) {
      std::size_t x = pick(rng), y = pick(rng);
      for (int tries = 0;
           (x == y || (spec.link_type == LinkType::kLinkOnly && store.Source(x) == store.Source(y))) && tries < 64;
           ++tries)
        y = pick(rng);
      if (x == y) continue;
      const std::uint32_t g = ComputeGamma(store, specs, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y));
      for (std::size_t c = 0; c < specs.size(); ++c) ++h[c][static_cast<std::size_t>(LevelOf(g, c))];
    }
  });
  report.u_sample = sample;
  for (std::size_t c = 0; c < specs.size(); ++c) {
    const int levels = LevelCount(specs[c].kind);
    std::vector<double> cnt(static_cast<std::size_t>(levels) + 1, 0.0);
    for (const auto& h : hist)
      for (int l = 1; l <= levels; ++l)
        cnt[static_cast<std::size_t>(l)] += static_cast<double>(h[c][static_cast<std::size_t>(l)]);
    double total = 0;
    for (int l = 1; l <= levels; ++l) total += cnt[static_cast<std::size_t>(l)];
    if (total == 0) continue;  // column empty everywhere: keep the uniform default
    for (int l = 1; l <= levels; ++l) {
      // A level never seen among random pairs gets half a count: finite, and very rare.
      model.set_u(c, l, std::max(cnt[static_cast<std::size_t>(l)], 0.5) / total);
    }
  }
  model.Finalize();
}

std::vector<PatternCounts> PatternsFromPairs(const RecordStore& store, const ModelSpec& spec, const PairChunks& pairs,
                                             int threads) {
  std::vector<PatternCounts> out;
  for (const auto& rule : spec.training) {
    const auto keys = BlockKeys(store, rule, threads);
    PatternCounts counts;
    for (const auto& chunk : pairs)
      chunk.ForEach([&](const CandidatePair& p) {
        if (keys[p.a] != 0 && keys[p.a] == keys[p.b]) counts[p.gamma] += 1.0;
      });
    out.push_back(std::move(counts));
  }
  return out;
}

std::vector<PatternCounts> PatternsByEnumeration(const RecordStore& store, const ModelSpec& spec,
                                                 const std::vector<ComparisonSpec>& comparisons, int threads,
                                                 std::uint64_t max_block_size) {
  std::vector<PatternCounts> out;
  threads = std::max(1, threads);
  for (const auto& rule : spec.training) {
    std::vector<std::vector<std::uint64_t>> keys = {BlockKeys(store, rule, threads)};
    std::vector<PatternCounts> local(static_cast<std::size_t>(threads));
    BlockingOptions o;
    o.link_type = spec.link_type;
    o.threads = threads;
    o.max_block_size = max_block_size;
    EnumerateRule(store, keys, 0, o, [&](int w, std::uint32_t a, std::uint32_t b) {
      local[static_cast<std::size_t>(w)][ComputeGamma(store, comparisons, a, b)] += 1.0;
    });
    PatternCounts counts;
    for (auto& l : local)
      for (auto& [g, n] : l) counts[g] += n;
    out.push_back(std::move(counts));
  }
  return out;
}

void EstimateM(Model& model, const ModelSpec& spec, const std::vector<PatternCounts>& rule_patterns,
               TrainingReport& report) {
  const auto& specs = model.comparisons();
  const std::size_t nc = specs.size();
  std::vector<std::vector<double>> m_sum(nc), m_new;
  std::vector<int> m_passes(nc, 0);
  for (std::size_t c = 0; c < nc; ++c) m_sum[c].assign(static_cast<std::size_t>(LevelCount(specs[c].kind)) + 1, 0.0);

  for (std::size_t t = 0; t < spec.training.size() && t < rule_patterns.size(); ++t) {
    const auto& rule = spec.training[t];
    EmPass pass;
    pass.rule = rule.name;
    const auto used = ComparisonsUsedBy(spec, rule);
    // Patterns with the blocked comparisons masked out: EM runs on a few thousand distinct patterns
    // instead of millions of pairs.
    std::uint32_t mask = 0;
    for (std::size_t c = 0; c < nc; ++c)
      if (!used[c]) mask |= 7u << (kBitsPerComparison * c);
    std::unordered_map<std::uint32_t, double> patterns;
    for (const auto& [g, n] : rule_patterns[t]) {
      patterns[g & mask] += n;
      pass.pairs += static_cast<std::uint64_t>(n);
    }
    if (pass.pairs < 10) {
      report.passes.push_back(pass);
      continue;
    }
    std::vector<std::uint32_t> g;
    std::vector<double> count;
    for (auto& [k, v] : patterns) {
      g.push_back(k);
      count.push_back(v);
    }
    // Start from the model's current m; λ in the block starts at one half.
    std::vector<std::vector<double>> m(nc);
    for (std::size_t c = 0; c < nc; ++c) {
      m[c].assign(static_cast<std::size_t>(LevelCount(specs[c].kind)) + 1, 0.0);
      for (int l = 1; l <= LevelCount(specs[c].kind); ++l) m[c][static_cast<std::size_t>(l)] = model.m(c, l);
    }
    double lambda = 0.5;
    for (int it = 0; it < 50; ++it) {
      std::vector<std::vector<double>> acc(nc);
      for (std::size_t c = 0; c < nc; ++c) acc[c].assign(m[c].size(), 0.0);
      double matched = 0, total = 0;
      for (std::size_t i = 0; i < g.size(); ++i) {
        double lm = std::log(lambda), lu = std::log(1 - lambda);
        for (std::size_t c = 0; c < nc; ++c) {
          if (used[c]) continue;
          const int lv = LevelOf(g[i], c);
          if (lv == 0) continue;
          lm += std::log(std::max(m[c][static_cast<std::size_t>(lv)], 1e-12));
          lu += std::log(std::max(model.u(c, lv), 1e-12));
        }
        const double p = 1.0 / (1.0 + std::exp(lu - lm));  // P(match | γ)
        matched += p * count[i];
        total += count[i];
        for (std::size_t c = 0; c < nc; ++c) {
          const int lv = LevelOf(g[i], c);
          if (!used[c] && lv != 0) acc[c][static_cast<std::size_t>(lv)] += p * count[i];
        }
      }
      double change = std::abs(matched / total - lambda);
      lambda = std::clamp(matched / total, 1e-9, 1 - 1e-9);
      for (std::size_t c = 0; c < nc; ++c) {
        if (used[c]) continue;
        double s = 0;
        for (double v : acc[c]) s += v;
        if (s <= 0) continue;
        for (std::size_t l = 1; l < m[c].size(); ++l) {
          const double nv = std::max(acc[c][l] / s, 1e-6);
          change = std::max(change, std::abs(nv - m[c][l]));
          m[c][l] = nv;
        }
      }
      pass.iterations = it + 1;
      if (change < 1e-5) break;
    }
    pass.lambda_in_block = lambda;
    for (std::size_t c = 0; c < nc; ++c) {
      if (used[c]) continue;
      pass.estimated.push_back(specs[c].name);
      for (std::size_t l = 1; l < m[c].size(); ++l) m_sum[c][l] += m[c][l];
      ++m_passes[c];
    }
    report.passes.push_back(pass);
  }
  for (std::size_t c = 0; c < nc; ++c) {
    if (m_passes[c] == 0) continue;  // never estimated: keep the starting values
    for (int l = 1; l <= LevelCount(specs[c].kind); ++l)
      model.set_m(c, l, m_sum[c][static_cast<std::size_t>(l)] / m_passes[c]);
  }
  model.Finalize();
}

}  // namespace sanad::linkage
