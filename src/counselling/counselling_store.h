// SQL of family counselling (migrations/0028_counselling.sql): counsellors, availability, leave days,
// bookings, session records and sealed session notes. Every read and write is limited IN the query to
// counsellors whose area lies within the caller's area (db/area_scope.h); a booking carries its
// counsellor's area. A slot is never booked twice: the partial unique index on live bookings refuses
// the second insert, whatever the concurrency, and that refusal is kConflict counselling.slot_taken.
//
// Thread safety: all methods may be called concurrently (each borrows its own session).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "counselling/counselling.h"
#include "counselling/outbox.h"
#include "db/database.h"

namespace sanad::counselling {

// Who reads or acts: their area (nullopt: national) on a day, their name.
struct Access {
  std::optional<std::string> area;
  std::string day;  // YYYY-MM-DD
  std::string username;
};

struct CounsellorFilter {
  std::optional<std::string> pool, language;
  std::optional<std::int64_t> id;
  bool active_only = false;
};

struct BookingFilter {
  std::optional<std::int64_t> counsellor_id;
  std::string from, to;  // UTC timestamps: slot_start in [from, to)
  bool include_cancelled = false;
};

class CounsellingStore {
 public:
  explicit CounsellingStore(db::Database& db) : db_(db) {}

  // Errors: kInvalidArgument counselling.unknown_user (no such account), kAlreadyExists
  // counselling.counsellor_exists (the account is a counsellor already), kFailedPrecondition
  // counselling.outside_scope (the area is not within the caller's).
  Result<Counsellor> Create(const Counsellor& c, const std::string& username, const Access& who,
                            const std::string& now);
  // Names, specialties, languages, pool, area, active. Errors: kNotFound outside the scope.
  Result<Counsellor> Update(std::int64_t id, const Counsellor& c, const Access& who, const std::string& now);
  Result<std::vector<Counsellor>> List(const CounsellorFilter& f, const Access& who);
  Result<std::optional<Counsellor>> Get(std::int64_t id, const Access& who);
  // The counsellor record of an account (their own calendar), whatever the area.
  Result<std::optional<Counsellor>> OfUser(std::int64_t user_id);
  // Replaces the weekly availability. Errors: kNotFound outside the scope.
  Status SetAvailability(std::int64_t id, const std::vector<Availability>& lines, const Access& who,
                         const std::string& now);
  // Adds (or removes) a leave day. Errors: kNotFound outside the scope.
  Status SetLeave(std::int64_t id, const std::string& day, const std::optional<std::string>& reason, bool remove,
                  const Access& who);

  // UTC starts of the live bookings of a counsellor in [from, to).
  Result<std::vector<TimePoint>> LiveStarts(std::int64_t counsellor_id, const std::string& from, const std::string& to);

  // Inserts a booking (status booked, the counsellor's area) and its messages in one transaction.
  // Errors: kConflict counselling.slot_taken (a live booking holds the slot), kNotFound outside scope.
  Result<Booking> Book(const Booking& b, const std::vector<OutboxMessage>& messages, const Access& who,
                       const std::string& now);
  Result<std::optional<Booking>> GetBooking(std::int64_t id, const Access& who);
  Result<std::vector<Booking>> Bookings(const BookingFilter& f, const Access& who);
  // booked → cancelled with its messages. Errors: kNotFound, kFailedPrecondition counselling.not_booked.
  Result<Booking> Cancel(std::int64_t id, const std::optional<std::string>& reason,
                         const std::vector<OutboxMessage>& messages, const Access& who, const std::string& now);
  // Cancels the booking and books `moved` (same counsellor, client and channel; rescheduled_from set)
  // in one transaction: both or neither. Errors: those of Cancel and Book.
  Result<Booking> Reschedule(std::int64_t id, const Booking& moved, const std::vector<OutboxMessage>& messages,
                             const Access& who, const std::string& now);
  // booked → attended | no_show once the slot has begun. Errors: kNotFound, kFailedPrecondition
  // counselling.not_booked / counselling.not_started.
  Result<Booking> RecordSession(std::int64_t id, const std::string& status, const Access& who, const std::string& now);
  Result<std::int64_t> AddNote(std::int64_t booking_id, const std::string& sealed, const Access& who,
                               const std::string& now);
  Result<std::vector<SessionNote>> Notes(std::int64_t booking_id);

  // No-shows of a client: by request id, else by phone number.
  Result<long long> NoShows(const std::optional<std::int64_t>& request_id, const std::optional<std::string>& phone);
  // No-shows and the live booking of each of these requests.
  struct RequestSummary {
    long long no_shows = 0;
    std::optional<std::int64_t> live_booking;
    std::optional<std::string> live_slot;
  };
  Result<std::map<std::int64_t, RequestSummary>> RequestSummaries(const std::vector<std::int64_t>& request_ids);

 private:
  db::Database& db_;
};

}  // namespace sanad::counselling
