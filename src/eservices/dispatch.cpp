#include "eservices/dispatch.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>

namespace sanad::eservices {
namespace {

constexpr std::chrono::minutes kLocalOffset{60};  // Morocco and Algeria: UTC+1

bool OneOf(std::string_view v, std::span<const std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

int Minutes(std::string_view hhmm) {
  return ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
}

std::set<std::string> Words(std::string_view text) {
  std::set<std::string> out;
  std::string w;
  auto flush = [&] {
    // Counts UTF-8 code points: Arabic letters are two bytes.
    std::size_t letters = 0;
    for (unsigned char c : w) letters += (c & 0xC0) != 0x80;
    if (letters >= 3) out.insert(w);
    w.clear();
  };
  for (unsigned char c : text) {
    if (c >= 0x80 || std::isalnum(c)) {
      w.push_back(static_cast<char>(std::tolower(c)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace

bool IsService(std::string_view code) { return OneOf(code, kServices); }
bool IsLifeSafety(std::string_view service) { return service == kElderlyInDanger || service == kHomelessPerson; }
bool IsStatus(std::string_view s) { return OneOf(s, kStatuses); }

bool ValidTime(std::string_view hhmm) {
  return hhmm.size() == 5 && std::isdigit(static_cast<unsigned char>(hhmm[0])) &&
         std::isdigit(static_cast<unsigned char>(hhmm[1])) && hhmm[2] == ':' &&
         std::isdigit(static_cast<unsigned char>(hhmm[3])) && std::isdigit(static_cast<unsigned char>(hhmm[4])) &&
         Minutes(hhmm) < 24 * 60 && hhmm[3] <= '5';
}

Status ValidateReport(const ReportInput& in) {
  std::vector<Problem> problems;
  auto add = [&](std::string reason, std::string field, MessageParams params = {}) {
    problems.push_back(Problem{std::move(reason), std::move(field), std::move(params)});
  };
  if (!IsService(in.service)) add("eservice.unknown_service", "service_code", {{"value", in.service}});
  if (!OneOf(in.channel, kChannels))
    add("value.not_allowed", "channel",
        {{"field", "channel"}, {"allowed", "web, phone, open311"}, {"value", in.channel}});
  if (in.commune_code.empty()) add("field.required", "commune_code", {{"field", "commune_code"}});
  if (in.lat.has_value() != in.lon.has_value()) add("eservice.pin_incomplete", in.lat ? "long" : "lat");
  if (in.lat && (*in.lat < -90 || *in.lat > 90))
    add("field.out_of_range", "lat", {{"field", "lat"}, {"min", "-90"}, {"max", "90"}});
  if (in.lon && (*in.lon < -180 || *in.lon > 180))
    add("field.out_of_range", "long", {{"field", "long"}, {"min", "-180"}, {"max", "180"}});
  if (in.service == kFamilyCounselling) {
    if (!in.topic || in.topic->empty()) add("field.required", "topic", {{"field", "topic"}});
    if (!in.counselling_channel) {
      add("field.required", "counselling_channel", {{"field", "counselling_channel"}});
    } else if (*in.counselling_channel != "phone" && *in.counselling_channel != "video" &&
               *in.counselling_channel != "in_person") {
      add("value.not_allowed", "counselling_channel",
          {{"field", "counselling_channel"},
           {"allowed", "phone, video, in_person"},
           {"value", *in.counselling_channel}});
    }
    // Counsellors call back: a way to reach the family is needed.
    if (!in.contact_phone && !in.contact_email) add("eservice.contact_required", "contact_phone");
  } else if (in.description.empty()) {
    add("field.required", "description", {{"field", "description"}});
  }
  if (in.contact_phone) {
    const auto& p = *in.contact_phone;
    const bool ok = p.size() >= 6 && p.size() <= 20 && std::all_of(p.begin(), p.end(), [](char c) {
                      return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == ' ';
                    });
    if (!ok) add("eservice.bad_phone", "contact_phone");
  }
  if (in.contact_email && in.contact_email->find('@') == std::string::npos) add("eservice.bad_email", "contact_email");
  if (problems.empty()) return Ok();
  return Failures(Code::kInvalidArgument, "form.invalid", std::move(problems));
}

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0088 * std::asin(std::min(1.0, std::sqrt(a)));
}

bool OnShift(const Unit& unit, TimePoint now) {
  const auto local = std::chrono::floor<std::chrono::minutes>(now) + kLocalOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const int weekday = static_cast<int>(std::chrono::weekday(std::chrono::sys_days(day)).c_encoding());
  const int minute = static_cast<int>((local - day).count());
  for (const auto& s : unit.shifts) {
    const int from = Minutes(s.starts), to = Minutes(s.ends);
    if (from < to) {
      if (s.weekday == weekday && minute >= from && minute < to) return true;
    } else {
      // Crosses midnight: the evening of its day and the morning of the next.
      if (s.weekday == weekday && minute >= from) return true;
      if ((s.weekday + 1) % 7 == weekday && minute < to) return true;
    }
  }
  return false;
}

Dispatch ChooseUnit(std::span<const Unit> units, std::string_view commune, std::optional<double> commune_lat,
                    std::optional<double> commune_lon, TimePoint now) {
  const Unit* covering = nullptr;
  for (const auto& u : units) {
    if (!u.active || std::find(u.communes.begin(), u.communes.end(), commune) == u.communes.end()) continue;
    const bool better = !covering || (OnShift(u, now) && !OnShift(*covering, now)) ||
                        (OnShift(u, now) == OnShift(*covering, now) && u.id < covering->id);
    if (better) covering = &u;
  }
  if (covering) return {covering->id, "covering"};
  if (!commune_lat || !commune_lon) return {std::nullopt, "none"};
  const Unit* nearest_on_shift = nullptr;
  const Unit* nearest = nullptr;
  double best_on_shift = std::numeric_limits<double>::max(), best = best_on_shift;
  for (const auto& u : units) {
    if (!u.active) continue;
    const double d = DistanceKm(*commune_lat, *commune_lon, u.base_lat, u.base_lon);
    if (d < best) best = d, nearest = &u;
    if (OnShift(u, now) && d < best_on_shift) best_on_shift = d, nearest_on_shift = &u;
  }
  if (nearest_on_shift) return {nearest_on_shift->id, "nearest_on_shift"};
  if (nearest) return {nearest->id, "nearest"};
  return {std::nullopt, "none"};
}

TimePoint AckDeadline(const AckPolicy& policy, bool immediate_danger, TimePoint received) {
  return received + std::chrono::minutes(immediate_danger ? policy.danger_minutes : policy.normal_minutes);
}

double WordJaccard(std::string_view a, std::string_view b) {
  const auto wa = Words(a), wb = Words(b);
  if (wa.empty() || wb.empty()) return 0;
  std::size_t common = 0;
  for (const auto& w : wa) common += wb.count(w);
  return static_cast<double>(common) / static_cast<double>(wa.size() + wb.size() - common);
}

bool ProbableDuplicate(const ReportInput& a, const ReportInput& b) {
  if (a.service != b.service || a.commune_code != b.commune_code) return false;
  if (a.lat && a.lon && b.lat && b.lon) return DistanceKm(*a.lat, *a.lon, *b.lat, *b.lon) * 1000 <= kDuplicateMetres;
  return WordJaccard(a.description, b.description) >= 0.5;
}

}  // namespace sanad::eservices
