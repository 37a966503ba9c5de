#include "dci/notifier.h"

#include <map>

#include "targeting/rescoring_store.h"

namespace sanad::dci {

using Json = nlohmann::json;

std::string EventOfChange(const std::string& kind, const Json& payload) {
  if (kind == "create_household" || kind == "import") return "REGISTER";
  if (kind == "add_member") return "NewHouseHoldMember";
  if (kind == "merge_households" || kind == "merge_persons") return "MERGE";
  if (kind == "exit_household" || kind == "remove_member") {
    const bool death = payload.is_object() && payload.value("reason", "") == "death";
    return death ? "DEATH" : "EXIT";
  }
  return "UPDATE";
}

bool EventMatches(const std::string& subscribed, const std::string& event) {
  return subscribed == "ALL" || subscribed == event || (subscribed == "EXIT" && event == "DEATH");
}

Notifier::Notifier(DciStore& store, registry::ChangeFeedStore& feed, const Clock& clock, RecordsFn records,
                   std::function<std::string(const Partner&)> notify_url)
    : store_(store), feed_(feed), clock_(clock), records_(std::move(records)), notify_url_(std::move(notify_url)) {}

Result<std::int64_t> Notifier::Position() {
  auto last = feed_.LastSeq();
  if (!last) return std::unexpected(last.error());
  const std::string now = FormatTimestamp(clock_.Now());
  return store_.db().InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    return targeting::RescoringStore::LockPosition(s, kConsumer, *last, now);
  });
}

Result<std::size_t> Notifier::CatchUp() {
  std::size_t queued = 0;
  std::int64_t previous = -1;
  while (true) {
    auto last = feed_.LastSeq();
    if (!last) return std::unexpected(last.error());
    if (*last <= done_.load()) return queued;
    const std::string now = FormatTimestamp(clock_.Now());
    auto pass = store_.db().InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
      const std::int64_t position = targeting::RescoringStore::LockPosition(s, kConsumer, *last, now);
      // Committed feed rows do not change: read on another connection while this one holds the lock.
      auto entries = feed_.After(position, 200);
      if (!entries) return std::unexpected(entries.error());
      if (entries->empty()) return position;
      // The subscriptions are read after the entries, never before: a change approved after a partner
      // subscribed is then always seen with that subscription. Read before (as it once was), a pass that
      // started just before the subscription committed handled the change with the older list and moved
      // the position past it: the partner never heard of that change.
      auto subs = store_.ActiveSubscriptions();
      if (!subs) return std::unexpected(subs.error());
      auto partners = store_.ListPartners();
      if (!partners) return std::unexpected(partners.error());
      std::map<std::string, Partner> by_account;
      for (auto& p : *partners) by_account.emplace(p.account, p);
      for (const auto& e : *entries) {
        std::string kind;
        Json payload;
        {
          soci::indicator ind = soci::i_null;
          std::string text;
          long long id = e.change.change_request_id;
          s.sql() << "SELECT kind, payload FROM change_requests WHERE id = :i", soci::use(id), soci::into(kind),
              soci::into(text, ind);
          if (ind == soci::i_ok) payload = Json::parse(text, nullptr, false);
        }
        const std::string event = EventOfChange(kind, payload);
        for (const auto& sub : *subs) {
          if (sub.from_seq >= e.seq || !EventMatches(sub.reg_event_type, event)) continue;
          auto partner = by_account.find(sub.partner);
          if (partner == by_account.end()) continue;
          auto records = records_(sub, e);
          if (!records) return std::unexpected(records.error());
          if (records->empty()) continue;  // nothing of this change in the partner's scope
          Json events = Json::array();
          for (const auto& r : *records) {
            events.push_back({{"reference_id", std::to_string(e.seq)},
                              {"timestamp", now},
                              {"data",
                               {{"version", "1.0.0"},
                                {"reg_type", "ns:org:RegistryType:Social"},
                                {"reg_event_type", event},
                                {"reg_record_type", sub.record_type},
                                {"reg_records", r}}},
                              {"locale", sub.locale}});
          }
          Json envelope{{"signature", ""},
                        {"header",
                         {{"version", "1.0.0"},
                          {"message_id", sub.code + "-" + std::to_string(e.seq)},
                          {"message_ts", now},
                          {"action", "notify"},
                          {"sender_id", "sanad"},
                          {"receiver_id", sub.partner},
                          {"total_count", events.size()},
                          {"is_msg_encrypted", false}}},
                        {"message",
                         {{"transaction_id", sub.code + "-" + std::to_string(e.seq)},
                          {"subscription_code", sub.code},
                          {"notify_event", events}}}};
          OutboxItem item;
          item.partner = sub.partner;
          item.url = notify_url_(partner->second);
          item.action = "notify";
          item.body = envelope.dump(-1, ' ', false, Json::error_handler_t::replace);
          item.subscription_code = sub.code;
          item.feed_seq = e.seq;
          if (DciStore::EnqueueNotificationIn(s, item, now)) ++queued;
        }
      }
      targeting::RescoringStore::SetPosition(s, kConsumer, entries->back().seq, now);
      return entries->back().seq;
    });
    if (!pass) return std::unexpected(pass.error());
    if (*pass >= *last) {
      done_.store(*pass);
      return queued;
    }
    if (*pass == previous) return queued;  // no progress (feed rows not yet visible): the next call resumes
    previous = *pass;
  }
}

}  // namespace sanad::dci
