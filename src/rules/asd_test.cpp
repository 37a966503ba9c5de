// The ASD monthly amount (domain.md §1.1, "Amount algorithm") written in the rule language and
// evaluated on the derived examples of domain.md. The same rule text is printed in docs/rules.md; the
// last test keeps the two identical.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rules/plan.h"
#include "rules/test_schema.h"

namespace sanad::rules {
namespace {

using testing::BatchBuilder;

constexpr const char* kAsdRule = R"(# ASD monthly amount (domain.md §1.1)
members.count(c, c.relationship == "child" && age(c.birth_date) < 21) == 0
  ? param("asd.flat")
  : max(param("asd.floor"), members.sum(c,
      c.relationship == "child" && age(c.birth_date) < 21
        ? (c.rank_by(birth_date, c.relationship == "child" && age(c.birth_date) < 21) <= 3
             ? (age(c.birth_date) <= 5 ? param("asd.r1_3.young")
                : c.schooling in ["primary", "lower_secondary", "upper_secondary", "higher"]
                  ? param("asd.r1_3.school") : param("asd.r1_3.out"))
           : c.rank_by(birth_date, c.relationship == "child" && age(c.birth_date) < 21) <= 6
             ? (age(c.birth_date) <= 5
                || c.schooling in ["primary", "lower_secondary", "upper_secondary", "higher"]
                ? param("asd.r4_6.young_or_school")
                : param("asd.r4_6.out"))
             : 0)
          + (c.disability_percent >= param("asd.disability.min_percent") ? param("asd.disability") : 0)
        : 0)))";

// The amounts of domain.md §1.1's tables for one year.
Params AsdParams(int year) {
  const std::int64_t young = year <= 2024 ? 200 : year == 2025 ? 250 : 300;
  const std::int64_t out = year <= 2024 ? 150 : year == 2025 ? 175 : 200;
  return {{"asd.flat", std::int64_t{500}},
          {"asd.floor", std::int64_t{500}},
          {"asd.r1_3.young", young},
          {"asd.r1_3.school", young},
          {"asd.r1_3.out", out},
          {"asd.r4_6.young_or_school", std::int64_t{36}},
          {"asd.r4_6.out", std::int64_t{24}},
          {"asd.disability", std::int64_t{100}},
          {"asd.disability.min_percent", std::int64_t{50}}};
}

struct Person {
  std::string birth_date;
  std::string relationship = "child";
  std::string schooling = "none";
  std::int64_t disability_percent = 0;
};

// One amount per household, computed by the compiled rule over one batch holding all of them.
std::vector<std::int64_t> Amounts(const std::vector<std::vector<Person>>& households, int year) {
  auto plan = Compile(kAsdRule, testing::TestSchema(), AsdParams(year), Type::kInt);
  EXPECT_TRUE(plan) << plan.error().reason;
  if (!plan) return {};
  BatchBuilder b;
  auto& birth = b.Member("birth_date", Type::kDate);
  auto& rel = b.Member("relationship", Type::kString);
  auto& school = b.Member("schooling", Type::kString);
  auto& disability = b.Member("disability_percent", Type::kInt);
  for (const auto& people : households) {
    b.AddHousehold(static_cast<std::uint32_t>(people.size()));
    for (const auto& p : people) {
      birth.ints.push_back(DayNumber(*ParseDate(p.birth_date)));
      AddString(rel, p.relationship);
      AddString(school, p.schooling);
      disability.ints.push_back(p.disability_percent);
    }
  }
  auto values = Evaluate(*plan, b.batch(), Date{year, 3, 1});
  EXPECT_TRUE(values) << values.error().reason;
  if (!values) return {};
  for (auto p : values->present) EXPECT_EQ(p, 1);
  return values->ints;
}

const Person kHead{"1980-01-01", "head"};
const Person kSpouse{"1982-01-01", "spouse"};
// On 1 March of the year: aged 3, 10 in school, 15 out of school.
std::vector<Person> ThreeChildren(int year) {
  return {kHead,
          kSpouse,
          {std::to_string(year - 4) + "-06-01"},
          {std::to_string(year - 11) + "-06-01", "child", "primary"},
          {std::to_string(year - 16) + "-06-01", "child", "none"}};
}

// domain.md §1.1: "Example (derived), 2025: a household with one 3-year-old, one 10-year-old in school
// and one 15-year-old out of school gets 250 + 250 + 175 = 675 DH. The same household in 2024 got
// 200 + 200 + 150 = 550 DH."
TEST(AsdRule, DerivedExamplesOf2025And2024) {
  EXPECT_EQ(Amounts({ThreeChildren(2025)}, 2025), std::vector<std::int64_t>{675});
  EXPECT_EQ(Amounts({ThreeChildren(2024)}, 2024), std::vector<std::int64_t>{550});
}

// domain.md §1.1: "Minimum per household ("bouclier social"): no eligible household gets less than
// 500 DH/month" — one out-of-school 15-year-old computes 175 and gets the floor.
TEST(AsdRule, FloorOf500) {
  EXPECT_EQ(Amounts({{kHead, {"2009-06-01", "child", "none"}}}, 2025), std::vector<std::int64_t>{500});
}

// domain.md §1.1: "Households without children under 21 (flat allowance): 500 DH/month per household,
// whatever the household size" — adults only, and a child of 21 who no longer counts.
TEST(AsdRule, FlatAllowanceWithoutChildUnder21) {
  EXPECT_EQ(Amounts({{kHead, kSpouse}, {kHead, {"2004-02-01", "child", "upper_secondary"}}, {kHead}}, 2025),
            (std::vector<std::int64_t>{500, 500, 500}));
}

std::vector<Person> SevenChildrenInSchool() {
  std::vector<Person> h{kHead, kSpouse};
  for (int age : {20, 18, 16, 14, 12, 10, 8}) h.push_back({std::to_string(2024 - age) + "-06-01", "child", "primary"});
  return h;
}

// domain.md §1.1: "at most 6 children count" and "Children beyond the 6th get nothing": ranks 1-3 get
// 250 each and ranks 4-6 get 36 each in 2025 (3 x 250 + 3 x 36 = 858); the 7th, the youngest, nothing.
TEST(AsdRule, OnlySixChildrenCount) {
  EXPECT_EQ(Amounts({SevenChildrenInSchool()}, 2025), std::vector<std::int64_t>{858});
}

// domain.md §1.1: "Children with a disability: an extra 100 DH/month per child [...] not limited by the
// 6-child cap" — a disabled 7th child adds 100 although its base is 0.
TEST(AsdRule, DisabledSeventhChildStillGets100) {
  auto h = SevenChildrenInSchool();
  h.back().disability_percent = 80;
  EXPECT_EQ(Amounts({h}, 2025), std::vector<std::int64_t>{958});
}

// domain.md §1.1: ranks follow birth order, eldest first, so the out-of-school child's place decides
// between 175 (rank 1-3) and 24 (rank 4-6). Members are listed youngest first to check the rank does
// not follow member order.
TEST(AsdRule, RankIsBirthOrderNotMemberOrder) {
  std::vector<Person> h{kHead};
  for (int age : {8, 10, 12, 14}) h.push_back({std::to_string(2024 - age) + "-06-01", "child", "primary"});
  h.push_back({"2006-06-01", "child", "none"});  // 18, the eldest: rank 1, out of school
  EXPECT_EQ(Amounts({h}, 2025), std::vector<std::int64_t>{175 + 250 + 250 + 36 + 36});
}

TEST(AsdRule, DocsShowTheTestedRule) {
  std::ifstream in(std::string(SANAD_SOURCE_ROOT) + "/docs/rules.md");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(kAsdRule), std::string::npos) << "docs/rules.md must show kAsdRule verbatim";
}

}  // namespace
}  // namespace sanad::rules
