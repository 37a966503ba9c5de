#include "auth/login_throttle.h"

#include <algorithm>

namespace sanad::auth {

std::optional<int> LoginThrottle::RetryAfter(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.Now();
  int wait = 0;
  if (auto it = accounts_.find(username); it != accounts_.end() && it->second.locked_until > now) {
    wait = std::max<int>(wait, std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now).count());
  }
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    auto& q = it->second;
    while (!q.empty() && q.front() + policy_.address_window <= now) q.pop_front();
    if (static_cast<int>(q.size()) >= policy_.address_failures_per_window) {
      wait = std::max<int>(wait, std::chrono::ceil<std::chrono::seconds>(q.front() + policy_.address_window - now).count());
    }
  }
  if (wait > 0) return wait;
  return std::nullopt;
}

void LoginThrottle::RecordFailure(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.Now();
  auto& a = accounts_[username];
  ++a.failures;
  if (a.failures >= policy_.free_account_failures) {
    int doublings = std::min(a.failures - policy_.free_account_failures, 20);
    auto lock_for = std::min<std::chrono::seconds>(policy_.first_lockout * (1LL << doublings), policy_.max_lockout);
    a.locked_until = now + lock_for;
  }
  addresses_[address].push_back(now);
  // Bound memory under a spray of random usernames: forget idle accounts once the map grows large.
  if (accounts_.size() > 100000) {
    std::erase_if(accounts_, [&](const auto& kv) { return kv.second.locked_until <= now; });
  }
}

void LoginThrottle::RecordSuccess(const std::string& username) {
  std::lock_guard lock(mu_);
  accounts_.erase(username);
}

}  // namespace sanad::auth
