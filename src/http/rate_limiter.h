// Per-address request limits for public routes that cost the server work and need no account (the
// programme simulator): a token bucket per client address, refilled continuously. A request over the
// limit answers 429 with Retry-After. The limit is per server process (each app server of a cluster
// counts its own requests): it protects the server's CPU, it is not an account quota.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace sanad::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // `per_minute` requests a minute on average, up to `burst` at once. At most `max_addresses` buckets
  // are kept: past that, buckets that have refilled (idle clients) are dropped first, then all.
  RateLimiter(double per_minute, double burst, std::size_t max_addresses = 100'000);

  // nullopt: allowed (a token is taken). Otherwise the whole seconds to wait before the next one.
  std::optional<int> Take(const std::string& address, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 8;
  double TokensAt(const Bucket& b, Clock::time_point now) const;

  double per_second_;
  double burst_;
  std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace sanad::http
