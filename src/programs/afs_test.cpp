// The AFS template (domain.md §2.3, decree 24-325): no proven income, then 7,000 DA or 12,000 DA per
// person in a category, per dependant for disabled children.
#include <gtest/gtest.h>

#include "programs/test_households.h"

namespace sanad::programs {
namespace {

using testing::LineAmount;
using testing::Member;
using testing::Simulated;

constexpr const char* kBase = "program.line.afs.base";
constexpr const char* kFull = "program.line.afs.full_disability";

MemberInput Person(std::string relationship, std::string sex, std::string birth_date, bool able_to_work = true,
                   std::int64_t disability_percent = 0, bool in_institution = false) {
  MemberInput m = Member(std::move(relationship), std::move(sex), std::move(birth_date));
  m.able_to_work = able_to_work;
  m.disability_percent = disability_percent;
  m.in_institution = in_institution;
  return m;
}

HouseholdInput AlgerianHousehold(std::vector<MemberInput> members) {
  HouseholdInput h;
  h.country = "DZ";
  h.has_proven_income = false;
  h.members = std::move(members);
  return h;
}

// Periods are in 2026: ages on 1 March 2026.
const MemberInput kAbleMan = Person("head", "M", "1980-01-01");
const MemberInput kAbleWife = Person("spouse", "F", "1982-01-01");

Simulation Afs(std::vector<MemberInput> members) {
  return Simulated("AFS", AlgerianHousehold(std::move(members)), "2026-03");
}

// domain.md §2.3 line 171: "a head of household physically unable to work" — 7,000 DA.
TEST(AfsTemplate, HeadUnableToWork) {
  auto s = Afs({Person("head", "M", "1975-01-01", false), kAbleWife});
  EXPECT_TRUE(s.eligible);
  EXPECT_EQ(s.lines, (std::vector<AmountLine>{{kBase, 7000}}));
  EXPECT_EQ(s.currency, "DZD");
}

// domain.md §2.3 line 172: "a person living alone who is unable to work".
TEST(AfsTemplate, PersonAloneUnableToWork) {
  EXPECT_EQ(Afs({Person("head", "M", "1975-01-01", false)}).monthly_amount, 7000);
}

// domain.md §2.3 line 173: "a woman head of household under 60" — aged 59 she qualifies; a man of the
// same age able to work does not.
TEST(AfsTemplate, WomanHeadUnder60) {
  EXPECT_EQ(Afs({Person("head", "F", "1966-06-01")}).monthly_amount, 7000);
  auto man = Afs({Person("head", "M", "1966-06-01"), kAbleWife});
  EXPECT_FALSE(man.eligible);
  EXPECT_EQ(man.reasons, (std::vector<Reason>{{"program.reason.no_afs_category", {}}}));
}

// domain.md §2.3 line 174: "a person over 60 not placed in an institution" — in an institution, nothing.
TEST(AfsTemplate, PersonOver60NotInInstitution) {
  EXPECT_EQ(Afs({kAbleMan, Person("parent", "F", "1950-01-01")}).monthly_amount, 7000);
  EXPECT_FALSE(Afs({kAbleMan, Person("parent", "F", "1950-01-01", true, 0, true)}).eligible);
}

// domain.md §2.3 line 175: "an infirm or incurable person over 18 with a chronic disabling illness or a
// disability card".
TEST(AfsTemplate, DisabledAdult) {
  EXPECT_EQ(Afs({kAbleMan, Person("sibling", "M", "2000-01-01", true, 80)}).monthly_amount, 7000);
}

// domain.md §2.3 line 176: "a family with a disabled dependant under 18 whose disability card is below
// 100%. This one is paid per dependant."
TEST(AfsTemplate, DisabledDependantsBelow100PerDependant) {
  auto s = Afs({kAbleMan, kAbleWife, Person("child", "M", "2015-01-01", true, 60),
                Person("child", "F", "2017-01-01", true, 99)});
  EXPECT_EQ(s.lines, (std::vector<AmountLine>{{kBase, 14000}}));
}

// domain.md §2.3 lines 178–179: 12,000 DA for "a person aged 18+ with a 100% disability card" and per
// 100%-disabled dependant under 18.
TEST(AfsTemplate, FullDisability) {
  EXPECT_EQ(Afs({kAbleMan, Person("sibling", "M", "2000-01-01", false, 100)}).lines,
            (std::vector<AmountLine>{{kFull, 12000}}));
  auto s = Afs({kAbleMan, kAbleWife, Person("child", "M", "2015-01-01", true, 100),
                Person("child", "F", "2017-01-01", true, 100), Person("child", "F", "2019-01-01", true, 70)});
  EXPECT_EQ(s.lines, (std::vector<AmountLine>{{kBase, 7000}, {kFull, 24000}}));
  EXPECT_EQ(s.monthly_amount, 31000);
}

// domain.md §2.3 line 169: the amounts are "for people without proven income".
TEST(AfsTemplate, ProvenIncomeExcludes) {
  auto h = AlgerianHousehold({Person("head", "M", "1975-01-01", false)});
  h.has_proven_income = true;
  auto s = Simulated("AFS", h, "2026-03");
  EXPECT_FALSE(s.eligible);
  EXPECT_EQ(s.reasons, (std::vector<Reason>{{"program.reason.has_proven_income", {}}}));
  EXPECT_EQ(LineAmount(s, kBase), 0);
}

// domain.md §2.3 line 169: decree 24-325 of 1 Oct 2024; an Algerian programme.
TEST(AfsTemplate, FromOctober2024InAlgeria) {
  auto before = Simulate(*FindBuiltin("AFS"), AlgerianHousehold({Person("head", "M", "1975-01-01", false)}), "2024-09");
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().reason, "program.no_parameters");
  auto moroccan = AlgerianHousehold({Person("head", "M", "1975-01-01", false)});
  moroccan.country = "MA";
  EXPECT_EQ(Simulated("AFS", moroccan, "2026-03").reasons,
            (std::vector<Reason>{{"program.reason.other_country", {{"country", "MA"}, {"programme_country", "DZ"}}}}));
}

}  // namespace
}  // namespace sanad::programs
