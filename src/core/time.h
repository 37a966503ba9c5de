// Time and dates. Timestamps are UTC, stored as ISO-8601 text with microseconds so that they sort
// lexicographically and read the same on SQLite and PostgreSQL.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sanad {

using TimePoint = std::chrono::system_clock::time_point;

// A source of "now", injected so that tests can move time (session expiry, throttling).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests set and advance by hand. Not thread-safe for concurrent Advance.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::seconds by) { now_ += by; }

 private:
  TimePoint now_;
};

// "2026-11-23T19:53:10.123456Z"
std::string FormatTimestamp(TimePoint t);
Result<TimePoint> ParseTimestamp(std::string_view text);

// A calendar date (proleptic Gregorian).
struct Date {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  auto operator<=>(const Date&) const = default;
  std::string ToString() const;  // YYYY-MM-DD
};

// Parses strictly "YYYY-MM-DD" and checks the day exists (2023-02-29 is refused).
Result<Date> ParseDate(std::string_view text, std::string_view field = "date");
Date DateOf(TimePoint t);
// Age in completed years on `on` of a person born on `birth` (a birthday counts from its own day).
int CompletedYears(const Date& birth, const Date& on);

}  // namespace sanad
