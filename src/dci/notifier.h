// Turns the registry's change feed into `notify` callbacks for the partners' subscriptions
// (docs/dci.md). Like re-scoring (targeting/rescoring.h) it follows registry_changes from a position
// kept in feed_positions (consumer "dci_notify"), locked for the length of a pass, so that with several
// app servers one of them handles each entry; the outbox rows of a pass and the new position commit
// together, and (subscription, feed entry) is unique in the outbox: one notification per change and
// subscription, in feed order, exactly once — a restart resumes at the stored position.
//
// Thread safety: CatchUp from one thread at a time (the feed follower's).
#pragma once

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/time.h"
#include "dci/dci_store.h"
#include "registry/change_feed_store.h"

namespace sanad::dci {

// The event a change request is, from its kind and payload (registry/changes/*): REGISTER,
// NewHouseHoldMember, UPDATE, EXIT, DEATH or MERGE.
std::string EventOfChange(const std::string& kind, const nlohmann::json& payload);

// Whether a subscription to `subscribed` receives an `event` (EXIT also covers DEATH; ALL every one).
bool EventMatches(const std::string& subscribed, const std::string& event);

// The records of a feed entry a subscription may see (its area scope, its record type), as spec
// reg_records; empty when none is in its scope.
using RecordsFn = std::function<Result<std::vector<nlohmann::json>>(const Subscription&, const registry::FeedEntry&)>;

class Notifier {
 public:
  static constexpr const char* kConsumer = "dci_notify";

  Notifier(DciStore& store, registry::ChangeFeedStore& feed, const Clock& clock, RecordsFn records,
           std::function<std::string(const Partner&)> notify_url);

  // The position reached, created at the feed's end the first time.
  Result<std::int64_t> Position();
  // Queues the notifications of every feed entry past the position. Returns how many were queued.
  Result<std::size_t> CatchUp();

 private:
  DciStore& store_;
  registry::ChangeFeedStore& feed_;
  const Clock& clock_;
  RecordsFn records_;
  std::function<std::string(const Partner&)> notify_url_;
  std::atomic<std::int64_t> done_{-1};
};

}  // namespace sanad::dci
