#include "counselling/outbox.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "counselling/slots.h"
#include "db/row.h"

namespace sanad::counselling {
namespace {

std::string ParamsJson(const MessageParams& p) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : p) j[k] = v;
  return j.dump();
}

MessageParams ParseParams(const std::string& text) {
  MessageParams out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out.emplace_back(k, v.get<std::string>());
  return out;
}

constexpr const char* kColumns =
    "id, booking_id, kind, channel, recipient, language, message_code, params, status, attempts, next_attempt_at, "
    "last_error, created_at, sent_at FROM counselling_outbox";

OutboxMessage ReadMessage(const soci::row& r) {
  OutboxMessage m;
  m.id = db::RowInt(r, 0);
  if (auto v = db::RowOptInt(r, 1)) m.booking_id = *v;
  m.kind = r.get<std::string>(2);
  m.channel = r.get<std::string>(3);
  m.recipient = r.get<std::string>(4);
  m.language = r.get<std::string>(5);
  m.message_code = r.get<std::string>(6);
  m.params = ParseParams(r.get<std::string>(7));
  m.status = r.get<std::string>(8);
  m.attempts = static_cast<int>(db::RowInt(r, 9));
  m.next_attempt_at = r.get<std::string>(10);
  m.last_error = db::RowOptStr(r, 11);
  m.created_at = r.get<std::string>(12);
  m.sent_at = db::RowOptStr(r, 13);
  return m;
}

// "HH:MM" local of a UTC timestamp.
std::string LocalClock(TimePoint t) {
  const auto local = std::chrono::floor<std::chrono::minutes>(t) + kLocalOffset;
  const auto m = (local - std::chrono::floor<std::chrono::days>(local)).count();
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

Status RunFence(db::Session& s, const std::function<Status(db::Session&)>& fence) { return fence ? fence(s) : Ok(); }

}  // namespace

Status LogSender::Send(const OutgoingText& m) {
  spdlog::info("counselling {} to {} [{}]: {}", m.channel, m.recipient, m.language, m.text);
  return Ok();
}

std::chrono::seconds RetryDelay(const RetryPolicy& p, int attempts) {
  const int shift = std::clamp(attempts - 1, 0, 20);
  return p.first_delay * (1LL << shift);
}

std::vector<OutboxMessage> BookingMessages(const std::string& kind, const Booking& b,
                                           const std::string& counsellor_name) {
  std::vector<OutboxMessage> out;
  const auto start = ParseTimestamp(b.slot_start);
  if (!start) return out;
  MessageParams params{{"date", LocalDay(*start)},
                       {"time", LocalClock(*start)},
                       {"counselling_channel", b.channel},
                       {"counsellor", counsellor_name}};
  auto add = [&](const std::string& channel, const std::optional<std::string>& to) {
    if (!to || to->empty()) return;
    OutboxMessage m;
    m.booking_id = b.id ? std::optional<std::int64_t>(b.id) : std::nullopt;
    m.kind = kind;
    m.channel = channel;
    m.recipient = *to;
    m.language = b.client_language;
    m.message_code = "counselling.msg." + kind;
    m.params = params;
    out.push_back(std::move(m));
  };
  add("sms", b.client_phone);
  add("email", b.client_email);
  return out;
}

void OutboxStore::Insert(db::Session& s, const OutboxMessage& m, const std::string& now) {
  std::optional<long long> booking;
  if (m.booking_id) booking = *m.booking_id;
  const std::string params = ParamsJson(m.params);
  s.sql() << "INSERT INTO counselling_outbox (booking_id, kind, channel, recipient, language, message_code, params, "
             "status, attempts, next_attempt_at, created_at) VALUES (:b, :k, :c, :r, :l, :m, :p, 'pending', 0, :n, :t)",
      soci::use(booking), soci::use(m.kind), soci::use(m.channel), soci::use(m.recipient), soci::use(m.language),
      soci::use(m.message_code), soci::use(params), soci::use(now), soci::use(now);
}

Result<std::vector<OutboxMessage>> OutboxStore::List(const std::optional<std::string>& status, int limit) {
  return db::Guard([&]() -> Result<std::vector<OutboxMessage>> {
    auto s = db_.Acquire();
    std::vector<OutboxMessage> out;
    const std::string st_value = status.value_or("");
    long long lim = limit;
    db::EachRow(
        s.sql(), fmt::format("SELECT {} {} ORDER BY id DESC LIMIT :l", kColumns, status ? "WHERE status = :s" : ""),
        [&](soci::statement& st) {
          if (status) st.exchange(soci::use(st_value));
          st.exchange(soci::use(lim));
        },
        [&](const soci::row& r) { out.push_back(ReadMessage(r)); });
    return out;
  });
}

