// Administrative areas of Morocco and Algeria as plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sanad::geo {

// Valid from/to are ISO dates (YYYY-MM-DD) and compare as text; "to" is exclusive.
inline constexpr const char* kBeginningOfTime = "0000-01-01";
inline constexpr const char* kEndOfTime = "9999-12-31";

struct Area {
  std::string code;     // MA-01, MA-01.511, MA-01.511.01.01, DZ-16, DZ-1607
  std::string country;  // MA | DZ
  std::string level;    // region | province | commune
  std::string name_ar;
  std::string name_fr;
  std::optional<std::string> kind;  // prefecture/province, urban/rural
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<long long> population;
  std::optional<long long> households;
  std::string valid_from = kBeginningOfTime;
  std::string valid_to = kEndOfTime;
};

struct ParentLink {
  std::string code;
  std::string parent_code;
  std::string valid_from = kBeginningOfTime;
  std::string valid_to = kEndOfTime;
};

struct AncestorLink {
  std::string ancestor;
  std::string descendant;
  int depth = 0;
  std::string valid_from;
  std::string valid_to;
};

struct AreaSet {
  std::vector<Area> areas;
  std::vector<ParentLink> parents;
};

// The transitive closure of `parents` (every area is its own ancestor at depth 0). A link's validity is
// the intersection of the validities along its path; empty intersections are dropped.
std::vector<AncestorLink> ComputeAncestors(const AreaSet& set);

}  // namespace sanad::geo
