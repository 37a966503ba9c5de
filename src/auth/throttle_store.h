// SQL for the login_throttle table: the three counters of one attempt read, changed and written in one
// transaction with the rows locked (PostgreSQL: SELECT … FOR UPDATE in a fixed order; SQLite: the
// write lock BEGIN IMMEDIATE takes), so that concurrent attempts on any number of app servers see each
// other's counts. No policy here: that lives in login_throttle.h.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "auth/login_throttle.h"
#include "core/error.h"
#include "db/database.h"

namespace sanad::auth {

struct ThrottleSweep {
  long long rows = 0;
  long long failures = 0;  // summed over the deleted address rows (each failure counted once)
  long long refused = 0;
  long long addresses = 0;
  long long accounts = 0;
  std::vector<std::pair<std::string, long long>> top_addresses;  // most failures + refusals first, ≤ 10
};

class ThrottleStore {
 public:
  explicit ThrottleStore(db::Database& db) : db_(db) {}

  // Creates the rows of (username, ip) when missing, locks them, lets `change` modify them and writes
  // them back, all in one transaction. Returns what `change` returned.
  Result<Admission> Update(const std::string& username, const std::string& ip, const std::string& now,
                           const std::function<Admission(ThrottleRows&)>& change);

  // Deletes rows without activity since `idle_before`, whose delay is over at `now` and that do not
  // remember a success after `known_after`; returns their totals.
  Result<ThrottleSweep> Sweep(const std::string& now, const std::string& idle_before, const std::string& known_after);

  // The row of one subject (tests and operations); nullopt when there is none.
  Result<std::optional<ThrottleRow>> Find(const std::string& scope, const std::string& subject);

  static std::string PairSubject(const std::string& username, const std::string& ip) { return ip + " " + username; }

 private:
  db::Database& db_;
};

}  // namespace sanad::auth
