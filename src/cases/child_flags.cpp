#include "cases/child_flags.h"

#include <algorithm>

namespace sanad::cases {

bool IsChildFlag(std::string_view flag) {
  return std::find(std::begin(kChildFlags), std::end(kChildFlags), flag) != std::end(kChildFlags);
}

std::vector<ActiveFlag> ActiveChildFlags(const std::vector<ChildFlagEvent>& events) {
  std::vector<ActiveFlag> out;
  for (const auto& e : events) {
    auto same = [&](const ActiveFlag& a) { return a.flag == e.flag && a.person_id == e.person_id; };
    out.erase(std::remove_if(out.begin(), out.end(), same), out.end());
    if (e.raised) out.push_back({e.flag, e.person_id, e.at, e.by});
  }
  return out;
}

}  // namespace sanad::cases
