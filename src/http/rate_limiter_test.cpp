// The per-address token bucket: the burst, the refill rate, addresses counted apart, and the table of
// addresses kept bounded.
#include "http/rate_limiter.h"

#include <gtest/gtest.h>

namespace sanad::http {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, BurstThenOneTokenPerPeriod) {
  RateLimiter limit(/*per_minute=*/30, /*burst=*/3);
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limit.Take("10.0.0.1", t0)) << i;
  auto wait = limit.Take("10.0.0.1", t0);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 2);                                // 30 a minute: one token every 2 s
  EXPECT_FALSE(limit.Take("10.0.0.2", t0));           // another address has its own bucket
  EXPECT_TRUE(limit.Take("10.0.0.1", t0 + 1s));       // half a token
  EXPECT_FALSE(limit.Take("10.0.0.1", t0 + 2100ms));  // one token back
  EXPECT_TRUE(limit.Take("10.0.0.1", t0 + 2100ms));
  // Idle for long, the bucket refills only up to the burst.
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limit.Take("10.0.0.1", t0 + 1h)) << i;
  EXPECT_TRUE(limit.Take("10.0.0.1", t0 + 1h));
}

TEST(RateLimiter, ForgetsIdleAddressesToStayBounded) {
  RateLimiter limit(60, 2, /*max_addresses=*/64);
  const auto t0 = RateLimiter::Clock::now();
  // An address that spent its burst is still remembered while the table has room...
  EXPECT_FALSE(limit.Take("busy", t0));
  EXPECT_FALSE(limit.Take("busy", t0));
  EXPECT_TRUE(limit.Take("busy", t0));
  // ...and a flood of new addresses never grows the table without bound (no crash, each answered).
  for (int i = 0; i < 100000; ++i) EXPECT_FALSE(limit.Take("a" + std::to_string(i), t0 + 1ms));
}

}  // namespace
}  // namespace sanad::http
