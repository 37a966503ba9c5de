// The ASD template (domain.md §1.1) simulated case by case: eligibility, the child allowance by year,
// rank and age, the floor, the flat allowance, the 6-child cap and the disability complement.
#include <gtest/gtest.h>

#include "programs/test_households.h"

namespace sanad::programs {
namespace {

using testing::Child;
using testing::LineAmount;
using testing::Member;
using testing::Simulated;

constexpr const char* kChildLine = "program.line.asd.child_allowance";
constexpr const char* kDisabilityLine = "program.line.asd.disability";
constexpr const char* kFloorLine = "program.line.asd.floor_top_up";
constexpr const char* kFlatLine = "program.line.asd.flat";

HouseholdInput Household(std::vector<MemberInput> children, double index = 9.0) {
  HouseholdInput h;
  h.country = "MA";
  h.socio_economic_index = index;
  h.receives_family_allowance = false;
  h.members = {Member("head", "M", "1980-01-01"), Member("spouse", "F", "1982-01-01")};
  for (auto& c : children) h.members.push_back(std::move(c));
  return h;
}

std::string March(int year) { return std::to_string(year) + "-03"; }

// domain.md §1.1 "Monthly child allowance", table "Child (rank 1–3)": rows age 0–5 / 6–20 in school /
// 6–20 not in school, columns Dec 2023–2024 / 2025 / 2026 (one child, before the floor).
TEST(AsdTemplate, RanksOneToThreeByYearAndAge) {
  struct Row {
    int year, age;
    std::optional<std::string> schooling;
    std::int64_t amount;
  };
  const Row rows[] = {
      {2024, 3, "not_applicable", 200}, {2024, 10, "primary", 200}, {2024, 15, "none", 150},
      {2025, 3, "not_applicable", 250}, {2025, 10, "primary", 250}, {2025, 15, "none", 175},
      {2026, 3, "not_applicable", 300}, {2026, 10, "primary", 300}, {2026, 15, "none", 200},
  };
  for (const auto& r : rows) {
    auto s = Simulated("ASD", Household({Child(r.year, r.age, r.schooling)}), March(r.year));
    EXPECT_TRUE(s.eligible);
    EXPECT_EQ(LineAmount(s, kChildLine), r.amount) << r.year << " age " << r.age;
    EXPECT_EQ(s.monthly_amount, 500) << "domain.md §1.1 floor: one child stays under 500";
  }
}

// domain.md §1.1 table "Child (rank 1–3)", first column "Dec 2023–2024": the 2024 amounts apply from
// December 2023; before, ASD had no parameters.
TEST(AsdTemplate, FirstAmountsFromDecember2023) {
  auto s = Simulated("ASD", Household({Child(2024, 3, "not_applicable")}), "2023-12");
  EXPECT_EQ(LineAmount(s, kChildLine), 200);
  auto before = Simulate(*FindBuiltin("ASD"), Household({Child(2024, 3, "not_applicable")}), "2023-11");
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().reason, "program.no_parameters");
}

// domain.md §1.1 table "Child (rank 4–6)": 36 for age 0–5 or 6–20 in school, 24 out of school, all
// years. Three elder children in school take ranks 1–3.
TEST(AsdTemplate, RanksFourToSixAllYears) {
  for (int year : {2024, 2025, 2026}) {
    const std::int64_t full = year == 2024 ? 200 : year == 2025 ? 250 : 300;
    for (auto [age, schooling, amount] : {std::tuple{4, "not_applicable", 36}, std::tuple{8, "primary", 36},
                                          std::tuple{9, "out_of_school", 24}, std::tuple{7, "none", 24}}) {
      auto s = Simulated("ASD",
                         Household({Child(year, 16, "upper_secondary"), Child(year, 14, "lower_secondary"),
                                    Child(year, 12, "primary"), Child(year, age, schooling)}),
                         March(year));
      EXPECT_EQ(LineAmount(s, kChildLine), 3 * full + amount) << year << " age " << age << " " << schooling;
    }
  }
}

// domain.md §1.1 "Children count only while under 21 (0–20 inclusive)" and the age bands 0–5 / 6–20:
// ages are completed years on the period's first day.
TEST(AsdTemplate, AgeBoundaries) {
  // Aged 20 on 1 March 2026 (born 2 March 2005): a child, rank 1, out of school: 200.
  auto twenty = Simulated("ASD", Household({Member("child", "F", "2005-03-02", "none")}), "2026-03");
  EXPECT_EQ(LineAmount(twenty, kChildLine), 200);
  // Aged 21 that day (born 1 March 2005): no child under 21, the flat allowance.
  auto twenty_one = Simulated("ASD", Household({Member("child", "F", "2005-03-01", "none")}), "2026-03");
  EXPECT_EQ(LineAmount(twenty_one, kChildLine), 0);
  EXPECT_EQ(LineAmount(twenty_one, kFlatLine), 500);
  // Aged 5 out of school: the 0–5 amount (300 in 2026); aged 6 out of school: 200.
  auto five = Simulated("ASD", Household({Member("child", "M", "2020-03-02", "none")}), "2026-03");
  EXPECT_EQ(LineAmount(five, kChildLine), 300);
  auto six = Simulated("ASD", Household({Member("child", "M", "2020-03-01", "none")}), "2026-03");
  EXPECT_EQ(LineAmount(six, kChildLine), 200);
  // Unknown schooling counts as out of school; higher education as in school.
  EXPECT_EQ(LineAmount(Simulated("ASD", Household({Child(2026, 10, std::nullopt)}), "2026-03"), kChildLine), 200);
  EXPECT_EQ(LineAmount(Simulated("ASD", Household({Child(2026, 19, "higher")}), "2026-03"), kChildLine), 300);
}

// domain.md §1.1 line 82: "2025: a household with one 3-year-old, one 10-year-old in school and one
// 15-year-old out of school gets 250 + 250 + 175 = 675 DH. The same household in 2024 got 200 + 200 +
// 150 = 550 DH."
TEST(AsdTemplate, DerivedExamples675And550) {
  for (auto [year, amount] : {std::pair{2025, 675}, std::pair{2024, 550}, std::pair{2026, 800}}) {
    auto s = Simulated(
        "ASD", Household({Child(year, 3, "not_applicable"), Child(year, 10, "primary"), Child(year, 15, "none")}),
        March(year));
    EXPECT_TRUE(s.eligible);
    EXPECT_EQ(s.monthly_amount, amount) << year;
    EXPECT_EQ(s.lines, (std::vector<AmountLine>{{kChildLine, amount}})) << year;
    EXPECT_EQ(s.currency, "MAD");
  }
}

// domain.md §1.1 "Minimum per household": no eligible household gets less than 500 DH/month; the
// top-up line shows the difference (one 15-year-old out of school in 2025: 175 + 325).
TEST(AsdTemplate, FloorOf500) {
  auto s = Simulated("ASD", Household({Child(2025, 15, "none")}), "2025-03");
  EXPECT_EQ(s.lines, (std::vector<AmountLine>{{kChildLine, 175}, {kFloorLine, 325}}));
  EXPECT_EQ(s.monthly_amount, 500);
}

// domain.md §1.1 "Households without children under 21 (flat allowance): 500 DH/month per household,
// whatever the household size".
TEST(AsdTemplate, FlatAllowanceWithoutChildren) {
  auto s = Simulated("ASD", Household({Member("parent", "F", "1940-01-01")}), "2026-03");
  EXPECT_TRUE(s.eligible);
  EXPECT_EQ(s.lines, (std::vector<AmountLine>{{kFlatLine, 500}}));
}

std::vector<MemberInput> SevenChildrenInSchool(int year) {
  std::vector<MemberInput> children;
  for (int age : {20, 18, 16, 14, 12, 10, 8}) children.push_back(Child(year, age, "primary"));
  return children;
}

// domain.md §1.1 "at most 6 children count" and "Children beyond the 6th get nothing": 3 × 300 + 3 × 36
// in 2026, nothing for the 7th.
TEST(AsdTemplate, SixChildCap) {
  auto s = Simulated("ASD", Household(SevenChildrenInSchool(2026)), "2026-03");
  EXPECT_EQ(s.monthly_amount, 3 * 300 + 3 * 36);
}

// domain.md §1.1 "Children with a disability: an extra 100 DH/month per child [...] not limited by the
// 6-child cap": the disabled 7th child adds 100, and the threshold percent is a parameter (50).
TEST(AsdTemplate, DisabilityBeyondTheCap) {
  auto children = SevenChildrenInSchool(2026);
  children.back().disability_percent = 80;
  children.front().disability_percent = 50;
  children[1].disability_percent = 49;  // under the threshold: no complement
  auto s = Simulated("ASD", Household(children), "2026-03");
  EXPECT_EQ(LineAmount(s, kDisabilityLine), 200);
  EXPECT_EQ(s.monthly_amount, 3 * 300 + 3 * 36 + 200);
}

// domain.md §1.1 "Orphans of the father": the complement is a parameter, 0 until the decree confirms
// it; with a value, each child of a widowed mother heading the household gets it, beyond the cap too.
TEST(AsdTemplate, OrphanComplementIsAParameter) {
  auto h = Household(SevenChildrenInSchool(2026));
  h.members[0] = Member("head", "F", "1980-01-01");
  h.members[0].marital_status = "widowed";
  EXPECT_EQ(Simulated("ASD", h, "2026-03").monthly_amount, 3 * 300 + 3 * 36);
  Programme asd = *FindBuiltin("ASD");
  for (auto& set : asd.parameter_sets) set.params["asd.orphan_complement"] = std::int64_t{100};
  auto s = Simulated(asd, h, "2026-03");
  EXPECT_EQ(LineAmount(s, "program.line.asd.orphan"), 700);
  EXPECT_EQ(s.monthly_amount, 3 * 300 + 3 * 36 + 700);
}

// domain.md §1.1 line 63: "School-start grant (each September, from 2024, decree 2.24.706): 200 DH per
// child in primary or lower-secondary school and 300 DH per child in upper-secondary school [...] at most
// 6 children" — a one-off beside the monthly amount, only in September and only from 2024.
TEST(AsdTemplate, SchoolStartGrant) {
  const auto h = Household({Child(2024, 17, "upper_secondary"), Child(2024, 12, "lower_secondary"),
                            Child(2024, 8, "primary"), Child(2024, 4, "not_applicable"), Child(2024, 19, "higher")});
  auto september = Simulated("ASD", h, "2024-09");
  EXPECT_EQ(september.one_offs, (std::vector<AmountLine>{{"program.line.asd.school_start_grant", 300 + 200 + 200}}));
  EXPECT_EQ(september.monthly_amount, Simulated("ASD", h, "2024-08").monthly_amount);
  EXPECT_TRUE(Simulated("ASD", h, "2024-08").one_offs.empty());
  EXPECT_TRUE(Simulated("ASD", h, "2024-10").one_offs.empty());
  // The cap: seven children in primary school, six grants.
  std::vector<MemberInput> seven;
  for (int age = 6; age <= 12; ++age) seven.push_back(Child(2025, age, "primary"));
  EXPECT_EQ(Simulated("ASD", Household(seven), "2025-09").one_offs,
            (std::vector<AmountLine>{{"program.line.asd.school_start_grant", 6 * 200}}));
  // A household that is not eligible gets no grant.
  EXPECT_TRUE(Simulated("ASD", Household(seven, 10.0), "2025-09").one_offs.empty());
}

// domain.md §1.1 "Eligibility": index ≤ 9.743001 (line 35) and no family allowance (line 36).
TEST(AsdTemplate, Eligibility) {
  EXPECT_TRUE(Simulated("ASD", Household({}, 9.743001), "2026-03").eligible);
  auto above = Simulated("ASD", Household({}, 9.7430011), "2026-03");
  EXPECT_FALSE(above.eligible);
  EXPECT_EQ(above.monthly_amount, 0);
  EXPECT_TRUE(above.lines.empty());
  EXPECT_EQ(above.reasons, (std::vector<Reason>{{"program.reason.index_above_threshold",
                                                 {{"index", "9.7430011"}, {"threshold", "9.743001"}}}}));
  auto allowance = Household({});
  allowance.receives_family_allowance = true;
  EXPECT_EQ(Simulated("ASD", allowance, "2026-03").reasons,
            (std::vector<Reason>{{"program.reason.receives_family_allowance", {}}}));
  auto unknown = Household({});
  unknown.socio_economic_index.reset();
  EXPECT_EQ(Simulated("ASD", unknown, "2026-03").reasons,
            (std::vector<Reason>{
                {"program.reason.not_computable", {{"condition", "program.reason.index_above_threshold"}}}}));
  auto algerian = Household({});
  algerian.country = "DZ";
  EXPECT_FALSE(Simulated("ASD", algerian, "2026-03").eligible);
}

TEST(AsdTemplate, BadPeriod) {
  for (const char* period : {"2026-3", "2026-13", "2026-03-01", ""}) {
    auto s = Simulate(*FindBuiltin("ASD"), Household({}), period);
    ASSERT_FALSE(s) << period;
    EXPECT_EQ(s.error().reason, "program.bad_period");
  }
}

}  // namespace
}  // namespace sanad::programs
