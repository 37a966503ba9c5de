#include "i18n/language.h"

#include <gtest/gtest.h>

namespace sanad::i18n {
namespace {

TEST(Language, NegotiatesByQualityThenOrder) {
  EXPECT_EQ(Negotiate("fr-FR,fr;q=0.9,ar;q=0.8", Lang::kEn), Lang::kFr);
  EXPECT_EQ(Negotiate("de, ar-MA;q=0.5, fr;q=0.4", Lang::kEn), Lang::kAr);
  EXPECT_EQ(Negotiate("en;q=0.2, fr;q=0.9", Lang::kAr), Lang::kFr);
  EXPECT_EQ(Negotiate("ar, fr", Lang::kEn), Lang::kAr);
}

TEST(Language, FallsBackWhenNothingMatches) {
  EXPECT_EQ(Negotiate("", Lang::kAr), Lang::kAr);
  EXPECT_EQ(Negotiate("de-DE, es;q=0.8", Lang::kFr), Lang::kFr);
  EXPECT_EQ(Negotiate("fr;q=0", Lang::kEn), Lang::kEn);
  EXPECT_EQ(Negotiate(";;;,,,q=", Lang::kEn), Lang::kEn);
  EXPECT_EQ(Negotiate("fr;q=abc", Lang::kEn), Lang::kEn);
}

TEST(Language, ParsesPrimarySubtag) {
  EXPECT_EQ(ParseLang("AR-dz"), Lang::kAr);
  EXPECT_EQ(ParseLang("fr_CA"), Lang::kFr);
  EXPECT_EQ(ParseLang("eng"), std::nullopt);
}

}  // namespace
}  // namespace sanad::i18n
