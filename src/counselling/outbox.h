// The notification outbox of counselling (docs/counselling.md#notifications): booking confirmations,
// reminders 24 h before a session and cancellations, as a catalogue code and its parameters (never a
// rendered text) with the client's language, sent by SMS or e-mail through a Sender adapter. A failed
// send is tried again after an exponentially growing delay, up to a limit, then marked failed.
//
// Thread safety: OutboxStore methods may be called concurrently (each borrows its own session).
// A Sender is called from the delivery job's thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "counselling/counselling.h"
#include "db/database.h"

namespace sanad::counselling {

struct OutboxMessage {
  std::int64_t id = 0;
  std::optional<std::int64_t> booking_id;
  std::string kind;     // confirmation | reminder | cancellation
  std::string channel;  // sms | email
  std::string recipient;
  std::string language = "ar";  // ar | fr | en
  std::string message_code;
  MessageParams params;
  std::string status = "pending";  // pending | sent | failed
  int attempts = 0;
  std::string next_attempt_at;
  std::optional<std::string> last_error;
  std::string created_at;
  std::optional<std::string> sent_at;
};

// What reaches an adapter: the text already rendered in the recipient's language.
struct OutgoingText {
  std::string channel, recipient, language, text;
};

// An SMS or e-mail gateway. Errors are retried (the message's status stays pending).
class Sender {
 public:
  virtual ~Sender() = default;
  virtual Status Send(const OutgoingText& m) = 0;
};

// The default adapter: writes each rendered message to the log (no gateway configured).
class LogSender final : public Sender {
 public:
  Status Send(const OutgoingText& m) override;
};

struct RetryPolicy {
  int max_attempts = 6;
  std::chrono::seconds first_delay{60};  // then 2×, 4×, … after each failure
};

// The delay after the `attempts`-th failed attempt (1 → first_delay).
std::chrono::seconds RetryDelay(const RetryPolicy& p, int attempts);

// Messages for a booking's event, one per contact the client gave (SMS to a phone, e-mail to an
// address): the code counselling.msg.<kind> with date and time in local time, the channel and the
// counsellor's name. None when the client left no contact.
std::vector<OutboxMessage> BookingMessages(const std::string& kind, const Booking& b,
                                           const std::string& counsellor_name);

class OutboxStore {
 public:
  explicit OutboxStore(db::Database& db) : db_(db) {}

  // Inside the caller's transaction (a booking and its confirmation commit together).
  static void Insert(db::Session& s, const OutboxMessage& m, const std::string& now);

  Result<std::vector<OutboxMessage>> List(const std::optional<std::string>& status, int limit);
  // Pending messages due at `now`, oldest first.
  Result<std::vector<OutboxMessage>> Due(const std::string& now, int limit);
  // Live bookings starting in (now, now + 24 h] that were booked more than 24 h before their slot (a
  // later booking's confirmation is its reminder) and have no reminder yet, with their counsellor's name.
  Result<std::vector<std::pair<Booking, std::string>>> NeedingReminder(TimePoint now);
  // Queues reminders (at most one per booking and channel). `fence` runs first in the transaction.
  Result<long long> QueueReminders(const std::vector<OutboxMessage>& ms, const std::string& now,
                                   const std::function<Status(db::Session&)>& fence);
  // After one attempt: sent, or failed once more (pending again at `next`, or failed for good).
  Status MarkSent(std::int64_t id, const std::string& now, const std::function<Status(db::Session&)>& fence);
  Status MarkFailure(std::int64_t id, int attempts, bool give_up, const std::string& next, const std::string& error,
                     const std::function<Status(db::Session&)>& fence);

 private:
  db::Database& db_;
};

}  // namespace sanad::counselling
