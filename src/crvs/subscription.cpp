#include "crvs/subscription.h"

#include <fmt/format.h>

#include "crvs/bad_message.h"

namespace sanad::crvs {
namespace {

nlohmann::json Header(const std::string& action, const std::string& txn, const std::string& now,
                      const std::string& sender_uri) {
  return {{"version", "1.0.0"},    {"message_id", txn},    {"message_ts", now},
          {"action", action},      {"sender_id", "sanad"}, {"sender_uri", sender_uri},
          {"receiver_id", "crvs"}, {"total_count", 1},     {"is_msg_encrypted", false}};
}

}  // namespace

std::string SubscribeReferenceId(const std::string& txn, std::size_t i) { return fmt::format("{}-{}", txn, i + 1); }

nlohmann::json SubscribeRequest(const std::string& txn, const std::string& now, const std::string& sender_uri,
                                const std::vector<std::string>& event_types) {
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < event_types.size(); ++i) {
    items.push_back({{"reference_id", SubscribeReferenceId(txn, i)},
                     {"timestamp", now},
                     {"subscribe_criteria",
                      {{"version", "1.0.0"},
                       {"reg_type", "ns:org:RegistryType:CRVS"},
                       {"reg_event_type", event_types[i]},
                       // Every event of the type, wherever it happens: the spec requires a filter; Sanad
                       // keeps what concerns its registry (docs/crvs.md).
                       {"filter_type", "expression"},
                       {"filter", {{"type", "ns:org:QueryType:expression"}, {"value", {{"expression", "*"}}}}},
                       {"notify_record_type", "ns:org:RegistryRecordType:Person"}}}});
  }
  return {{"signature", ""},
          {"header", Header("subscribe", txn, now, sender_uri)},
          {"message", {{"transaction_id", txn}, {"subscribe_request", items}}}};
}

nlohmann::json UnsubscribeRequest(const std::string& txn, const std::string& now, const std::string& sender_uri,
                                  const std::vector<std::string>& codes) {
  return {{"signature", ""},
          {"header", Header("unsubscribe", txn, now, sender_uri)},
          {"message", {{"transaction_id", txn}, {"timestamp", now}, {"subscription_codes", codes}}}};
}

Result<std::vector<Granted>> ReadSubscribeResponse(const nlohmann::json& message) {
  if (!message.is_object()) return BadMessage("message", "an object");
  auto list = message.find("subscribe_response");
  if (list == message.end() || !list->is_array()) return BadMessage("message.subscribe_response", "a list");
  std::vector<Granted> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string at = fmt::format("message.subscribe_response[{}]", i);
    if (!item.is_object()) return BadMessage(at, "an object");
    auto subs = item.find("subscriptions");
    if (subs == item.end()) continue;  // refused: status_reason_code says why; nothing granted
    if (!subs->is_array()) return BadMessage(at + ".subscriptions", "a list");
    const std::string reference = item.contains("reference_id") && item["reference_id"].is_string()
                                      ? item["reference_id"].get<std::string>()
                                      : "";
    for (std::size_t j = 0; j < subs->size(); ++j) {
      const auto& s = (*subs)[j];
      const std::string sat = fmt::format("{}.subscriptions[{}]", at, j);
      if (!s.is_object() || !s.contains("code") || !s["code"].is_string() || s["code"].get<std::string>().empty())
        return BadMessage(sat + ".code", "a subscription code");
      Granted g;
      g.code = s["code"].get<std::string>();
      g.status = s.value("status", std::string("subscribe"));
      g.reference_id = reference;
      if (s.contains("reg_event_type") && s["reg_event_type"].is_string())
        g.reg_event_type = s["reg_event_type"].get<std::string>();
      out.push_back(std::move(g));
    }
  }
  return out;
}

Result<std::vector<std::string>> ReadUnsubscribeResponse(const nlohmann::json& message) {
  if (!message.is_object()) return BadMessage("message", "an object");
  auto list = message.find("subscription_status");
  if (list == message.end() || !list->is_array()) return BadMessage("message.subscription_status", "a list");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& s = (*list)[i];
    if (!s.is_object() || !s.contains("code") || !s["code"].is_string())
      return BadMessage(fmt::format("message.subscription_status[{}].code", i), "a subscription code");
    out.push_back(s["code"].get<std::string>());
  }
  return out;
}

}  // namespace sanad::crvs
