// Storage of the civil registries Sanad takes vital events from, and of every event they notified
// (migrations/0032_crvs.sql). All the SQL of the module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "crvs/subscription.h"
#include "db/database.h"

namespace sanad::crvs {

struct Source {
  std::int64_t id = 0;
  std::string code, name;
  std::optional<std::string> base_url;
  bool auto_approve_exact = false;
  std::string created_at, created_by;
  std::optional<std::string> public_key;  // base64 Ed25519: its notifications' signatures are verified
  bool must_sign = false;                 // an unsigned notification is refused
};

struct StoredEvent {
  std::int64_t id = 0;
  std::string source_code, reference_id, event_type, kind, record, received_at, outcome;
  std::optional<std::string> reason;
  std::optional<std::int64_t> person_id, household_id, change_request_id;
  std::optional<double> match_probability;  // a mother found by record linkage
  std::optional<std::string> candidates;    // JSON [{person_id, probability}] scored for her
};

// What became of an event.
struct EventOutcome {
  std::string outcome;
  std::optional<std::string> reason;
  std::optional<std::int64_t> person_id, household_id, change_request_id;
  std::optional<double> match_probability;
  std::optional<std::string> candidates;
};

struct Subscription {
  std::int64_t id = 0;
  std::string event_type, transaction_id;
  std::optional<std::string> code;
  std::string status, requested_at, updated_at;
};

class CrvsStore {
 public:
  explicit CrvsStore(db::Database& db) : db_(db) {}

  // Errors: kAlreadyExists (code taken).
  Result<Source> AddSource(const Source& s, const std::string& token_hash);
  Result<std::vector<Source>> Sources();
  // The source whose code and token hash are these; nullopt when either is wrong (no telling which).
  Result<std::optional<Source>> Authenticate(const std::string& code, const std::string& token_hash);
  // Errors: kNotFound.
  Result<Source> SetAutoApprove(const std::string& code, bool enabled);

  // Records an event as received; nullopt when the source already notified this reference (a replay).
  Result<std::optional<std::int64_t>> Record(std::int64_t source_id, const std::string& reference_id,
                                             const std::string& event_type, const std::string& kind,
                                             const std::string& record, const std::string& at);
  Status SetOutcome(std::int64_t event_id, const EventOutcome& o);
  // Newest first; `outcome` filters. A reviewer with an area (`area`, on `day`) sees only the events
  // matched to a household of that area; unmatched events (no household) are for national reviewers.
  Result<std::vector<StoredEvent>> Events(const std::optional<std::string>& outcome,
                                          const std::optional<std::string>& area, const std::string& day, int limit,
                                          int offset);

  // Subscriptions: one row per event type of the subscribe transaction `txn`, status requested.
  Status AddSubscriptions(std::int64_t source_id, const std::string& txn, const std::vector<std::string>& event_types,
                          const std::string& now);
  Result<std::vector<Subscription>> Subscriptions(std::int64_t source_id);
  // The registry's answer to `txn`: each granted code goes to the row of its event type (or, unnamed, to
  // the next requested row in order); status subscribed. Returns how many rows `txn` has for the source
  // (0: not a transaction Sanad started — the caller refuses the callback).
  Result<int> Grant(std::int64_t source_id, const std::string& txn, const std::vector<Granted>& granted,
                    const std::string& now);
  // Every row of `txn` still requested becomes `status` (refused: the registry said no).
  Status SetRequested(std::int64_t source_id, const std::string& txn, const std::string& status,
                      const std::string& now);
  // The subscribed rows, marked unsubscribing under `txn`; returns their codes.
  Result<std::vector<std::string>> Unsubscribing(std::int64_t source_id, const std::string& txn,
                                                 const std::string& now);
  // The registry confirmed: rows of `txn` with these codes are unsubscribed. Returns how many rows `txn`
  // has (0: not Sanad's transaction).
  Result<int> Unsubscribed(std::int64_t source_id, const std::string& txn, const std::vector<std::string>& codes,
                           const std::string& now);

 private:
  db::Database& db_;
};

}  // namespace sanad::crvs