Result<std::vector<OutboxMessage>> OutboxStore::Due(const std::string& now, int limit) {
  return db::Guard([&]() -> Result<std::vector<OutboxMessage>> {
    auto s = db_.Acquire();
    std::vector<OutboxMessage> out;
    long long lim = limit;
    db::EachRow(
        s.sql(),
        fmt::format("SELECT {} WHERE status = 'pending' AND next_attempt_at <= :n ORDER BY next_attempt_at, id "
                    "LIMIT :l",
                    kColumns),
        [&](soci::statement& st) {
          st.exchange(soci::use(now));
          st.exchange(soci::use(lim));
        },
        [&](const soci::row& r) { out.push_back(ReadMessage(r)); });
    return out;
  });
}

Result<std::vector<std::pair<Booking, std::string>>> OutboxStore::NeedingReminder(TimePoint now) {
  return db::Guard([&]() -> Result<std::vector<std::pair<Booking, std::string>>> {
    auto s = db_.Acquire();
    const std::string from = FormatTimestamp(now), to = FormatTimestamp(now + std::chrono::hours(24));
    std::vector<std::pair<Booking, std::string>> out;
    db::EachRow(
        s.sql(),
        "SELECT b.id, b.slot_start, b.client_phone, b.client_email, b.client_language, b.channel, b.booked_at, "
        "c.given_name, c.family_name, b.counsellor_id FROM counselling_bookings b JOIN counsellors c ON "
        "c.id = b.counsellor_id WHERE b.status = 'booked' AND b.slot_start > :f AND b.slot_start <= :t AND NOT EXISTS "
        "(SELECT 1 FROM counselling_outbox o WHERE o.booking_id = b.id AND o.kind = 'reminder') ORDER BY b.slot_start",
        [&](soci::statement& st) {
          st.exchange(soci::use(from));
          st.exchange(soci::use(to));
        },
        [&](const soci::row& r) {
          Booking b;
          b.id = db::RowInt(r, 0);
          b.slot_start = r.get<std::string>(1);
          b.client_phone = db::RowOptStr(r, 2);
          b.client_email = db::RowOptStr(r, 3);
          b.client_language = r.get<std::string>(4);
          b.channel = r.get<std::string>(5);
          b.booked_at = r.get<std::string>(6);
          b.counsellor_id = db::RowInt(r, 9);
          // Booked within 24 h of the slot: the confirmation just sent serves as the reminder.
          const auto start = ParseTimestamp(b.slot_start);
          const auto booked = ParseTimestamp(b.booked_at);
          if (!start || !booked || *start - *booked <= std::chrono::hours(24)) return;
          out.emplace_back(std::move(b), r.get<std::string>(7) + " " + r.get<std::string>(8));
        });
    return out;
  });
}

Result<long long> OutboxStore::QueueReminders(const std::vector<OutboxMessage>& ms, const std::string& now,
                                              const std::function<Status(db::Session&)>& fence) {
  return db::Guard([&]() -> Result<long long> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    if (auto st = RunFence(s, fence); !st) return std::unexpected(st.error());
    long long queued = 0;
    for (const auto& m : ms) {
      long long booking = m.booking_id.value_or(0);
      const long long exists = db::CountRows(
          s.sql(),
          "SELECT COUNT(*) FROM counselling_outbox WHERE booking_id = :b AND channel = :c AND kind = 'reminder'",
          [&](soci::statement& st) {
            st.exchange(soci::use(booking));
            st.exchange(soci::use(m.channel));
          });
      if (exists > 0) continue;
      Insert(s, m, now);
      ++queued;
    }
    tx.Commit();
    return queued;
  });
}

Status OutboxStore::MarkSent(std::int64_t id, const std::string& now,
                             const std::function<Status(db::Session&)>& fence) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    if (auto st = RunFence(s, fence); !st) return st;
    long long mid = id;
    s.sql()
        << "UPDATE counselling_outbox SET status = 'sent', sent_at = :t, attempts = attempts + 1, last_error = NULL "
           "WHERE id = :id AND status = 'pending'",
        soci::use(now), soci::use(mid);
    tx.Commit();
    return Ok();
  });
}

Status OutboxStore::MarkFailure(std::int64_t id, int attempts, bool give_up, const std::string& next,
                                const std::string& error, const std::function<Status(db::Session&)>& fence) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    if (auto st = RunFence(s, fence); !st) return st;
    long long mid = id, n = attempts;
    const std::string status = give_up ? "failed" : "pending";
    s.sql() << "UPDATE counselling_outbox SET status = :s, attempts = :a, next_attempt_at = :n, last_error = :e "
               "WHERE id = :id AND status = 'pending'",
        soci::use(status), soci::use(n), soci::use(next), soci::use(error), soci::use(mid);
    tx.Commit();
    return Ok();
  });
}

}  // namespace sanad::counselling
