// Child-protection risk flags on a case (issue 11 §5): early-marriage risk, school dropout, violence,
// abandonment, raised and cleared for a child of the case (a registry person, or the case itself).
// They are events of the timeline (kind "child_flag"); the flags in force are derived from them here,
// so the page and the timeline never disagree. Pure functions: no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sanad::cases {

inline constexpr std::string_view kChildFlags[] = {"early_marriage_risk", "school_dropout", "violence", "abandonment"};
bool IsChildFlag(std::string_view flag);

// One "child_flag" event: the flag, the child (nullopt: the case's child), raised or cleared, when, by.
struct ChildFlagEvent {
  std::string flag;
  std::optional<std::int64_t> person_id;
  bool raised = true;
  std::string at, by;
};

struct ActiveFlag {
  std::string flag;
  std::optional<std::int64_t> person_id;
  std::string since, raised_by;
};

// The flags raised and not cleared since, in the order they were (last) raised.
std::vector<ActiveFlag> ActiveChildFlags(const std::vector<ChildFlagEvent>& events);

}  // namespace sanad::cases
