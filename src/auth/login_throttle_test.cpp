#include "auth/login_throttle.h"

#include <gtest/gtest.h>

namespace sanad::auth {
namespace {

using namespace std::chrono_literals;

TEST(LoginThrottle, LetsFiveFailuresThroughThenLocksTheAccountWithBackoff) {
  ManualClock clock(TimePoint{} + 1000h);
  LoginThrottle t(clock);
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(t.RetryAfter("amina", "10.0.0.1"));
    t.RecordFailure("amina", "10.0.0.1");
  }
  EXPECT_FALSE(t.RetryAfter("amina", "10.0.0.1"));
  t.RecordFailure("amina", "10.0.0.1");
  EXPECT_EQ(t.RetryAfter("amina", "10.0.0.2"), 30);  // the lock follows the account, not the address
  clock.Advance(31s);
  EXPECT_FALSE(t.RetryAfter("amina", "10.0.0.1"));
  t.RecordFailure("amina", "10.0.0.1");
  EXPECT_EQ(t.RetryAfter("amina", "10.0.0.1"), 60);  // doubled
  t.RecordSuccess("amina");
  EXPECT_FALSE(t.RetryAfter("amina", "10.0.0.1"));
}

TEST(LoginThrottle, BlocksAnAddressSprayingManyAccounts) {
  ManualClock clock(TimePoint{} + 1000h);
  LoginThrottle t(clock);
  for (int i = 0; i < 30; ++i) t.RecordFailure("user" + std::to_string(i), "10.0.0.9");
  auto wait = t.RetryAfter("someone_else", "10.0.0.9");
  ASSERT_TRUE(wait);
  EXPECT_GT(*wait, 0);
  EXPECT_FALSE(t.RetryAfter("someone_else", "10.0.0.10"));
  clock.Advance(601s);
  EXPECT_FALSE(t.RetryAfter("someone_else", "10.0.0.9"));
}

}  // namespace
}  // namespace sanad::auth
