// Reading a registration (docs/empowerment.md §Registration): every invalid field named at once, the
// script of each name kept, cooperative members naming their cooperative, completion.
#include "empowerment/registration.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sanad::empowerment {
namespace {

using nlohmann::json;

const auto kAnyCommune = [](const std::string& c) { return c == "MA-03.231.01.03"; };

json Arabic() {
  return {{"kind", "auto_entrepreneur"},
          {"given_name", "فاطمة"},
          {"family_name", "العلوي"},
          {"birth_date", "1988-04-12"},
          {"phone", "0661234567"},
          {"commune_code", "MA-03.231.01.03"},
          {"situations", {"widow", "head_of_household"}}};
}

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  out.reserve(e.problems.size());
  for (const auto& p : e.problems) out.push_back(p.field);
  return out;
}

TEST(ReadRegistration, KeepsArabicNamesAndNormalisesThePhone) {
  auto r = ReadRegistration(Arabic(), "2026-12-05", kAnyCommune);
  ASSERT_TRUE(r) << r.error().reason;
  EXPECT_EQ(r->given_name_ar, "فاطمة");
  EXPECT_FALSE(r->given_name_lat);
  EXPECT_EQ(r->phone, "+212661234567");
  EXPECT_EQ(r->situations, (std::vector<std::string>{"widow", "head_of_household"}));
  EXPECT_EQ(MissingForCompletion(*r), (std::vector<std::string>{"education", "skills", "project_idea"}));
}

TEST(ReadRegistration, NamesEveryInvalidFieldAtOnce) {
  json j = Arabic();
  j.erase("given_name");
  j["phone"] = "12";
  j["commune_code"] = "MA-99.999.99.99";
  j["situations"] = {"widow", "rich"};
  j["bogus"] = 1;
  j["birth_date"] = "2015-01-01";  // 11 years old
  auto r = ReadRegistration(j, "2026-12-05", kAnyCommune);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(r.error().reason, "empowerment.registration_invalid");
  auto f = Fields(r.error());
  for (const char* want : {"given_name", "phone", "commune_code", "situations[1]", "bogus", "birth_date"}) {
    EXPECT_NE(std::find(f.begin(), f.end(), want), f.end()) << want;
  }
}

TEST(ReadRegistration, ACooperativeMemberNamesHerCooperative) {
  json j = Arabic();
  j["kind"] = "cooperative_member";
  auto missing = ReadRegistration(j, "2026-12-05", kAnyCommune);
  ASSERT_FALSE(missing);
  EXPECT_EQ(Fields(missing.error()), std::vector<std::string>{"cooperative"});
  j["cooperative"] = {{"name", "تعاونية الأمل"}, {"registration_number", "COOP-2019-114"}, {"sector", "crafts"}};
  auto r = ReadRegistration(j, "2026-12-05", kAnyCommune);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->cooperative);
  EXPECT_EQ(r->cooperative->registration_number, "COOP-2019-114");
  j["cooperative"]["sector"] = "banking";
  auto bad = ReadRegistration(j, "2026-12-05", kAnyCommune);
  ASSERT_FALSE(bad);
  EXPECT_EQ(Fields(bad.error()), std::vector<std::string>{"cooperative.sector"});
}

TEST(ReadRegistration, ItsJsonReadsBackToTheSameRegistration) {
  json j = Arabic();
  j["education"] = "secondary";
  j["skills"] = {"خياطة", "digital marketing"};
  j["project_idea"] = "ورشة خياطة للملابس التقليدية في الحي";
  auto r = ReadRegistration(j, "2026-12-05", kAnyCommune);
  ASSERT_TRUE(r);
  EXPECT_TRUE(MissingForCompletion(*r).empty());
  auto again = ReadRegistration(RegistrationJson(*r), "2026-12-05", kAnyCommune);
  ASSERT_TRUE(again);
  EXPECT_EQ(RegistrationJson(*again), RegistrationJson(*r));
}

TEST(ReadRegistration, RefusesAShortProjectIdeaAndRepeatedSkills) {
  json j = Arabic();
  j["project_idea"] = "خياطة";
  j["skills"] = {"x", "x"};
  auto r = ReadRegistration(j, "2026-12-05", kAnyCommune);
  ASSERT_FALSE(r);
  EXPECT_EQ(Fields(r.error()), (std::vector<std::string>{"project_idea", "skills[1]"}));
}

}  // namespace
}  // namespace sanad::empowerment
