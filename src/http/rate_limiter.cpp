#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace sanad::http {

RateLimiter::RateLimiter(double per_minute, double burst, std::size_t max_addresses)
    : per_second_(per_minute / 60.0),
      burst_(std::max(burst, 1.0)),
      max_per_shard_(std::max<std::size_t>(max_addresses / kShards, 1)) {}

double RateLimiter::TokensAt(const Bucket& b, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  return elapsed > 0 ? std::min(burst_, b.tokens + elapsed * per_second_) : b.tokens;
}

std::optional<int> RateLimiter::Take(const std::string& address, Clock::time_point now) {
  Shard& s = shards_[std::hash<std::string>{}(address) % kShards];
  std::lock_guard lock(s.mu);
  auto it = s.buckets.find(address);
  if (it == s.buckets.end()) {
    if (s.buckets.size() >= max_per_shard_) {
      // Bounded memory: a client whose bucket has refilled loses nothing when it is forgotten.
      std::erase_if(s.buckets, [&](const auto& entry) { return TokensAt(entry.second, now) >= burst_; });
      if (s.buckets.size() >= max_per_shard_) s.buckets.clear();
    }
    it = s.buckets.emplace(address, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = TokensAt(b, now);
  b.at = std::max(b.at, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return static_cast<int>(std::ceil((1.0 - b.tokens) / per_second_));
}

}  // namespace sanad::http
