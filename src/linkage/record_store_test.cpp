#include "linkage/record_store.h"

#include <gtest/gtest.h>

#include "linkage/test_util.h"

namespace sanad::linkage {
namespace {

using testing::Make;
using testing::RowOf;
using testing::Store;

TEST(ParseDate, ReadsTheUsualFormats) {
  EXPECT_EQ(ParseDate("1980-05-12"), 19800512);
  EXPECT_EQ(ParseDate("19800512"), 19800512);
  EXPECT_EQ(ParseDate("12/05/1980"), 19800512);
  EXPECT_EQ(ParseDate("1980"), 19800000);
  EXPECT_EQ(ParseDate(" 1980-05-12 "), 19800512);
}

TEST(ParseDate, RejectsGarbage) {
  EXPECT_EQ(ParseDate(""), 0);
  EXPECT_EQ(ParseDate("yesterday"), 0);
  EXPECT_EQ(ParseDate("1980-13-01"), 0);
  EXPECT_EQ(ParseDate("0000-01-01"), 0);
}

TEST(DefaultProvinceOf, DropsTheLastTwoPartsOfMoroccanCodes) {
  EXPECT_EQ(DefaultProvinceOf("01.511.01.01"), "01.511");
  EXPECT_EQ(DefaultProvinceOf("04.281.05.11"), "04.281");
  EXPECT_EQ(DefaultProvinceOf("1601"), "16");  // Algerian wilaya 16, commune 01
  EXPECT_EQ(DefaultProvinceOf("x"), "");
}

TEST(RecordStore, NormalisesNamesIntoBothScriptsAndKeys) {
  const auto s = Store({Make("a", {{InField::kGivenLat, "Mohammed"}, {InField::kFamilyAr, "بن علي"}}),
                        Make("b", {{InField::kGivenAr, "محمد"}, {InField::kFamilyLat, "Benali"}})});
  const auto a = RowOf(s, "a"), b = RowOf(s, "b");
  EXPECT_EQ(s.Value(Col::kGivenLat, a), "mohamed");
  EXPECT_EQ(s.Id(Col::kGivenAr, a), 0u);
  EXPECT_EQ(s.Id(Col::kGivenKey, a), s.Id(Col::kGivenKey, b));
  EXPECT_EQ(s.Id(Col::kFamilyKey, a), s.Id(Col::kFamilyKey, b));
  EXPECT_EQ(s.Value(Col::kGivenKey, b), "MHMD");
}

TEST(RecordStore, PutsArabicWrittenInALatinColumnWithTheArabic) {
  const auto s = Store({Make("a", {{InField::kGivenLat, "أحمد"}})});
  EXPECT_EQ(s.Id(Col::kGivenLat, 0), 0u);
  EXPECT_NE(s.Id(Col::kGivenAr, 0), 0u);
}

TEST(RecordStore, PhonesCompareOnTheirLastNineDigits) {
  const auto s = Store({Make("a", {{InField::kPhone, "+212 6 61 23 45 67"}}),
                        Make("b", {{InField::kPhone, "0661234567"}}), Make("c", {{InField::kPhone, "12"}})});
  EXPECT_EQ(s.Id(Col::kPhone, RowOf(s, "a")), s.Id(Col::kPhone, RowOf(s, "b")));
  EXPECT_EQ(s.Id(Col::kPhone, RowOf(s, "c")), 0u);  // too short to be a number
}

TEST(RecordStore, RowOrderMapsBackToInputOrder) {
  const auto s = Store({Make("z", {{InField::kFamilyLat, "Zerouali"}}), Make("a", {{InField::kFamilyLat, "Alaoui"}}),
                        Make("m", {{InField::kFamilyLat, "Mansouri"}})});
  for (std::uint32_t i = 0; i < s.size(); ++i) EXPECT_EQ(s.InputIndex(s.RowOfInput(i)), i);
  EXPECT_EQ(s.RecordId(s.RowOfInput(0)), "z");
  EXPECT_EQ(s.RecordId(s.RowOfInput(2)), "m");
}

TEST(RecordStore, CountsTermFrequencies) {
  const auto s = Store({Make("a", {{InField::kGivenLat, "Mohamed"}}), Make("b", {{InField::kGivenLat, "Mohammed"}}),
                        Make("c", {{InField::kGivenLat, "Anas"}}), Make("d", {})});
  EXPECT_EQ(s.dict(Col::kGivenLat).Count(s.Id(Col::kGivenLat, RowOf(s, "a"))), 2u);
  EXPECT_EQ(s.NonNull(Col::kGivenLat), 3u);
}

}  // namespace
}  // namespace sanad::linkage
