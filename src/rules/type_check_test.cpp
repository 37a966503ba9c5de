// Type checking against a schema: every mistake is a coded error naming the place and what was expected.
#include "rules/type_check.h"

#include <gtest/gtest.h>

#include "i18n/catalogue.h"
#include "rules/parser.h"
#include "rules/plan.h"
#include "rules/test_error_params.h"
#include "rules/test_schema.h"

namespace sanad::rules {
namespace {

Error CheckError(std::string_view source) {
  auto plan = Compile(source, testing::TestSchema(), testing::TestParams());
  EXPECT_FALSE(plan) << source;
  return plan ? Error{} : plan.error();
}

TEST(RuleTypeCheck, AcceptsWellTypedRules) {
  for (const char* ok :
       {"urban && !receives_family_allowance && socio_economic_index <= 9.743001",
        "members.count(m, m.schooling in [\"primary\", \"lower_secondary\"]) + param(\"p.int\") * 2",
        "members.sum(m, m.weight) / 2 > param(\"p.dec\")", "members.exists(m, age(m.birth_date) >= 60)",
        "members.max(m, m.birth_date) < date(\"2020-01-01\")", "max(1, 2.5) == 2.5",
        "members.count(m, m.rank_by(birth_date, m.relationship == \"child\") == 1 && has(m.income))",
        "members.count(m, members.count(k, k.sex == \"F\") > 1)", "milieu == \"rural\" ? 1 : 0"}) {
    auto plan = Compile(ok, testing::TestSchema(), testing::TestParams());
    EXPECT_TRUE(plan) << ok << ": " << (plan ? "" : plan.error().reason);
  }
}

TEST(RuleTypeCheck, EnumValueNamesTheAllowedValues) {
  Error e = CheckError("members.count(m, m.schooling == \"primery\")");
  EXPECT_EQ(e.reason, "rule.enum_value");
  EXPECT_EQ(e.code, Code::kInvalidArgument);
  EXPECT_EQ(ParamOf(e, "name"), "schooling");
  EXPECT_EQ(ParamOf(e, "value"), "primery");
  EXPECT_EQ(ParamOf(e, "allowed"),
            "not_applicable, none, primary, lower_secondary, upper_secondary, higher, out_of_school");
  EXPECT_EQ(ParamOf(e, "column"), "33");
  EXPECT_EQ(CheckError("members.count(m, m.sex in [\"F\", \"X\"])").reason, "rule.enum_value");
  EXPECT_EQ(CheckError("\"town\" != milieu").reason, "rule.enum_value");
}

TEST(RuleTypeCheck, TypeMismatchSaysWhatWasExpected) {
  Error e = CheckError("1 + true");
  EXPECT_EQ(e.reason, "rule.type_mismatch");
  EXPECT_EQ(ParamOf(e, "expected"), "int_or_decimal");
  EXPECT_EQ(ParamOf(e, "found"), "bool");
  EXPECT_EQ(ParamOf(e, "column"), "5");
  e = CheckError("urban == 1");
  EXPECT_EQ(ParamOf(e, "expected"), "bool");
  EXPECT_EQ(ParamOf(e, "found"), "int");
  EXPECT_EQ(ParamOf(CheckError("milieu < \"urban\""), "expected"), "int_decimal_or_date");
  EXPECT_EQ(ParamOf(CheckError("urban ? 1 : \"x\""), "expected"), "int");
  EXPECT_EQ(ParamOf(CheckError("members.count(m, m.income)"), "expected"), "bool");
  EXPECT_EQ(ParamOf(CheckError("members.sum(m, m.birth_date) > 0"), "expected"), "int_or_decimal");
  EXPECT_EQ(ParamOf(CheckError("age(declared_income) > 1"), "expected"), "date");
  EXPECT_EQ(ParamOf(CheckError("declared_income in [1, \"a\"]"), "expected"), "int");
}

TEST(RuleTypeCheck, NamesAndScopes) {
  Error e = CheckError("urbain");
  EXPECT_EQ(e.reason, "rule.unknown_field");
  EXPECT_EQ(ParamOf(e, "name"), "urbain");
  EXPECT_NE(ParamOf(e, "allowed").find("urban"), std::string::npos);
  EXPECT_EQ(CheckError("members.count(m, m.age > 3)").reason, "rule.unknown_field");
  EXPECT_EQ(CheckError("m.income > 3").reason, "rule.unknown_variable");
  e = CheckError("members.count(m, members.count(k, k.income > m.income) > 0)");
  EXPECT_EQ(e.reason, "rule.outer_variable");
  EXPECT_EQ(ParamOf(e, "name"), "m");
  EXPECT_EQ(CheckError("members.count(m, k.rank_by(birth_date, true) == 1)").reason, "rule.unknown_variable");
  EXPECT_EQ(CheckError("members.count(m, m.rank_by(age, true) == 1)").reason, "rule.unknown_field");
  EXPECT_EQ(CheckError("members.count(m, m.rank_by(father_deceased, true) == 1)").reason, "rule.type_mismatch");
  EXPECT_EQ(CheckError("members.avg(m, m.income)").reason, "rule.unknown_function");
  EXPECT_EQ(CheckError("floor(2.5)").reason, "rule.unknown_function");
  e = CheckError("max(1)");
  EXPECT_EQ(e.reason, "rule.wrong_arity");
  EXPECT_EQ(ParamOf(e, "expected"), "2");
  e = CheckError("param(\"asd.child\") > 1");
  EXPECT_EQ(e.reason, "rule.unknown_param");
  EXPECT_EQ(ParamOf(e, "name"), "asd.child");
}

TEST(RuleTypeCheck, ResultMustBeOnePerHousehold) {
  // A member expression outside an aggregate has no single value per household.
  EXPECT_EQ(CheckError("members.count(m, true) > 0 && m.income > 0").reason, "rule.unknown_variable");
  auto tree = Parse("m.income");
  ASSERT_TRUE(tree);
  EXPECT_EQ(TypeCheck(**tree, testing::TestSchema(), {}).error().reason, "rule.unknown_variable");
  auto typed = Compile("urban", testing::TestSchema(), {}, Type::kInt);
  ASSERT_FALSE(typed);
  EXPECT_EQ(typed.error().reason, "rule.result_type");
  EXPECT_EQ(ParamOf(typed.error(), "expected"), "int");
  EXPECT_EQ(ParamOf(typed.error(), "found"), "bool");
}

// The errors read in the analyst's language, with the type names and expectations translated.
TEST(RuleTypeCheck, ErrorsRenderInEveryLanguage) {
  const Error e = CheckError("1 + true");
  EXPECT_EQ(i18n::RenderError(i18n::Lang::kEn, e),
            "Line 1, column 5: a value of type int or decimal is expected, found bool.");
  EXPECT_EQ(i18n::RenderError(i18n::Lang::kFr, e),
            "Ligne 1, colonne 5 : une valeur de type entier ou décimal est attendue, trouvé booléen (bool).");
  EXPECT_EQ(i18n::RenderError(i18n::Lang::kAr, e),
            "السطر \u20681\u2069، العمود \u20685\u2069: يُنتظر قيمة من نوع عدد صحيح أو عشري، ووُجد منطقي (bool).");
  const Error syntax = CheckError("(1 + 2");
  EXPECT_EQ(i18n::RenderError(i18n::Lang::kEn, syntax), "Line 1, column 7: expected ')', found the end of the rule.");
  const Error value = CheckError("members.count(m, m.sex == \"X\")");
  EXPECT_EQ(i18n::RenderError(i18n::Lang::kFr, value),
            "Ligne 1, colonne 27 : « X » n’est pas une valeur de sex ; valeurs admises : F, M.");
}

}  // namespace
}  // namespace sanad::rules
