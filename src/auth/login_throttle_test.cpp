#include "auth/login_throttle.h"

#include <gtest/gtest.h>

namespace sanad::auth {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = TimePoint{} + 1000000h;

// Applies one attempt that turns out wrong.
Admission Fail(const ThrottlePolicy& p, TimePoint now, ThrottleRows& rows) { return AdmitAttempt(p, now, rows); }

TEST(LoginThrottle, AnAttemptIsPreCountedAndAPairWaitsAfterFiveFailuresWithDoublingDelays) {
  ThrottlePolicy p;
  ThrottleRows rows;
  for (int i = 0; i < 4; ++i) {
    auto a = Fail(p, kT0, rows);
    EXPECT_TRUE(a.admitted);
    EXPECT_FALSE(a.events.pair_locked);
  }
  auto fifth = Fail(p, kT0, rows);
  EXPECT_TRUE(fifth.admitted);
  EXPECT_TRUE(fifth.events.pair_locked);
  auto refused = AdmitAttempt(p, kT0, rows);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_seconds, 30);
  EXPECT_EQ(rows.pair.refused, 1);
  EXPECT_EQ(rows.pair.failures, 5) << "a refused attempt is not a failure";
  auto sixth = Fail(p, kT0 + 30s, rows);
  EXPECT_TRUE(sixth.admitted);
  EXPECT_EQ(AdmitAttempt(p, kT0 + 30s, rows).retry_after_seconds, 60);  // doubled
}

TEST(LoginThrottle, ASuccessGivesThePreCountedFailureBackAndRemembersThePair) {
  ThrottlePolicy p;
  ThrottleRows rows;
  for (int i = 0; i < 4; ++i) Fail(p, kT0, rows);
  auto a = AdmitAttempt(p, kT0, rows);  // the fifth attempt: pre-counted, would lock
  ASSERT_TRUE(a.admitted);
  EXPECT_FALSE(rows.pair.blocked_until.empty());
  RecordSuccess(p, kT0, a, rows);
  EXPECT_EQ(rows.pair.failures, 0);
  EXPECT_TRUE(rows.pair.blocked_until.empty());
  EXPECT_EQ(rows.account.failures, 4);
  EXPECT_FALSE(rows.pair.last_success_at.empty());
}

TEST(LoginThrottle, AnAddressPastItsFreeFailuresWaitsSecondsNotMinutesExceptForKnownAccounts) {
  ThrottlePolicy p;
  ThrottleRows address_only;  // a fresh pair and account each time, one address
  for (int i = 0; i < 30; ++i) {
    ThrottleRows r;
    r.address = address_only.address;
    Fail(p, kT0, r);
    address_only.address = r.address;
  }
  ThrottleRows fresh;
  fresh.address = address_only.address;
  auto a = AdmitAttempt(p, kT0, fresh);
  EXPECT_FALSE(a.admitted);
  EXPECT_EQ(a.retry_after_seconds, 2);
  ThrottleRows known;
  known.address = address_only.address;
  known.pair.last_success_at = FormatTimestamp(kT0 - 24h);
  EXPECT_TRUE(AdmitAttempt(p, kT0, known).admitted);
}

TEST(LoginThrottle, FailuresAreForgottenAfterAnHourWithoutOne) {
  ThrottlePolicy p;
  ThrottleRows rows;
  for (int i = 0; i < 4; ++i) Fail(p, kT0, rows);
  auto later = Fail(p, kT0 + 61min, rows);
  EXPECT_TRUE(later.admitted);
  EXPECT_EQ(rows.pair.failures, 1);
}

}  // namespace
}  // namespace sanad::auth
