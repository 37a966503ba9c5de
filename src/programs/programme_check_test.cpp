// Validating a programme (programme_check.h): the templates pass; a broken rule is reported at its
// member's path with its line and column; a parameter missing from one set names that set's date.
#include "programs/programme_check.h"

#include <gtest/gtest.h>

#include "programs/templates.h"

namespace sanad::programs {
namespace {

const std::vector<std::string> kOthers = {"ASD", "AMO_TADAMON", "AMO_ACHAMIL", "AFS"};

std::string Param(const Problem& p, std::string_view name) {
  for (const auto& [k, v] : p.params) {
    if (k == name) return v;
  }
  return "(none)";
}

TEST(ValidateProgramme, EveryTemplateIsValid) {
  for (const auto& p : BuiltinProgrammes()) {
    auto st = ValidateProgramme(p, kOthers);
    EXPECT_TRUE(st) << p.code << ": " << (st ? "" : st.error().problems[0].reason + " " + st.error().problems[0].field);
  }
}

TEST(ValidateProgramme, ReportsEveryBrokenRuleWithItsPathAndPosition) {
  Programme p = *FindBuiltin("ASD");
  p.eligibility[1].rule = "!receives_family_allowance &&\n  socio_economic_index <= ";  // ends too soon
  p.lines[2].rule = "members.count(c, c.age < 21)";                                     // no field "age"
  p.one_offs[0].rule = "true";                                                          // bool, not int
  auto st = ValidateProgramme(p, kOthers);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(st.error().reason, "program.invalid");
  const auto& problems = st.error().problems;
  ASSERT_EQ(problems.size(), 3U);
  EXPECT_EQ(problems[0].field, "eligibility[1].rule");
  EXPECT_EQ(problems[0].reason, "rule.unexpected_token");
  EXPECT_EQ(Param(problems[0], "line"), "2");
  EXPECT_EQ(Param(problems[0], "column"), "27");
  EXPECT_EQ(problems[1].field, "lines[2].rule");
  EXPECT_EQ(problems[1].reason, "rule.unknown_field");
  EXPECT_EQ(Param(problems[1], "line"), "1");
  EXPECT_EQ(Param(problems[1], "column"), "18");
  EXPECT_EQ(problems[2].field, "one_offs[0].rule");
  EXPECT_EQ(problems[2].reason, "rule.result_type");
  EXPECT_EQ(Param(problems[2], "expected"), "int");
}

TEST(ValidateProgramme, AParameterMissingFromOneSetNamesTheSet) {
  Programme p = *FindBuiltin("ASD");
  p.parameter_sets[2].params.erase("asd.floor");
  auto st = ValidateProgramme(p, kOthers);
  ASSERT_FALSE(st);
  const auto& problems = st.error().problems;
  ASSERT_EQ(problems.size(), 1U) << problems[0].reason;
  EXPECT_EQ(problems[0].reason, "program.param_missing_in_set");
  EXPECT_EQ(problems[0].field, "lines[3].rule");
  EXPECT_EQ(Param(problems[0], "name"), "asd.floor");
  EXPECT_EQ(Param(problems[0], "set"), "2025-01-01");
  EXPECT_NE(Param(problems[0], "line"), "(none)");
}

TEST(ValidateProgramme, AParameterThatChangesTypeIsNamedInItsSet) {
  Programme p = *FindBuiltin("ASD");
  p.parameter_sets[1].params["asd.floor"] = 500.5;
  auto st = ValidateProgramme(p, kOthers);
  ASSERT_FALSE(st);
  const auto& problems = st.error().problems;
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].reason, "program.param_type_differs");
  EXPECT_EQ(problems[0].field, "parameter_sets[1].params.asd.floor");
  // The floor line gives a decimal with that set only: reported with the set's date.
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_EQ(problems[1].field, "lines[3].rule");
  EXPECT_EQ(problems[1].reason, "rule.result_type");
  EXPECT_EQ(Param(problems[1], "set"), "2024-09-01");
}

TEST(ValidateProgramme, ChecksTheDefinitionItself) {
  Programme p = *FindBuiltin("AFS");
  p.code = "afs 2";
  p.currency = "MAD";
  p.incompatible = {"AFS", "NOPE"};
  p.parameter_sets.push_back(p.parameter_sets[0]);
  auto st = ValidateProgramme(p, kOthers);
  ASSERT_FALSE(st);
  std::vector<std::string> got;
  for (const auto& problem : st.error().problems) got.push_back(problem.reason + " " + problem.field);
  EXPECT_EQ(got, (std::vector<std::string>{"program.bad_code code", "program.currency_country currency",
                                           "program.not_found incompatible[1]",
                                           "program.duplicate_set_date parameter_sets[1].from"}));
}

TEST(CheckRule, WithoutParameterSetsCompilesAgainstNone) {
  EXPECT_TRUE(CheckRule("members.count(m, m.sex == \"F\") > 0", rules::Type::kBool, {}, "rule").empty());
  auto problems = CheckRule("param(\"x\") > 1", rules::Type::kBool, {}, "rule");
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].reason, "rule.unknown_param");
  EXPECT_EQ(problems[0].field, "rule");
}

}  // namespace
}  // namespace sanad::programs
