#include "synth/generator.h"

#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <unordered_set>

#include <gtest/gtest.h>

#include "synth/calendar.h"
#include "synth/csv_writer.h"
#include "synth/identifiers.h"
#include "synth/test_support.h"

namespace sanad::synth {
namespace {

using testing::Reference;

Registry MakeRegistry(const Config& config) {
  auto registry = Generate(Reference(), config);
  EXPECT_TRUE(registry) << registry.error().message;
  return registry ? std::move(*registry) : Registry{};
}

std::string AllCsv(const Registry& r) {
  std::string out;
  FormatHouseholdRows(r, 0, r.HouseholdCount(), out);
  FormatPersonRows(r, 0, r.PersonCount(), out);
  return out;
}

// Commune codes read straight from the data files (independently of the loader).
std::set<std::string> CodesInFile(const std::string& file, const std::string& column, bool algeria) {
  std::ifstream in(std::string(SANAD_SOURCE_ROOT) + "/data/admin/" + file);
  std::string line;
  std::getline(in, line);
  const auto header = SplitCsvLine(line);
  const auto col = std::find(header.begin(), header.end(), column) - header.begin();
  std::set<std::string> codes;
  while (std::getline(in, line)) {
    const std::string code = SplitCsvLine(line)[static_cast<std::size_t>(col)];
    if (algeria)
      codes.insert("DZ-" + std::string(4 - std::min<std::size_t>(4, code.size()), '0') + code);
    else
      codes.insert("MA-" + code);
  }
  return codes;
}

TEST(Generate, SameSeedGivesIdenticalBytesWhateverTheThreadCount) {
  Config config{.households = 6000, .country = Country::kMorocco, .seed = 42};
  config.threads = 1;
  const std::string one = AllCsv(MakeRegistry(config));
  config.threads = 4;
  const std::string four = AllCsv(MakeRegistry(config));
  EXPECT_EQ(one, four);
  config.seed = 43;
  EXPECT_NE(one, AllCsv(MakeRegistry(config)));
}

TEST(Generate, EveryColumnHasOneValuePerRow) {
  const Registry r = MakeRegistry({.households = 3000, .country = Country::kAlgeria, .seed = 5});
  EXPECT_EQ(r.HouseholdCount(), 3000u);
#define SANAD_CHECK(type, name) EXPECT_EQ(r.households.name.size(), r.HouseholdCount()) << #name;
  SANAD_SYNTH_HOUSEHOLD_COLUMNS(SANAD_CHECK)
#undef SANAD_CHECK
#define SANAD_CHECK(type, name) EXPECT_EQ(r.persons.name.size(), r.PersonCount()) << #name;
  SANAD_SYNTH_PERSON_COLUMNS(SANAD_CHECK)
#undef SANAD_CHECK
}

TEST(Generate, MembersAreContiguousWithExactlyOneHeadFirst) {
  const Registry r = MakeRegistry({.households = 5000, .seed = 9});
  std::size_t expected_first = 0;
  for (std::size_t h = 0; h < r.HouseholdCount(); ++h) {
    ASSERT_EQ(r.households.first_person[h], expected_first);
    const std::size_t n = r.households.member_count[h];
    ASSERT_GE(n, 1u);
    int heads = 0;
    for (std::size_t p = expected_first; p < expected_first + n; ++p) {
      EXPECT_EQ(r.persons.household[p], h);
      heads += r.persons.relationship[p] == Relationship::kHead;
    }
    EXPECT_EQ(heads, 1) << "household " << h;
    EXPECT_EQ(r.persons.relationship[expected_first], Relationship::kHead);
    expected_first += n;
  }
  EXPECT_EQ(expected_first, r.PersonCount());
}

double MeanOriginalSize(const Registry& r) {
  double members = 0, households = 0;
  for (std::size_t h = 0; h < r.HouseholdCount(); ++h) {
    if (r.IsDuplicateHousehold(h)) continue;
    members += r.households.member_count[h];
    households += 1;
  }
  return members / households;
}

TEST(Generate, HouseholdSizeMatchesTheCensusOrderOfMagnitude) {
  // Morocco RGPH 2024: 36.8 M people in 9.28 M households = 3.97 per household.
  EXPECT_NEAR(MeanOriginalSize(MakeRegistry({.households = 20000, .seed = 1})), 3.97, 0.3);
  // Algeria: assumed 4.6 urban / 5.3 rural.
  const double dz = MeanOriginalSize(MakeRegistry({.households = 20000, .country = Country::kAlgeria, .seed = 1}));
  EXPECT_GT(dz, 4.3);
  EXPECT_LT(dz, 5.6);
}

TEST(Generate, RuralShareIsNearTheData) {
  const Registry r = MakeRegistry({.households = 30000, .seed = 3, .duplicate_share = 0});
  double rural = 0;
  for (auto u : r.households.urban) rural += u == 0;
  EXPECT_NEAR(rural / static_cast<double>(r.HouseholdCount()), 3'247'625.0 / 9'275'038.0, 0.02);
}

TEST(Generate, EveryCommuneCodeExistsInTheData) {
  const auto ma_codes = CodesInFile("ma_communes_1503.csv", "code", false);
  const auto dz_codes = CodesInFile("dz_communes_1541.csv", "code_commune", true);
  for (auto [country, codes] : {std::pair{Country::kMorocco, &ma_codes}, std::pair{Country::kAlgeria, &dz_codes}}) {
    const Registry r = MakeRegistry({.households = 5000, .country = country, .seed = 11});
    std::string csv;
    FormatHouseholdRows(r, 0, r.HouseholdCount(), csv);
    std::istringstream lines(csv);
    std::string line;
    while (std::getline(lines, line)) ASSERT_TRUE(codes->contains(SplitCsvLine(line)[1])) << line;
    for (std::size_t p = 0; p < r.PersonCount(); ++p) {
      ASSERT_TRUE(codes->contains(r.communes[r.persons.birth_commune[p]].area_code));
    }
  }
}

TEST(Generate, RegionRestrictsHouseholdCommunes) {
  const Registry r = MakeRegistry({.households = 3000, .seed = 2, .region = "MA-04"});
  for (auto c : r.households.commune) ASSERT_TRUE(r.communes[c].area_code.starts_with("MA-04"));
  const Registry algiers =
      MakeRegistry({.households = 1000, .country = Country::kAlgeria, .seed = 2, .region = "DZ-16"});
  for (auto c : algiers.households.commune) ASSERT_TRUE(algiers.communes[c].area_code.starts_with("DZ-16"));
}

TEST(Generate, RejectsBadConfig) {
  EXPECT_EQ(Generate(Reference(), {.households = 10, .region = "MA-99"}).error().field, "region");
  EXPECT_EQ(Generate(Reference(), {.households = 0}).error().code, Code::kInvalidArgument);
  EXPECT_EQ(Generate(Reference(), {.households = 10, .duplicate_share = 0.9}).error().field, "duplicates");
}

TEST(Generate, DuplicateShareIsWithinTolerance) {
  const Registry r = MakeRegistry({.households = 40000, .seed = 4, .duplicate_share = 0.05});
  double dup_h = 0, dup_p = 0;
  for (std::size_t h = 0; h < r.HouseholdCount(); ++h) dup_h += r.IsDuplicateHousehold(h);
  for (std::size_t p = 0; p < r.PersonCount(); ++p) dup_p += r.IsDuplicatePerson(p);
  EXPECT_NEAR(dup_h / static_cast<double>(r.HouseholdCount()), 0.05, 0.006);
  EXPECT_NEAR(dup_p / static_cast<double>(r.PersonCount()), 0.045, 0.012);

  const Registry none = MakeRegistry({.households = 5000, .seed = 4, .duplicate_share = 0});
  for (std::size_t p = 0; p < none.PersonCount(); ++p) ASSERT_FALSE(none.IsDuplicatePerson(p));
}

TEST(Generate, TruthColumnsPointAtTheOriginalPerson) {
  const Registry r = MakeRegistry({.households = 20000, .seed = 6, .duplicate_share = 0.1});
  const auto& P = r.persons;
  const auto& H = r.households;
  std::size_t duplicates = 0, changed_names = 0;
  for (std::size_t p = 0; p < r.PersonCount(); ++p) {
    const std::size_t t = P.true_person[p];
    if (t == p) continue;
    ++duplicates;
    ASSERT_LT(t, p);
    ASSERT_EQ(P.true_person[t], t) << "an original points at itself";
    EXPECT_EQ(P.sex[t], P.sex[p]);
    EXPECT_EQ(P.given_name[t], P.given_name[p]);
    EXPECT_EQ(P.relationship[t], P.relationship[p]);
    EXPECT_EQ(H.true_household[P.household[p]], P.household[t]) << "member of a duplicate of its household";
    EXPECT_LT(std::abs(P.birth_date[p] - P.birth_date[t]), 2 * 366) << "date errors stay small";
    changed_names += P.given_name_lat[p] != P.given_name_lat[t] || P.family_name_lat[p] != P.family_name_lat[t] ||
                     P.given_name_ar[p] != P.given_name_ar[t];
  }
  ASSERT_GT(duplicates, 1000u);
  const double share = static_cast<double>(changed_names) / static_cast<double>(duplicates);
  EXPECT_GT(share, 0.3);
  EXPECT_LT(share, 0.9);

  // In the CSV, true_person_id of a duplicate is the original's record_id.
  std::string csv;
  FormatPersonRows(r, 0, r.PersonCount(), csv);
  std::istringstream lines(csv);
  std::string line;
  std::size_t row = 0, checked = 0;
  while (std::getline(lines, line)) {
    const auto fields = SplitCsvLine(line);
    ASSERT_EQ(fields.size(), 27u);
    std::string expected;
    AppendRecordId(expected, P.true_person[row]);
    ASSERT_EQ(fields.back(), expected);
    if (P.true_person[row] == row) {
      ASSERT_EQ(fields.front(), fields.back());
    } else {
      ++checked;
    }
    ++row;
  }
  EXPECT_EQ(checked, duplicates);
}

TEST(Generate, SchoolingFollowsAge) {
  const Registry r = MakeRegistry({.households = 10000, .seed = 8});
  const int year = CivilFromDays(DaysFromCivil(2026, 1, 1)).year;
  std::size_t primary_age = 0, primary_enrolled = 0;
  for (std::size_t p = 0; p < r.PersonCount(); ++p) {
    if (r.IsDuplicatePerson(p)) continue;
    const int age = year - CivilFromDays(r.persons.birth_date[p]).year;
    const Schooling s = r.persons.schooling[p];
    if (age <= 5) {
      EXPECT_EQ(s, Schooling::kNotApplicable) << age;
    }
    if (s == Schooling::kPrimary) {
      EXPECT_LE(age, 13);
    }
    if (s == Schooling::kHigher) {
      EXPECT_GE(age, 17);
    }
    if (age >= 7 && age <= 11) {
      ++primary_age;
      primary_enrolled += s == Schooling::kPrimary;
    }
    if (r.persons.disability_type[p] == DisabilityType::kNone) {
      EXPECT_EQ(r.persons.disability_percent[p], 0);
    } else {
      EXPECT_GE(r.persons.disability_percent[p], 20);
    }
  }
  EXPECT_GT(static_cast<double>(primary_enrolled) / static_cast<double>(primary_age), 0.85);
}

TEST(Generate, LatentConsumptionDrivesAssetsAndThresholdShares) {
  const Registry r = MakeRegistry({.households = 30000, .seed = 12, .duplicate_share = 0});
  double with_car = 0, n_car = 0, without = 0, n_without = 0, poor = 0;
  for (std::size_t h = 0; h < r.HouseholdCount(); ++h) {
    const double y = r.households.latent_log_consumption[h];
    (r.households.has_car[h] ? with_car : without) += y;
    (r.households.has_car[h] ? n_car : n_without) += 1;
    poor += y <= 9.743001;
  }
  EXPECT_GT(with_car / n_car, without / n_without + 0.3);
  EXPECT_NEAR(poor / static_cast<double>(r.HouseholdCount()), 0.40, 0.12);  // ASD covers ≈ 40% of households
}

TEST(Identifiers, FormatsMatchTheNationalConventions) {
  const std::regex cin("^[A-Z]{1,2}[0-9]{1,6}$"), nin("^[0-9]{18}$");
  const std::regex ma_phone("^\\+212[67][0-9]{8}$"), dz_phone("^\\+213[567][0-9]{8}$");
  for (auto country : {Country::kMorocco, Country::kAlgeria}) {
    const Registry r = MakeRegistry({.households = 4000, .country = country, .seed = 21});
    std::unordered_set<std::string> ids;
    std::size_t with_id = 0;
    for (std::size_t p = 0; p < r.PersonCount(); ++p) {
      std::string id, phone;
      AppendNationalId(id, r, p);
      AppendPhone(phone, r, p);
      if (!id.empty()) {
        ++with_id;
        ASSERT_TRUE(std::regex_match(id, country == Country::kMorocco ? cin : nin)) << id;
        if (!r.IsDuplicatePerson(p)) {
          EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
        }
      }
      if (!phone.empty()) {
        ASSERT_TRUE(std::regex_match(phone, country == Country::kMorocco ? ma_phone : dz_phone)) << phone;
      }
    }
    EXPECT_GT(with_id, r.PersonCount() / 3);
  }
}

}  // namespace
}  // namespace sanad::synth
