#include "geo/reference_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace sanad::geo {
namespace {

const AreaSet& Areas() {
  static AreaSet set = [] {
    auto r = LoadReferenceAreas(std::string(SANAD_SOURCE_ROOT) + "/data");
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }();
  return set;
}

std::map<std::string, int> CountByCountryLevel() {
  std::map<std::string, int> n;
  for (const auto& a : Areas().areas) n[a.country + "/" + a.level]++;
  return n;
}

TEST(ReferenceAreas, HoldMoroccosTwelveRegionsAndFifteenHundredThreeCommunes) {
  auto n = CountByCountryLevel();
  EXPECT_EQ(n["MA/region"], 12);
  EXPECT_EQ(n["MA/province"], 83);  // 75 prefectures/provinces + 8 Casablanca préfectures d'arrondissements
  EXPECT_EQ(n["MA/commune"], 1503);
}

TEST(ReferenceAreas, HoldAlgerias69WilayasAnd1541Communes) {
  auto n = CountByCountryLevel();
  EXPECT_EQ(n["DZ/province"], 69);
  EXPECT_EQ(n["DZ/commune"], 1541);
}

TEST(ReferenceAreas, CountFiftyEightWilayasBefore2027AndSixtyNineFrom2027) {
  auto valid_on = [](const std::string& day) {
    return std::count_if(Areas().areas.begin(), Areas().areas.end(), [&](const Area& a) {
      return a.country == "DZ" && a.level == "province" && a.valid_from <= day && day < a.valid_to;
    });
  };
  EXPECT_EQ(valid_on("2026-12-31"), 58);
  EXPECT_EQ(valid_on("2027-01-01"), 69);
}

TEST(ReferenceAreas, MoveAflouFromLaghouatToItsOwnWilayaOn2027) {
  auto ancestors = ComputeAncestors(Areas());
  auto parent_on = [&](const std::string& code, const std::string& day) {
    for (const auto& l : ancestors) {
      if (l.descendant == code && l.depth == 1 && l.valid_from <= day && day < l.valid_to) return l.ancestor;
    }
    return std::string();
  };
  EXPECT_EQ(parent_on("DZ-0319", "2026-06-01"), "DZ-03");
  EXPECT_EQ(parent_on("DZ-0319", "2027-06-01"), "DZ-59");
  EXPECT_EQ(parent_on("MA-01.511.01.01", "2026-06-01"), "MA-01.511");
}

TEST(ReferenceAreas, GiveEveryMoroccanCommuneButOneACentroid) {
  int without = 0;
  for (const auto& a : Areas().areas) {
    if (a.country == "MA" && a.level == "commune" && !a.lat) ++without;
  }
  EXPECT_EQ(without, 1);  // 04.281.05.11 has none in the source (PROVENANCE-ma-geo.md)
}

}  // namespace
}  // namespace sanad::geo
