// Every built-in template compiles against the programme schema with each of its parameter sets, and
// every code it shows a person has a text in ar, fr and en.
#include <gtest/gtest.h>

#include "i18n/catalogue.h"
#include "programs/templates.h"
#include "rules/plan.h"

namespace sanad::programs {
namespace {

TEST(BuiltinTemplates, EveryRuleCompilesWithEveryParameterSet) {
  ASSERT_EQ(BuiltinProgrammes().size(), 4u);
  for (const auto& p : BuiltinProgrammes()) {
    ASSERT_FALSE(p.parameter_sets.empty()) << p.code;
    for (const auto& set : p.parameter_sets) {
      for (const auto& c : p.eligibility) {
        auto plan = rules::Compile(c.rule, ProgrammeSchema(), set.params, rules::Type::kBool);
        EXPECT_TRUE(plan) << p.code << " " << c.reason << ": " << (plan ? "" : plan.error().reason);
        for (const auto& [name, rule] : c.reason_params) {
          EXPECT_TRUE(rules::Compile(rule, ProgrammeSchema(), set.params)) << p.code << " " << name;
        }
      }
      for (const auto& l : p.lines) {
        auto plan = rules::Compile(l.rule, ProgrammeSchema(), set.params, rules::Type::kInt);
        EXPECT_TRUE(plan) << p.code << " " << l.label << ": " << (plan ? "" : plan.error().reason);
      }
      for (const auto& o : p.one_offs) {
        auto plan = rules::Compile(o.rule, ProgrammeSchema(), set.params, rules::Type::kInt);
        EXPECT_TRUE(plan) << p.code << " " << o.label << ": " << (plan ? "" : plan.error().reason);
      }
    }
  }
}

TEST(BuiltinTemplates, EveryCodeHasATextInEachLanguage) {
  for (const auto& p : BuiltinProgrammes()) {
    EXPECT_FALSE(p.name_ar.empty() || p.name_fr.empty() || p.name_en.empty()) << p.code;
    for (i18n::Lang lang : {i18n::Lang::kAr, i18n::Lang::kFr, i18n::Lang::kEn}) {
      for (const auto& c : p.eligibility) {
        EXPECT_TRUE(i18n::Render(lang, c.reason)) << c.reason;
        // program.reason.not_computable names the condition through condition_name.<reason>.
        EXPECT_TRUE(i18n::Render(lang, "condition_name." + c.reason)) << c.reason;
      }
      for (const auto& l : p.lines) EXPECT_TRUE(i18n::Render(lang, l.label)) << l.label;
      for (const auto& o : p.one_offs) EXPECT_TRUE(i18n::Render(lang, o.label)) << o.label;
    }
  }
}

// A condition that cannot be decided names it in the reader's language.
TEST(BuiltinTemplates, NotComputableNamesTheCondition) {
  EXPECT_EQ(i18n::Render(i18n::Lang::kEn, "program.reason.not_computable",
                         {{"condition", "program.reason.index_above_threshold"}}),
            "Eligibility cannot be decided: data is missing to check the socio-economic index against the threshold.");
}

}  // namespace
}  // namespace sanad::programs
