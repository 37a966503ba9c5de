// Random numbers and discrete sampling for the synthetic generator: xoshiro256** seeded through
// splitmix64, an alias table and welfare-dependent categorical tables. Every distribution is written out
// so that results do not depend on the standard library (part of the determinism contract).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace sanad::synth::internal {

// Random numbers: xoshiro256** (Blackman & Vigna, public domain) seeded through splitmix64. Every
// distribution below is written out so that results do not depend on the standard library.

inline std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) word = SplitMix64(seed);
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  std::uint32_t Below(std::uint32_t n) { return static_cast<std::uint32_t>(((Next() >> 32) * n) >> 32); }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<std::uint32_t>(hi - lo + 1))); }
  bool Chance(double p) { return Uniform() < p; }
  double Normal() {  // Box–Muller, both values used
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    const double u2 = Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2 * std::numbers::pi * u2);
    has_spare_ = true;
    return r * std::cos(2 * std::numbers::pi * u2);
  }
  int Poisson(double lambda) {  // Knuth, fine for the small means used here
    const double limit = std::exp(-lambda);
    int k = 0;
    for (double p = Uniform(); p > limit; p *= Uniform()) ++k;
    return k;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

inline double Logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline double Logit(double p) { return std::log(p / (1 - p)); }

// Walker/Vose alias table: O(1) sampling from a discrete distribution.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights) {
    const std::size_t n = weights.size();
    prob_.assign(n, 0);
    alias_.assign(n, 0);
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto i : large) prob_[i] = 1;
    for (auto i : small) prob_[i] = 1;
  }
  std::uint32_t Sample(Rng& rng) const {
    const std::uint32_t i = rng.Below(static_cast<std::uint32_t>(prob_.size()));
    return rng.Uniform() < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

// A categorical variable whose probabilities shift with standardised household welfare z:
// P(i | setting, z) ∝ weight_setting(i) · exp(slope(i) · z). Tabulated on kBins bins of z ∈ [-3, 3].
struct Choice {
  double urban = 0;
  double rural = 0;
  double slope = 0;
};

class WelfareTable {
 public:
  static constexpr int kBins = 48;
  WelfareTable() = default;
  explicit WelfareTable(std::span<const Choice> choices) : n_(choices.size()) {
    cumulative_.resize(2 * kBins * n_);
    for (int urban = 0; urban < 2; ++urban) {
      for (int b = 0; b < kBins; ++b) {
        const double z = -3.0 + 6.0 * (b + 0.5) / kBins;
        double total = 0;
        double* row = &cumulative_[(urban * kBins + b) * n_];
        for (std::size_t i = 0; i < n_; ++i) {
          total += (urban ? choices[i].urban : choices[i].rural) * std::exp(choices[i].slope * z);
          row[i] = total;
        }
        for (std::size_t i = 0; i < n_; ++i) row[i] /= total;
      }
    }
  }
  std::uint8_t Sample(bool urban, double z, Rng& rng) const {
    const int b = std::clamp(static_cast<int>((z + 3.0) / 6.0 * kBins), 0, kBins - 1);
    const double* row = &cumulative_[((urban ? 1 : 0) * kBins + b) * n_];
    const double u = rng.Uniform();
    std::size_t i = 0;
    while (i + 1 < n_ && u >= row[i]) ++i;
    return static_cast<std::uint8_t>(i);
  }

 private:
  std::size_t n_ = 0;
  std::vector<double> cumulative_;
};

}  // namespace sanad::synth::internal
