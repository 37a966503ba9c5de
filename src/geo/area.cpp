#include "geo/area.h"

#include <algorithm>
#include <unordered_map>

namespace sanad::geo {

std::vector<AncestorLink> ComputeAncestors(const AreaSet& set) {
  std::unordered_map<std::string, std::vector<const ParentLink*>> up;
  for (const auto& p : set.parents) up[p.code].push_back(&p);
  std::vector<AncestorLink> out;
  out.reserve(set.areas.size() * 3);
  for (const auto& a : set.areas) {
    out.push_back({a.code, a.code, 0, a.valid_from, a.valid_to});
    // Walk every path upwards, carrying the intersected validity window. Hierarchies are 2–3 deep.
    struct Step {
      std::string code;
      int depth;
      std::string from, to;
    };
    std::vector<Step> stack{{a.code, 0, a.valid_from, a.valid_to}};
    while (!stack.empty()) {
      Step s = std::move(stack.back());
      stack.pop_back();
      auto it = up.find(s.code);
      if (it == up.end()) continue;
      for (const ParentLink* p : it->second) {
        std::string from = std::max(s.from, p->valid_from);
        std::string to = std::min(s.to, p->valid_to);
        if (from >= to) continue;
        out.push_back({p->parent_code, a.code, s.depth + 1, from, to});
        stack.push_back({p->parent_code, s.depth + 1, from, to});
      }
    }
  }
  return out;
}

}  // namespace sanad::geo
