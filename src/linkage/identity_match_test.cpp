// The duplicate check (docs/empowerment.md §Duplicates): the same woman in Arabic and in Latin letters
// is a probable duplicate; a different woman born the same day is not; a sister is never "the same".
#include "linkage/identity_match.h"

#include <gtest/gtest.h>

namespace sanad::linkage {
namespace {

Identity Arabic() {
  Identity p;
  p.id = 1;
  p.given_ar = "فاطمة";
  p.family_ar = "العلوي";
  p.birth_date = "1988-04-12";
  p.commune_code = "MA-03.231.01.03";
  p.phone = "+212661234567";
  return p;
}

TEST(ScoreCandidates, FindsTheSameWomanWrittenInLatinLetters) {
  Identity latin;
  latin.id = 2;
  latin.given_lat = "Fatima";
  latin.family_lat = "El Alaoui";
  latin.birth_date = "1988-04-12";
  latin.commune_code = "MA-03.231.01.05";  // another commune of the same province
  latin.phone = "+212600000000";
  const Identity candidates[] = {latin};
  auto m = ScoreCandidates(Arabic(), candidates);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].id, 2);
  EXPECT_GE(m[0].probability, kProbable);
  EXPECT_TRUE(m[0].same_given_name);
}

TEST(ScoreCandidates, LeavesOutAnotherWomanBornTheSameDay) {
  Identity other;
  other.id = 3;
  other.given_lat = "Naima";
  other.family_lat = "Berrada";
  other.birth_date = "1988-04-12";
  other.commune_code = "MA-03.231.01.03";
  const Identity candidates[] = {other};
  EXPECT_TRUE(ScoreCandidates(Arabic(), candidates).empty());
}

TEST(ScoreCandidates, ASisterSharingThePhoneIsNeverTheSameGivenName) {
  Identity sister = Arabic();
  sister.id = 4;
  sister.given_ar = "زينب";
  const Identity candidates[] = {sister};
  // Listed for review (same family name, birth date, commune and phone) but never "the same woman".
  auto m = ScoreCandidates(Arabic(), candidates);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_FALSE(m[0].same_given_name);
}

TEST(ScoreCandidates, RanksTheBestFirst) {
  Identity exact = Arabic();
  exact.id = 5;
  Identity typo = Arabic();
  typo.id = 6;
  typo.birth_date = "1988-04-13";
  typo.phone.clear();
  const Identity candidates[] = {typo, exact};
  auto m = ScoreCandidates(Arabic(), candidates);
  ASSERT_GE(m.size(), 1u);
  EXPECT_EQ(m[0].id, 5);
}

}  // namespace
}  // namespace sanad::linkage
