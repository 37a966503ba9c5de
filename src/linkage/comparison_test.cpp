#include "linkage/comparison.h"

#include <gtest/gtest.h>

#include "linkage/test_util.h"

namespace sanad::linkage {
namespace {

using testing::Make;
using testing::RowOf;
using testing::Store;

TEST(DateLevel, GradesAgreement) {
  EXPECT_EQ(DateLevel(19800512, 19800512), 1);
  EXPECT_EQ(DateLevel(19800512, 19801205), 2);  // day and month swapped
  EXPECT_EQ(DateLevel(19800512, 19800518), 3);  // one digit
  EXPECT_EQ(DateLevel(19800512, 19810512), 3);  // one digit (year 1980 → 1981) wins over "year ±1"
  EXPECT_EQ(DateLevel(19800512, 19790512), 4);  // year −1, two digits differ
  EXPECT_EQ(DateLevel(19800512, 19800101), 5);  // presumed 1 January
  EXPECT_EQ(DateLevel(19800512, 19800927), 6);  // same year only
  EXPECT_EQ(DateLevel(19800512, 19650927), 7);
  EXPECT_EQ(DateLevel(0, 19800512), 0);
}

int NameLevelOf(const std::string& x, InField fx, const std::string& y, InField fy) {
  const auto s = Store({Make("a", {{fx, x}}), Make("b", {{fy, y}})});
  ComparisonSpec spec{"given_name", CompareKind::kName, Col::kGivenLat, false};
  return CompareLevel(s, spec, RowOf(s, "a"), RowOf(s, "b"));
}

TEST(NameComparison, Levels) {
  EXPECT_EQ(NameLevelOf("Mohammed", InField::kGivenLat, "MOHAMED", InField::kGivenLat), 1);       // same phonetic form
  EXPECT_EQ(NameLevelOf("محمد", InField::kGivenAr, "Mohamed", InField::kGivenLat), 2);            // cross-script key
  EXPECT_EQ(NameLevelOf("Abdelkader", InField::kGivenLat, "Abdelkadre", InField::kGivenLat), 2);  // same skeleton
  EXPECT_EQ(NameLevelOf("Abdelkader", InField::kGivenLat, "Abdelkaedr", InField::kGivenLat), 3);  // transposition
  EXPECT_EQ(NameLevelOf("Benmoussa", InField::kGivenLat, "Benmoussati", InField::kGivenLat), 4);
  EXPECT_EQ(NameLevelOf("مهدي", InField::kGivenAr, "Mohamed", InField::kGivenLat), 5);  // skeletons MHD / MHMD
  // M'hamed is one letter from Mohamed: never the exact or same-key level; the model weighs "one edit".
  EXPECT_EQ(NameLevelOf("Mhamed", InField::kGivenLat, "Mohamed", InField::kGivenLat), 3);
  EXPECT_EQ(NameLevelOf("Abdellaoui", InField::kGivenLat, "Abdellah", InField::kGivenLat), 4);  // JW 0.95, keys differ
  EXPECT_EQ(NameLevelOf("Mehdi", InField::kGivenLat, "Mohamed", InField::kGivenLat), 6);
  EXPECT_EQ(NameLevelOf("Mehdi", InField::kGivenLat, "", InField::kGivenLat), 0);
}

TEST(OneKeyingError, SubstitutionOrAdjacentTranspositionOnly) {
  EXPECT_TRUE(OneKeyingError("ab123456", "ab123457"));   // one substitution
  EXPECT_TRUE(OneKeyingError("ab123456", "xb123456"));   // first character
  EXPECT_TRUE(OneKeyingError("ab123456", "ab124356"));   // adjacent transposition
  EXPECT_TRUE(OneKeyingError("ab123456", "ab123465"));   // … at the end
  EXPECT_FALSE(OneKeyingError("ab123456", "ab123456"));  // equal
  EXPECT_FALSE(OneKeyingError("ab123456", "ab12345"));   // deletion: another id
  EXPECT_FALSE(OneKeyingError("ab123456", "ab1234567"));
  EXPECT_FALSE(OneKeyingError("ab123456", "ab153426"));  // non-adjacent swap
  EXPECT_FALSE(OneKeyingError("ab123456", "ab123465x"));
  EXPECT_FALSE(OneKeyingError("ab123456", "ab923457"));  // two substitutions
  EXPECT_FALSE(OneKeyingError("ab123456", "ab213465"));  // two transpositions
}

TEST(IdentifierComparison, ThreeLevelsOnTheNormalisedId) {
  const auto s = Store(
      {Make("a", {{InField::kNationalId, "AB 123456"}}), Make("b", {{InField::kNationalId, "ab123456"}}),
       Make("c", {{InField::kNationalId, "AB123465"}}), Make("d", {{InField::kNationalId, "AB128456"}}),
       Make("e", {{InField::kNationalId, "AB12345"}}), Make("f", {{InField::kNationalId, "CD654321"}}), Make("g", {})});
  const ComparisonSpec spec{"national_id", CompareKind::kIdentifier, Col::kNationalId, false};
  auto level = [&](const char* x, const char* y) { return CompareLevel(s, spec, RowOf(s, x), RowOf(s, y)); };
  EXPECT_EQ(LevelCount(CompareKind::kIdentifier), 3);
  EXPECT_EQ(level("a", "b"), 1);  // same id once case and spaces are normalised
  EXPECT_EQ(level("a", "c"), 2);  // two digits swapped
  EXPECT_EQ(level("a", "d"), 2);  // one digit mistyped
  EXPECT_EQ(level("a", "e"), 3);  // a digit missing: another id
  EXPECT_EQ(level("a", "f"), 3);
  EXPECT_EQ(level("a", "g"), 0);
  EXPECT_EQ(LevelLabel(CompareKind::kIdentifier, 2), "one substitution or adjacent transposition");
}

TEST(CommuneComparison, SameCommuneSameProvinceElse) {
  const auto s =
      Store({Make("a", {{InField::kCommune, "01.511.01.01"}}), Make("b", {{InField::kCommune, "01.511.01.01"}}),
             Make("c", {{InField::kCommune, "01.511.03.05"}}), Make("d", {{InField::kCommune, "04.281.05.11"}}),
             Make("e", {})});
  ComparisonSpec spec{"commune", CompareKind::kCommune, Col::kCommune, false};
  auto lv = [&](const char* x, const char* y) { return CompareLevel(s, spec, RowOf(s, x), RowOf(s, y)); };
  EXPECT_EQ(lv("a", "b"), 1);
  EXPECT_EQ(lv("a", "c"), 2);
  EXPECT_EQ(lv("a", "d"), 3);
  EXPECT_EQ(lv("a", "e"), 0);
}

TEST(ExactOrTypo, IdentifiersWithOneKeyingError) {
  const auto s =
      Store({Make("a", {{InField::kNationalId, "AB123456"}}), Make("b", {{InField::kNationalId, "ab 123456"}}),
             Make("c", {{InField::kNationalId, "AB123465"}}), Make("d", {{InField::kNationalId, "CD999999"}})});
  ComparisonSpec spec{"national_id", CompareKind::kExactOrTypo, Col::kNationalId, false};
  auto lv = [&](const char* x, const char* y) { return CompareLevel(s, spec, RowOf(s, x), RowOf(s, y)); };
  EXPECT_EQ(lv("a", "b"), 1);
  EXPECT_EQ(lv("a", "c"), 2);
  EXPECT_EQ(lv("a", "d"), 3);
}

TEST(Gamma, PacksOneLevelPerComparison) {
  const auto s = Store({Make("a", {{InField::kGivenLat, "Ali"}, {InField::kBirthDate, "1980-05-12"}}),
                        Make("b", {{InField::kGivenLat, "Ali"}, {InField::kBirthDate, "1980-12-05"}})});
  const std::vector<ComparisonSpec> specs = {{"given_name", CompareKind::kName, Col::kGivenLat, false},
                                             {"birth_date", CompareKind::kDate, Col::kSex, false},
                                             {"phone", CompareKind::kExact, Col::kPhone, false}};
  const auto g = ComputeGamma(s, specs, 0, 1);
  EXPECT_EQ(LevelOf(g, 0), 1);
  EXPECT_EQ(LevelOf(g, 1), 2);
  EXPECT_EQ(LevelOf(g, 2), 0);
}

}  // namespace
}  // namespace sanad::linkage
