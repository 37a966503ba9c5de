#include "empowerment/training.h"

#include <algorithm>
#include <chrono>
#include <span>

namespace sanad::empowerment {
namespace {

using nlohmann::json;

// Morocco keeps UTC+1 (the Ramadan shift to UTC+0 is not modelled: the brief's rule is UTC+1).
constexpr std::chrono::hours kCasablanca{1};

bool OneOf(const std::string& v, std::span<const char* const> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
}

struct Problems {
  std::vector<Problem> list;
  void Add(std::string reason, std::string field, MessageParams params = {}) {
    list.push_back({std::move(reason), std::move(field), std::move(params), {}});
  }
};

// A required or optional text member: trimmed of nothing (names keep their spelling), 1..max bytes.
std::optional<std::string> Text(const json& body, const std::string& name, std::size_t max, bool required,
                                Problems& p) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) p.Add("field.required", name, {{"field", name}});
    return std::nullopt;
  }
  if (!it->is_string()) {
    p.Add("field.not_string", name, {{"field", name}});
    return std::nullopt;
  }
  std::string v = it->get<std::string>();
  if (v.find_first_not_of(" \t\n") == std::string::npos) {
    if (required) p.Add("field.required", name, {{"field", name}});
    return std::nullopt;
  }
  if (v.size() > max) {
    p.Add("field.too_long", name, {{"field", name}, {"max", std::to_string(max)}});
    return std::nullopt;
  }
  return v;
}

std::optional<TimePoint> Instant(const json& body, const std::string& name, Problems& p) {
  auto v = Text(body, name, 40, true, p);
  if (!v) return std::nullopt;
  auto t = ParseTimestamp(*v);
  if (!t) {
    p.Add("empowerment.bad_timestamp", name, {{"field", name}, {"value", *v}});
    return std::nullopt;
  }
  return *t;
}

}  // namespace

std::vector<std::string> SessionDays(TimePoint starts_at, TimePoint ends_at) {
  using namespace std::chrono;
  std::vector<std::string> out;
  const sys_days first = floor<days>(starts_at + kCasablanca);
  const sys_days last = floor<days>(ends_at + kCasablanca);
  for (sys_days d = first; d <= last && out.size() <= static_cast<std::size_t>(kMaxSessionDays); d += days{1}) {
    out.push_back(DateOf(TimePoint(d)).ToString());
  }
  return out;
}

std::string CasablancaDayStart(const Date& d) {
  using namespace std::chrono;
  const sys_days day = year_month_day{year{d.year}, month{d.month}, std::chrono::day{d.day}};
  return FormatTimestamp(TimePoint(day) - kCasablanca);
}

int DaysToComplete(int day_count) { return (day_count * kCompletionPercent + 99) / 100; }

std::optional<std::string> CompletionDay(const std::vector<std::string>& days,
                                         const std::map<std::string, std::string>& marks) {
  const int needed = DaysToComplete(static_cast<int>(days.size()));
  if (needed == 0) return std::nullopt;
  int present = 0;
  for (const auto& d : days) {
    auto it = marks.find(d);
    if (it != marks.end() && it->second == "present" && ++present == needed) return d;
  }
  return std::nullopt;
}

std::string Initials(std::string_view given, std::string_view family) {
  // The first UTF-8 code point of each name (an Arabic letter is two bytes).
  auto first = [](std::string_view s) -> std::string {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (s.empty()) return "";
    std::size_t n = 1;
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    return std::string(s.substr(0, n)) + ".";
  };
  std::string g = first(given), f = first(family);
  if (g.empty()) return f;
  if (f.empty()) return g;
  return g + " " + f;
}

Result<Training> ReadTraining(const json& body) {
  Problems p;
  Training t;
  static const char* const kKnown[] = {"topic",        "title_ar", "title_fr",    "title_en",  "trainers", "capacity",
                                       "commune_code", "address",  "online_link", "starts_at", "ends_at"};
  for (const auto& [k, _] : body.items())
    if (!OneOf(k, kKnown)) p.Add("field.unknown", k, {{"name", k}});

  if (auto topic = Text(body, "topic", 40, true, p)) {
    if (OneOf(*topic, kTrainingTopics))
      t.topic = *topic;
    else
      p.Add("empowerment.bad_choice", "topic", {{"field", "topic"}, {"value", *topic}});
  }
  t.title_ar = Text(body, "title_ar", 200, true, p).value_or("");
  t.title_fr = Text(body, "title_fr", 200, true, p).value_or("");
  t.title_en = Text(body, "title_en", 200, false, p);

  auto trainers = body.find("trainers");
  if (trainers == body.end() || !trainers->is_array() || trainers->empty() || trainers->size() > 10) {
    p.Add("empowerment.trainers_invalid", "trainers", {{"max", "10"}});
  } else {
    for (std::size_t i = 0; i < trainers->size(); ++i) {
      const json& tr = (*trainers)[i];
      const std::string at = "trainers[" + std::to_string(i) + "]";
      if (!tr.is_object()) {
        p.Add("field.not_object", at, {{"field", at}});
        continue;
      }
      Problems inner;
      auto name = Text(tr, "name", 200, true, inner);
      auto user = Text(tr, "username", 100, false, inner);
      for (auto& q : inner.list) {
        q.field.insert(0, at + ".");
        for (auto& [k, v] : q.params)
          if (k == "field") v = q.field;
        p.list.push_back(std::move(q));
      }
      for (const auto& [k, _] : tr.items()) {
        if (k == "name" || k == "username") continue;
        std::string field = at;
        field += ".";
        field += k;
        p.Add("field.unknown", field, {{"name", field}});
      }
      if (name) t.trainers.push_back({*name, user});
    }
  }

  auto cap = body.find("capacity");
  if (cap == body.end() || !cap->is_number_integer() || cap->get<long long>() < 1 ||
      cap->get<long long>() > kMaxCapacity) {
    p.Add("field.out_of_range", "capacity",
          {{"field", "capacity"}, {"min", "1"}, {"max", std::to_string(kMaxCapacity)}});
  } else {
    t.capacity = cap->get<long long>();
  }

  t.commune_code = Text(body, "commune_code", 40, true, p).value_or("");
  t.address = Text(body, "address", 500, false, p);
  t.online_link = Text(body, "online_link", 500, false, p);
  if (t.address.has_value() == t.online_link.has_value()) {
    p.Add("empowerment.place_or_link", "address");
  } else if (t.online_link && t.online_link->rfind("https://", 0) != 0) {
    p.Add("empowerment.bad_link", "online_link", {{"value", *t.online_link}});
  }

  auto starts = Instant(body, "starts_at", p);
  auto ends = Instant(body, "ends_at", p);
  if (starts && ends) {
    if (*ends <= *starts) {
      p.Add("empowerment.ends_before_start", "ends_at");
    } else {
      t.days = SessionDays(*starts, *ends);
      if (t.days.size() > static_cast<std::size_t>(kMaxSessionDays)) {
        p.Add("empowerment.too_many_days", "ends_at", {{"max", std::to_string(kMaxSessionDays)}});
      }
      t.starts_at = FormatTimestamp(*starts);
      t.ends_at = FormatTimestamp(*ends);
    }
  }
  if (!p.list.empty()) return Failures(Code::kFailedPrecondition, "empowerment.training_invalid", std::move(p.list));
  return t;
}

}  // namespace sanad::empowerment
