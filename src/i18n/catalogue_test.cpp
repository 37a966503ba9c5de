// The catalogues are complete and consistent: the same codes in ar, fr and en, the same placeholders
// in each language, and a text for every code the sources use (Failure, FailWith, Problem, MsgCode).
// The web front end imports these same files, so a code missing here is missing on screen too.
#include "i18n/catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace sanad::i18n {
namespace {

constexpr Lang kAll[] = {Lang::kAr, Lang::kFr, Lang::kEn};

TEST(Catalogue, SameCodesInEveryLanguage) {
  auto en = Codes(Lang::kEn);
  ASSERT_FALSE(en.empty());
  for (Lang l : kAll) EXPECT_EQ(Codes(l), en) << "catalogue " << LangTag(l) << " differs from en";
}

TEST(Catalogue, SamePlaceholdersInEveryLanguage) {
  for (const auto& code : Codes(Lang::kEn)) {
    auto en = Render(Lang::kEn, code);
    ASSERT_TRUE(en);
    auto want = Placeholders(*en);
    std::sort(want.begin(), want.end());
    for (Lang l : kAll) {
      auto text = Render(l, code);
      ASSERT_TRUE(text) << code;
      auto got = Placeholders(*text);
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, want) << code << " in " << LangTag(l);
    }
  }
}

std::set<std::string> CodesUsedInSources() {
  // A code literal right after the Code argument of Failure/FailWith, as the first member of a
  // Problem, or inside MsgCode("…").
  static const std::regex kUse(
      R"re((?:Failure|FailWith|Failures)\s*\(\s*Code::k\w+\s*,\s*"([a-z0-9_.]+)"|Problem\s*\{\s*"([a-z0-9_.]+)"|MsgCode\s*\(\s*"([a-z0-9_.]+)")re");
  std::set<std::string> used;
  const std::filesystem::path root = std::filesystem::path(SANAD_SOURCE_ROOT) / "src";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto& p = entry.path();
    if (!entry.is_regular_file() || (p.extension() != ".cpp" && p.extension() != ".h")) continue;
    if (p.stem().string().ends_with("_test")) continue;  // tests may use made-up codes on purpose
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), kUse), end; it != end; ++it) {
      for (size_t g = 1; g <= 3; ++g) {
        if ((*it)[g].matched) used.insert((*it)[g].str());
      }
    }
  }
  return used;
}

TEST(Catalogue, EveryCodeTheSourcesUseHasATextInEachLanguage) {
  auto used = CodesUsedInSources();
  EXPECT_FALSE(used.empty());
  for (const auto& code : used) {
    for (Lang l : kAll) EXPECT_TRUE(Render(l, code)) << "no " << LangTag(l) << " text for \"" << code << '"';
  }
}

TEST(Catalogue, RendersParametersAndFieldNames) {
  MessageParams p{{"field", "birth_date"}, {"value", "2030-01-01"}};
  EXPECT_EQ(Render(Lang::kEn, "field.in_future", p), "Date of birth cannot be in the future (2030-01-01).");
  EXPECT_EQ(Render(Lang::kFr, "field.in_future", p), "Date de naissance ne peut pas être dans le futur (2030-01-01).");
  EXPECT_EQ(Render(Lang::kAr, "no.such.code"), std::nullopt);
  // A field without a name entry shows the field itself rather than nothing.
  EXPECT_EQ(Render(Lang::kEn, "field.required", {{"field", "zzz"}}), "zzz is required.");
}

TEST(Catalogue, ErrorsFallBackToTheirMessageThenTheirCode) {
  Error coded{Code::kInvalidArgument, "English", "birth_date", 0, "field.required"};
  coded.params = {{"field", "birth_date"}};
  EXPECT_EQ(RenderError(Lang::kAr, coded), "تاريخ الازدياد مطلوب.");
  Error plain{Code::kNotFound, "no household 7", "", 0};
  EXPECT_EQ(RenderError(Lang::kEn, plain), "no household 7");
  EXPECT_EQ(RenderError(Lang::kFr, plain), "Introuvable.");
  Error bare{Code::kNotFound, "", "", 0};
  EXPECT_EQ(RenderError(Lang::kFr, bare), "Introuvable.");
}

}  // namespace
}  // namespace sanad::i18n
