#include "text/latin.h"

#include <gtest/gtest.h>

namespace sanad::text {
namespace {

TEST(FoldLatin, LowercasesAndStripsAccents) {
  EXPECT_EQ(FoldLatin("Aïcha"), "aicha");
  EXPECT_EQ(FoldLatin("FATÉMA"), "fatema");
  EXPECT_EQ(FoldLatin("Saïd  BEN-ALI"), "said ben ali");
  EXPECT_EQ(FoldLatin("Ayşe"), "ayse");
}

TEST(FoldLatin, RemovesApostrophes) {
  EXPECT_EQ(FoldLatin("M'hamed"), "mhamed");
  EXPECT_EQ(FoldLatin("M’hamed"), "mhamed");
}

TEST(PhoneticLatin, MeetsFrancophoneAndAnglophoneSpellings) {
  EXPECT_EQ(PhoneticLatin("mohammed"), PhoneticLatin("mohamed"));
  EXPECT_EQ(PhoneticLatin("youcef"), PhoneticLatin("youssef"));
  EXPECT_EQ(PhoneticLatin("djamel"), PhoneticLatin("jamel"));
  EXPECT_EQ(PhoneticLatin("rachid"), PhoneticLatin("rashid"));
  EXPECT_EQ(PhoneticLatin("hanane"), "hanan");
  EXPECT_EQ(PhoneticLatin("yassine"), PhoneticLatin("yasin"));
  EXPECT_EQ(PhoneticLatin("fatimah"), PhoneticLatin("fatima"));
  EXPECT_EQ(PhoneticLatin("ouarda"), PhoneticLatin("warda"));
}

TEST(PhoneticLatin, KeepsDistinctNamesDistinct) {
  EXPECT_NE(PhoneticLatin("fatiha"), PhoneticLatin("fatima"));
  EXPECT_NE(PhoneticLatin("mehdi"), PhoneticLatin("mohamed"));
}

}  // namespace
}  // namespace sanad::text
