#include "text/arabic.h"

#include <gtest/gtest.h>

namespace sanad::text {
namespace {

TEST(NormalizeArabic, FoldsAlefHamzaForms) {
  EXPECT_EQ(NormalizeArabic("أحمد"), NormalizeArabic("احمد"));
  EXPECT_EQ(NormalizeArabic("إبراهيم"), "ابراهيم");
  EXPECT_EQ(NormalizeArabic("آمال"), "امال");
}

TEST(NormalizeArabic, FoldsTehMarbutaAlefMaqsuraAndHamzaSeats) {
  EXPECT_EQ(NormalizeArabic("فاطمة"), "فاطمه");
  EXPECT_EQ(NormalizeArabic("مصطفى"), "مصطفي");
  EXPECT_EQ(NormalizeArabic("عائشة"), "عايشه");
  EXPECT_EQ(NormalizeArabic("مؤمن"), "مومن");
}

TEST(NormalizeArabic, RemovesTatweelAndHarakat) {
  EXPECT_EQ(NormalizeArabic("بنــــي زمنزار"), "بني زمنزار");
  EXPECT_EQ(NormalizeArabic("مُحَمَّد"), "محمد");
}

TEST(NormalizeArabic, DecomposesLamAlefLigature) {
  EXPECT_EQ(NormalizeArabic("\uFEFB\uFEE0"), NormalizeArabic("لال"));  // presentation-form ﻻ + lam
}

TEST(NormalizeArabic, FoldsMaghrebiLetters) {
  EXPECT_EQ(NormalizeArabic("أݣادير"), NormalizeArabic("أكادير"));
  EXPECT_EQ(NormalizeArabic("ڨالمة"), "قالمه");
  EXPECT_EQ(NormalizeArabic("ڤيتو"), "فيتو");
}

TEST(NormalizeArabic, FoldsMaghrebiSpellingOfAlRahman) {
  EXPECT_EQ(NormalizeArabic("عبد الرحمان"), NormalizeArabic("عبد الرحمن"));
  EXPECT_EQ(NormalizeArabic("رحمان"), "رحمان");  // only after the article
}

TEST(NormalizeArabic, CollapsesPunctuationAndDigits) {
  EXPECT_EQ(NormalizeArabic("  محمد،  علي  "), "محمد علي");
  EXPECT_EQ(NormalizeArabic("٢٠٢٤"), "2024");
}

}  // namespace
}  // namespace sanad::text
