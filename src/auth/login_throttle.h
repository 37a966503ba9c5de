// Slows password guessing: per account (consecutive failures) and per client address (failures in a
// sliding window). In memory, per server process: a guesser spread over N servers gets N× the budget,
// which the per-account lock-out still bounds (docs/decisions/0003-login-throttling.md).
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace sanad::auth {

struct ThrottlePolicy {
  int free_account_failures = 5;                      // then the account waits, doubling each time
  std::chrono::seconds first_lockout{30};
  std::chrono::seconds max_lockout{15 * 60};
  int address_failures_per_window = 30;
  std::chrono::seconds address_window{10 * 60};
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottlePolicy policy = {}) : clock_(clock), policy_(policy) {}

  // Seconds to wait before this attempt may be made, or nullopt when it may proceed.
  std::optional<int> RetryAfter(const std::string& username, const std::string& address);
  void RecordFailure(const std::string& username, const std::string& address);
  void RecordSuccess(const std::string& username);

 private:
  struct AccountState {
    int failures = 0;
    TimePoint locked_until{};
  };
  const Clock& clock_;
  ThrottlePolicy policy_;
  std::mutex mu_;
  std::unordered_map<std::string, AccountState> accounts_;
  std::unordered_map<std::string, std::deque<TimePoint>> addresses_;
};

}  // namespace sanad::auth
