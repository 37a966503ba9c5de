#include "auth/login_throttle.h"

#include <algorithm>

namespace sanad::auth {

namespace {

// first × 2^(excess), capped; excess counts failures beyond the free ones (0 for the first).
std::chrono::seconds Backoff(std::chrono::seconds first, long long excess, std::chrono::seconds cap) {
  const long long doublings = std::clamp<long long>(excess, 0, 30);
  const long long s = first.count() * (1LL << std::min<long long>(doublings, 20));
  return std::min(std::chrono::seconds(s), cap);
}

int SecondsUntil(const std::string& until, TimePoint now) {
  auto t = ParseTimestamp(until);
  if (!t || *t <= now) return 0;
  return static_cast<int>(std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(*t - now).count()));
}

// Failures are forgotten once none happened for `reset_after` and no delay is running.
void ForgetStale(ThrottleRow& r, const ThrottlePolicy& p, TimePoint now, const std::string& now_text) {
  if (r.failures == 0 || r.last_failure_at.empty()) return;
  auto last = ParseTimestamp(r.last_failure_at);
  if (last && *last + p.reset_after <= now && r.blocked_until <= now_text) {
    r.failures = 0;
    r.blocked_until.clear();
  }
}

std::string Later(const std::string& a, const std::string& b) { return std::max(a, b); }

}  // namespace

Admission AdmitAttempt(const ThrottlePolicy& p, TimePoint now, ThrottleRows& rows) {
  const std::string now_text = FormatTimestamp(now);
  for (ThrottleRow* r : {&rows.account, &rows.address, &rows.pair}) ForgetStale(*r, p, now, now_text);
  Admission out;
  out.before = rows;
  bool known_pair = false;
  if (auto last = ParseTimestamp(rows.pair.last_success_at)) known_pair = *last + p.known_pair_memory > now;

  int wait = SecondsUntil(rows.pair.blocked_until, now);
  if (!known_pair) wait = std::max(wait, SecondsUntil(rows.address.blocked_until, now));
  if (wait > 0) {
    ++rows.pair.refused;
    ++rows.address.refused;
    ++rows.account.refused;
    out.retry_after_seconds = wait;
    return out;
  }

  out.admitted = true;
  for (ThrottleRow* r : {&rows.account, &rows.address, &rows.pair}) {
    ++r->failures;
    r->last_failure_at = now_text;
  }
  if (rows.pair.failures >= p.pair_free_failures) {
    auto d = Backoff(p.pair_first_delay, rows.pair.failures - p.pair_free_failures, p.max_delay);
    rows.pair.blocked_until = Later(rows.pair.blocked_until, FormatTimestamp(now + d));
    out.events.pair_locked = rows.pair.failures == p.pair_free_failures;
  }
  if (rows.account.failures > p.account_free_failures) {
    auto d = Backoff(p.account_first_delay, rows.account.failures - p.account_free_failures - 1, p.max_delay);
    rows.pair.blocked_until = Later(rows.pair.blocked_until, FormatTimestamp(now + d));
    out.events.account_guarded = rows.account.failures == p.account_free_failures + 1;
  }
  if (rows.address.failures >= p.address_free_failures) {
    auto d = Backoff(p.address_first_delay, rows.address.failures - p.address_free_failures, p.address_max_delay);
    rows.address.blocked_until = Later(rows.address.blocked_until, FormatTimestamp(now + d));
    out.events.address_slowed = rows.address.failures == p.address_free_failures;
  }
  return out;
}

void RecordSuccess(const ThrottlePolicy&, TimePoint now, const Admission& a, ThrottleRows& rows) {
  rows.pair.failures = 0;
  rows.pair.blocked_until.clear();
  rows.pair.last_success_at = FormatTimestamp(now);
  for (auto [row, before] :
       {std::pair{&rows.account, &a.before.account}, std::pair{&rows.address, &a.before.address}}) {
    row->failures = std::max<long long>(0, row->failures - 1);
    // Undo a delay only when no other attempt moved it since this one was admitted.
    if (row->blocked_until > before->blocked_until && row->failures < before->failures + 1) {
      row->blocked_until = before->blocked_until;
    }
  }
}

}  // namespace sanad::auth
