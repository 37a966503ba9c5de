// Sanad subscribing to a civil registry's births and deaths (SPDCI CRVS `/registry/subscribe`,
// `/registry/unsubscribe`, and their `on-subscribe` / `on-unsubscribe` callbacks): the request
// envelopes Sanad sends and the subscription codes read from the registry's answers (docs/crvs.md).
// Pure: the call is dci::PostJsonForAnswer, the storage CrvsStore.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace sanad::crvs {

// The events Sanad subscribes to, as the spec names them.
inline constexpr const char* kBirthEvent = "spdci-common:RegistryEventType:LiveBirth";
inline constexpr const char* kDeathEvent = "spdci-common:RegistryEventType:Death";

// One subscribe_request item per event type, reference_id "<txn>-<i>"; callbacks to `sender_uri`.
nlohmann::json SubscribeRequest(const std::string& txn, const std::string& now, const std::string& sender_uri,
                                const std::vector<std::string>& event_types);
nlohmann::json UnsubscribeRequest(const std::string& txn, const std::string& now, const std::string& sender_uri,
                                  const std::vector<std::string>& codes);

struct Granted {
  std::string code;
  std::string status;                         // subscribe | unsubscribe | … as the registry sends it
  std::optional<std::string> reg_event_type;  // when the registry names it
  std::string reference_id;                   // of the subscribe_response item it came in
};

// The reference_id of the i-th (from 0) item of a subscribe request of transaction `txn`: a registry's
// subscribe_response item names it (spec: reference_id of the request it answers).
std::string SubscribeReferenceId(const std::string& txn, std::size_t i);

// The subscriptions of a SubscribeResponse message (an on-subscribe callback, or a synchronous answer).
// Errors: kInvalidArgument naming the position (message.subscribe_response[0]…).
Result<std::vector<Granted>> ReadSubscribeResponse(const nlohmann::json& message);
// The codes an UnSubscribeResponse message confirms (subscription_status[].code).
Result<std::vector<std::string>> ReadUnsubscribeResponse(const nlohmann::json& message);

}  // namespace sanad::crvs
