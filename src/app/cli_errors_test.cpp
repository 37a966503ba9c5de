#include "app/cli_errors.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace sanad::app {
namespace {

using i18n::Lang;

TEST(CliErrorText, ACodeOnlyErrorIsRenderedFromTheCatalogue) {
  auto e = Failure(Code::kInvalidArgument, "field.required", {{"field", "birth_date"}}, "birth_date").error();
  ASSERT_TRUE(e.message.empty());
  EXPECT_EQ(CliErrorText(e, Lang::kEn), "Date of birth is required. (birth_date) [field.required]");
  EXPECT_EQ(CliErrorText(e, Lang::kFr).rfind("Date de naissance", 0), 0u) << CliErrorText(e, Lang::kFr);
}

TEST(CliErrorText, EveryProblemOfAMultiProblemErrorHasALine) {
  auto e = Failures(Code::kInvalidArgument, "form.invalid",
                    {Problem{"field.required", "birth_date", {{"field", "birth_date"}}, ""},
                     Problem{"field.required", "sex", {{"field", "sex"}}, ""}})
               .error();
  EXPECT_EQ(CliErrorText(e, Lang::kEn),
            "Some fields need correcting. [form.invalid]\n"
            "  - Date of birth is required. (birth_date) [field.required]\n"
            "  - Sex is required. (sex) [field.required]");
}

TEST(CliErrorText, AnErrorWithoutCatalogueTextKeepsItsMessageAndNeverPrintsNothing) {
  Error plain{Code::kNotFound, "cannot open '/tmp/x.csv'", "file", 0};
  EXPECT_EQ(CliErrorText(plain, Lang::kAr), "cannot open '/tmp/x.csv' (file)");
  Error bare{Code::kNotFound, "", "", 0};
  EXPECT_FALSE(CliErrorText(bare, Lang::kEn).empty());
  Error unknown_code{Code::kInvalidArgument, "", "", 0, "no.such.code"};
  const std::string text = CliErrorText(unknown_code, Lang::kEn);
  EXPECT_NE(text.find("[no.such.code]"), std::string::npos) << text;
  EXPECT_NE(text.rfind(" [no.such.code]", 0), 0u) << "a generic text comes before the code: " << text;
}

TEST(CliErrorText, TheMessageAloneHasNoFieldCodeOrProblems) {
  auto e = Failure(Code::kInvalidArgument, "field.required", {{"field", "birth_date"}}, "birth_date").error();
  EXPECT_EQ(CliMessage(e, Lang::kEn), "Date of birth is required.");
  Error plain{Code::kInvalidArgument, "db: unsupported database URL", "db", 0};
  EXPECT_EQ(CliMessage(plain, Lang::kFr), "db: unsupported database URL");
}

TEST(CliLanguage, SanadLangThenTheLocale) {
  ::setenv("SANAD_LANG", "ar", 1);
  ::setenv("LANG", "fr_FR.UTF-8", 1);
  EXPECT_EQ(CliLanguage(), Lang::kAr);
  ::unsetenv("SANAD_LANG");
  ::unsetenv("LC_ALL");
  ::unsetenv("LC_MESSAGES");
  EXPECT_EQ(CliLanguage(), Lang::kFr);
  ::setenv("LC_ALL", "C", 1);  // the first variable set decides, as for the C library
  EXPECT_EQ(CliLanguage(), Lang::kEn);
  ::unsetenv("LC_ALL");
  ::unsetenv("LANG");
  EXPECT_EQ(CliLanguage(), Lang::kEn);
}

}  // namespace
}  // namespace sanad::app
