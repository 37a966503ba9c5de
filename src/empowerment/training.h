// Training sessions of the women's empowerment platform (issue 13 §3, docs/empowerment.md#trainings), as
// pure rules: what a session is made of and how it is read from a request, its session days (local
// dates in Africa/Casablanca, UTC+1), and the completion rule over a woman's attendance.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time.h"

namespace sanad::empowerment {

inline constexpr const char* kTrainingTopics[] = {"digital_skills", "business_creation", "management", "other"};
inline constexpr const char* kAttendanceMarks[] = {"present", "absent", "excused"};
// Completed: present on at least this share of the session days (excused days count as not attended).
inline constexpr int kCompletionPercent = 80;
inline constexpr int kMaxSessionDays = 60;
inline constexpr long long kMaxCapacity = 500;

struct Trainer {
  std::string name;
  std::optional<std::string> username;  // a staff account, when the trainer has one
};

struct Training {
  std::string topic;
  std::string title_ar, title_fr;
  std::optional<std::string> title_en;
  std::vector<Trainer> trainers;
  long long capacity = 0;
  std::string commune_code;  // where it is held; an online session's organising commune (the scope)
  std::optional<std::string> address;
  std::optional<std::string> online_link;
  std::string starts_at, ends_at;  // ISO UTC (FormatTimestamp)
  std::vector<std::string> days;   // session days, YYYY-MM-DD in Casablanca time
};

// Reads a new session from a request body. Every bad field is named at once: 422
// `empowerment.training_invalid` with one problem per field. The commune's existence and scope are the
// store's to check.
Result<Training> ReadTraining(const nlohmann::json& body);

// The calendar days, in Casablanca time (UTC+1), from the start's to the end's, both included.
std::vector<std::string> SessionDays(TimePoint starts_at, TimePoint ends_at);

// The session day on which her attendance reached the completion rule (present on at least
// kCompletionPercent % of `days`, walking the days in order), or nullopt. `marks`: day → mark.
std::optional<std::string> CompletionDay(const std::vector<std::string>& days,
                                         const std::map<std::string, std::string>& marks);

// The instant (ISO UTC) a Casablanca calendar day starts: 23:00 UTC the day before.
std::string CasablancaDayStart(const Date& day);

// Days she must attend out of `day_count` (the ceiling of 80 %).
int DaysToComplete(int day_count);

// "ف. ع." / "F. E.": the first letter of each name, all a public certificate check shows of her.
std::string Initials(std::string_view given, std::string_view family);

}  // namespace sanad::empowerment
