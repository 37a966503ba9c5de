// The JSON form of a programme (programme_json.h): every built-in template reads back equal to itself,
// and a malformed definition is refused naming the member's path.
#include "programs/programme_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "programs/templates.h"

namespace sanad::programs {
namespace {

using nlohmann::json;

TEST(ProgrammeJson, EveryTemplateRoundTrips) {
  for (const auto& p : BuiltinProgrammes()) {
    const json j = ProgrammeToJson(p);
    auto back = ProgrammeFromJson(json::parse(j.dump()));
    ASSERT_TRUE(back) << p.code << ": " << back.error().reason << " at " << back.error().field;
    EXPECT_EQ(*back, p) << p.code;
  }
}

TEST(ProgrammeJson, KeepsBudgetIncompatibleAndParameterTypes) {
  Programme p = *FindBuiltin("ASD");
  p.budget_minor = 1'200'000'000'00;
  p.incompatible = {"AFS"};
  const json j = ProgrammeToJson(p);
  EXPECT_EQ(j["budget_minor"], 1'200'000'000'00);
  EXPECT_TRUE(j["parameter_sets"][0]["params"]["asd.index_threshold"].is_number_float());
  EXPECT_TRUE(j["parameter_sets"][0]["params"]["asd.floor"].is_number_integer());
  EXPECT_EQ(j["parameter_sets"][0]["from"], "2023-12-01");
  auto back = ProgrammeFromJson(j);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, p);
}

std::string FieldOfError(const json& j) {
  auto p = ProgrammeFromJson(j);
  return p ? std::string("ok") : p.error().reason + " " + p.error().field;
}

// Whether the public simulator offers a programme is part of its definition. A definition that does not
// say (saved before the setting existed) is public when it is a built-in one, as it was then; any other
// is not until someone decides it.
TEST(ProgrammeJson, APublicProgrammeIsDecidedAndTheBuiltInOnesArePublic) {
  for (const auto& p : BuiltinProgrammes()) EXPECT_TRUE(p.is_public) << p.code;
  json asd = ProgrammeToJson(*FindBuiltin("ASD"));
  EXPECT_EQ(asd["public"], true);
  asd.erase("public");
  EXPECT_TRUE(ProgrammeFromJson(asd)->is_public);
  json copy = asd;
  copy["code"] = "ASD_PILOT";
  EXPECT_FALSE(ProgrammeFromJson(copy)->is_public);
  copy["public"] = true;
  EXPECT_TRUE(ProgrammeFromJson(copy)->is_public);
  asd["public"] = false;
  EXPECT_FALSE(ProgrammeFromJson(asd)->is_public);
  asd["public"] = "yes";
  EXPECT_EQ(FieldOfError(asd), "field.not_boolean public");
}

TEST(ProgrammeJson, NamesTheMemberThatIsWrong) {
  const json asd = ProgrammeToJson(*FindBuiltin("ASD"));
  json j = asd;
  j["kind"] = "loan";
  EXPECT_EQ(FieldOfError(j), "value.not_allowed kind");
  j = asd;
  j["eligibility"][1]["rule"] = 3;
  EXPECT_EQ(FieldOfError(j), "field.not_string eligibility[1].rule");
  j = asd;
  j["parameter_sets"][1]["params"]["asd.floor"] = "five hundred";
  EXPECT_EQ(FieldOfError(j), "field.not_number parameter_sets[1].params.asd.floor");
  j = asd;
  j["parameter_sets"][2]["from"] = "2025-02-30";
  EXPECT_EQ(FieldOfError(j), "value.not_date parameter_sets[2].from");
  j = asd;
  j["one_offs"][0]["month"] = 13;
  EXPECT_EQ(FieldOfError(j), "field.out_of_range one_offs[0].month");
  j = asd;
  j["lines"][0]["colour"] = "red";
  EXPECT_EQ(FieldOfError(j), "field.unknown lines[0].colour");
  j = asd;
  j.erase("name_fr");
  EXPECT_EQ(FieldOfError(j), "field.required name_fr");
  j = asd;
  j["budget_minor"] = -1;
  EXPECT_EQ(FieldOfError(j), "field.out_of_range budget_minor");
  j = asd;
  j["lines"][0]["rule"] = std::string(kMaxRuleBytes + 1, '1');
  EXPECT_EQ(FieldOfError(j), "field.too_long lines[0].rule");
}

}  // namespace
}  // namespace sanad::programs
