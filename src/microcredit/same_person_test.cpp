// Earlier borrowers found through the record-linkage comparisons, not only by person id
// (docs/microcredit.md "Same person"; decree 04-15: no earlier business-creation aid).
#include <gtest/gtest.h>

#include "microcredit/same_person.h"

namespace sanad::microcredit {
namespace {

PersonForMatch Fatima() {
  PersonForMatch p;
  p.person_id = 1;
  p.given_name_ar = "فاطمة";
  p.family_name_ar = "بن علي";
  p.given_name_lat = "Fatima";
  p.family_name_lat = "Benali";
  p.sex = "F";
  p.birth_date = "1985-03-07";
  return p;
}

TEST(SamePerson, ADuplicateRecordWithAnotherSpellingAndSwappedDateIsTheSamePerson) {
  PersonForMatch dup;
  dup.person_id = 2;
  dup.given_name_lat = "Fatma";
  dup.family_name_lat = "Ben Ali";
  dup.given_name_ar = "فاطمة";
  dup.family_name_ar = "بن علي";
  dup.sex = "F";
  dup.birth_date = "1985-07-03";  // day and month swapped
  PersonForMatch other = dup;
  other.person_id = 3;
  other.birth_date = "1979-11-21";
  PersonForMatch man = dup;
  man.person_id = 4;
  man.sex = "M";
  EXPECT_EQ(SamePersons(Fatima(), {dup, other, man}), std::vector<std::int64_t>{2});
}

TEST(SamePerson, TheNationalIdDecidesWhenBothHaveOne) {
  PersonForMatch applicant = Fatima();
  applicant.national_id = "109850123456789012";
  PersonForMatch same_id;
  same_id.person_id = 5;
  same_id.given_name_lat = "Zineb";
  same_id.birth_date = "1990-01-01";
  same_id.national_id = "109850123456789012";
  PersonForMatch other_id = Fatima();
  other_id.person_id = 6;
  other_id.national_id = "209990123456789999";
  EXPECT_EQ(SamePersons(applicant, {same_id, other_id}), std::vector<std::int64_t>{5});
}

TEST(SamePerson, NoCandidatesNoMatch) { EXPECT_TRUE(SamePersons(Fatima(), {}).empty()); }

}  // namespace
}  // namespace sanad::microcredit
