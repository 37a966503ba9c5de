// SQL of the DCI API (migration 0024): partners, acknowledged transactions, the callback outbox and
// event subscriptions. Times are FormatTimestamp strings (they sort as they compare).
//
// Thread safety: no state besides the database; every method borrows its own session, except the
// *In methods which run in the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "dci/person_predicate.h"
#include "registry/records.h"

namespace sanad::dci {

struct Partner {
  std::string account;  // the partner_system account's username
  std::string callback_url;
  std::optional<std::string> public_key;  // base64 Ed25519
  std::vector<std::string> record_types;  // Person, Group
  bool must_sign = false;
  bool Allows(const std::string& record_type) const;
};

struct Transaction {
  std::string partner, transaction_id, correlation_id, action;
  std::string reference_ids;  // JSON list
  std::string status;         // rcvd | pdng | succ | rjct
  std::optional<std::string> response;
  std::string created_at;
};

struct OutboxItem {
  std::int64_t id = 0;
  std::string partner, url, action, body;
  long long attempts = 0;
  std::optional<std::string> subscription_code;
  std::optional<long long> feed_seq;
};

struct Subscription {
  std::string code, partner, reg_event_type, record_type, area_scope, locale, status;
  long long from_seq = 0;
  std::string created_at;
};

class DciStore {
 public:
  explicit DciStore(db::Database& db) : db_(db) {}
  db::Database& db() { return db_; }

  Result<std::optional<Partner>> GetPartner(const std::string& account);
  Result<std::vector<Partner>> ListPartners();
  Status PutPartner(const Partner& p, const std::string& by, const std::string& now);

  // Records an acknowledged request and queues its callback, in one transaction: the ACK is sent only
  // once both are durable. Returns the outbox row's id.
  Result<std::int64_t> Accept(const Transaction& t, const OutboxItem& callback, const std::string& now);
  // The latest transaction of `partner` whose transaction_id, correlation_id or one of whose
  // reference_ids (attribute_type: transaction_id | correlation_id | reference_id_list) is `value`.
  Result<std::optional<Transaction>> FindTransaction(const std::string& partner, const std::string& attribute_type,
                                                     const std::string& value);

  // Leases up to `limit` due pending rows for `worker` until `lease_until`: a row leased by another
  // server whose lease has not run out is left alone, so no row is sent twice at once.
  Result<std::vector<OutboxItem>> Lease(const std::string& worker, const std::string& now,
                                        const std::string& lease_until, std::size_t limit);
  Status MarkDelivered(std::int64_t id, const std::string& now);
  // A failed attempt: retried at `next_at`, or given up (state failed) when `give_up`.
  Status MarkFailed(std::int64_t id, const std::string& error, const std::string& next_at, bool give_up);
  // Counts by state (tests, metrics).
  Result<long long> CountOutbox(const std::string& state);

  // The ids of the active persons within `scope` that satisfy `where`, one page in the order asked (ties
  // by id), and the count of all of them.
  Result<std::pair<std::vector<std::int64_t>, long long>> SearchPersonIds(const Condition& where,
                                                                          const registry::Scope& scope,
                                                                          registry::PersonSort sort, bool descending,
                                                                          int limit, int offset);

  // Subscriptions.
  Status AddSubscriptionIn(db::Session& s, const Subscription& sub);
  Result<std::vector<Subscription>> ActiveSubscriptions();
  Result<std::optional<Subscription>> GetSubscription(const std::string& code);
  Status EndSubscriptionIn(db::Session& s, const std::string& code, const std::string& now);
  // Queues a notification for (subscription, feed entry) unless one was queued already: true when queued.
  static bool EnqueueNotificationIn(db::Session& s, const OutboxItem& item, const std::string& now);
  static Status InsertOutboxIn(db::Session& s, const OutboxItem& item, const std::string& now);

 private:
  db::Database& db_;
};

}  // namespace sanad::dci
