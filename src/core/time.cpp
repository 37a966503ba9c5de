#include "core/time.h"

#include <fmt/format.h>
#include <charconv>

namespace sanad {

namespace {

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::string FormatTimestamp(TimePoint t) {
  using namespace std::chrono;
  auto micros = duration_cast<microseconds>(t.time_since_epoch());
  auto day_point = floor<days>(sys_time<microseconds>(micros));
  year_month_day ymd{day_point};
  auto since_midnight = sys_time<microseconds>(micros) - day_point;
  hh_mm_ss hms{since_midnight};
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:06d}Z", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

namespace {

std::unexpected<Error> NotATimestamp(std::string_view text) {
  return WithText(Failure(Code::kInvalidArgument, "value.not_timestamp", {{"value", std::string(text)}}),
                  fmt::format("'{}' is not a timestamp such as 2026-01-31T12:00:00Z", text));
}

std::unexpected<Error> NotADate(std::string_view text, std::string_view field) {
  return WithText(Failure(Code::kInvalidArgument, "value.not_date",
                          {{"field", std::string(field)}, {"value", std::string(text)}}, std::string(field)),
                  fmt::format("'{}' is not a date in the form YYYY-MM-DD", text));
}

}  // namespace

Result<TimePoint> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.ffffff]Z
  if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z') {
    return NotATimestamp(text);
  }
  auto date = ParseDate(text.substr(0, 10), "timestamp");
  if (!date) return std::unexpected(date.error());
  int hh, mm, ss;
  if (text[13] != ':' || text[16] != ':' || !ParseInt(text.substr(11, 2), hh) || !ParseInt(text.substr(14, 2), mm) ||
      !ParseInt(text.substr(17, 2), ss) || hh > 23 || mm > 59 || ss > 60) {
    return NotATimestamp(text);
  }
  int micros = 0;
  std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 7) {
      return NotATimestamp(text);
    }
    std::string frac(rest.substr(1));
    frac.resize(6, '0');
    if (!ParseInt(frac, micros)) return NotATimestamp(text);
  }
  using namespace std::chrono;
  sys_days d = year_month_day{year{date->year}, month{date->month}, day{date->day}};
  return TimePoint(duration_cast<system_clock::duration>(d.time_since_epoch() + hours(hh) + minutes(mm) + seconds(ss) +
                                                         microseconds(micros)));
}

std::string Date::ToString() const { return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day); }

Result<Date> ParseDate(std::string_view text, std::string_view field) {
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseInt(text.substr(0, 4), y) ||
      !ParseInt(text.substr(5, 2), m) || !ParseInt(text.substr(8, 2), d)) {
    return NotADate(text, field);
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)}, std::chrono::day{unsigned(d)}};
  if (!ymd.ok() || y < 1800 || y > 2200) {
    return NotADate(text, field);
  }
  return Date{y, unsigned(m), unsigned(d)};
}

Date DateOf(TimePoint t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  return Date{int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day())};
}

int CompletedYears(const Date& birth, const Date& on) {
  int age = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

}  // namespace sanad
