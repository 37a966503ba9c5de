// Slows password guessing (OWASP Authentication Cheat Sheet: "protect against automated attacks" with
// throttling that does not let an attacker lock the owner out). Three counters per attempt, shared by
// every app server through the login_throttle table (ThrottleStore):
//
// - (account, address) pair: 5 free failures, then a delay of 30 s doubling up to 15 min. Only this
//   pair waits; the owner signing in from elsewhere is not refused.
// - account: after 10 failures from any addresses, each further failure makes its own pair wait
//   (60 s doubling with the account's failures, up to 15 min), so a guesser spread over many addresses
//   gets one guess per address per delay. An address that has not been failing is never refused.
// - address: after 30 failures across accounts, the address waits 2 s doubling up to 60 s between
//   attempts, except for accounts that signed in successfully from it (a shared office address keeps
//   working for its users). Other addresses are not affected.
//
// Every attempt is counted as a failure BEFORE the password is checked, in the transaction that decides
// whether the check may run; a success then gives the count back. N parallel guesses therefore get at
// most the free number of checks. This file is the policy, pure functions over the three rows.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/time.h"

namespace sanad::auth {

struct ThrottlePolicy {
  int pair_free_failures = 5;
  std::chrono::seconds pair_first_delay{30};
  int account_free_failures = 10;
  std::chrono::seconds account_first_delay{60};
  int address_free_failures = 30;
  std::chrono::seconds address_first_delay{2};
  std::chrono::seconds address_max_delay{60};
  std::chrono::seconds max_delay{15 * 60};
  std::chrono::seconds reset_after{60 * 60};               // failures forgotten after this long without one
  std::chrono::seconds known_pair_memory{30 * 24 * 3600};  // a success keeps its address "known" this long
  std::chrono::seconds sweep_interval{5 * 60};             // how often a server deletes idle rows
};

// One row of login_throttle. Timestamps are FormatTimestamp text; '' means never.
struct ThrottleRow {
  long long failures = 0;
  long long refused = 0;
  std::string blocked_until;
  std::string last_failure_at;
  std::string last_success_at;
};

struct ThrottleRows {
  ThrottleRow account;
  ThrottleRow address;
  ThrottleRow pair;
};

// Lock events an admitted attempt causes when its password turns out wrong (audited then).
struct LockEvents {
  bool pair_locked = false;      // the pair crossed its free failures
  bool account_guarded = false;  // the account crossed its free failures
  bool address_slowed = false;   // the address crossed its free failures
};

struct Admission {
  bool admitted = false;
  int retry_after_seconds = 0;  // when refused
  LockEvents events;            // when admitted
  ThrottleRows before;          // the rows as read, to give an admitted attempt back on success
};

// Decides on an attempt at `now` and updates `rows` in place: an admitted attempt is pre-counted as a
// failure (with the delays it would cause), a refused one is counted in `refused`.
Admission AdmitAttempt(const ThrottlePolicy& policy, TimePoint now, ThrottleRows& rows);

// Gives an admitted attempt back after a correct password: the pair is reset and remembered as known,
// the account and address lose the pre-counted failure and any delay it alone caused.
void RecordSuccess(const ThrottlePolicy& policy, TimePoint now, const Admission& admission, ThrottleRows& rows);

}  // namespace sanad::auth
