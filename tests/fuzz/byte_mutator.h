// The random source and the byte-level mutations the bounded fuzzers share: flip a bit, insert a token
// of the format under test, cut a run, truncate, copy a run of the input into itself, overwrite a byte.
// Each fuzzer brings its own tokens (XML and CSV pieces, rule-language operators…).
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace sanad::fuzz {

class ByteMutator {
 public:
  explicit ByteMutator(std::uint64_t seed) : rng_(seed) {}

  std::size_t Below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool Chance(int percent) { return static_cast<int>(Below(100)) < percent; }

  // One to four mutations of `s`; `max_cut` and `max_copy` bound the runs cut and copied.
  std::string Mutate(std::string s, std::span<const std::string_view> tokens, std::size_t max_cut = 64,
                     std::size_t max_copy = 128) {
    const int n = 1 + static_cast<int>(Below(4));
    for (int i = 0; i < n; ++i) {
      const std::size_t at = Below(s.size() + 1);
      switch (Below(6)) {
        case 0:
          if (!s.empty()) s[Below(s.size())] ^= static_cast<char>(1 << Below(8));
          break;
        case 1:
          if (!tokens.empty()) s.insert(at, tokens[Below(tokens.size())]);
          break;
        case 2:
          s.erase(at, Below(max_cut));
          break;
        case 3:
          s.resize(Below(s.size() + 1));
          break;
        case 4:
          if (!s.empty()) s.insert(at, s.substr(Below(s.size()), Below(max_copy)));
          break;
        default:
          if (!s.empty()) s[Below(s.size())] = static_cast<char>(Below(256));
      }
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace sanad::fuzz
