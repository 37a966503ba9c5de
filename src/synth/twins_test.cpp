#include "synth/twins.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "synth/generator.h"
#include "synth/identifiers.h"
#include "synth/test_support.h"

namespace sanad::synth {
namespace {

using testing::Reference;

Registry Make(Config config) {
  auto registry = Generate(Reference(), config);
  EXPECT_TRUE(registry) << registry.error().message;
  return registry ? std::move(*registry) : Registry{};
}

// Pairs of consecutive children of one original household born the same day with different given names.
std::size_t SameDaySiblings(const Registry& r) {
  const auto& P = r.persons;
  std::size_t n = 0;
  for (std::size_t h = 0; h < r.HouseholdCount(); ++h) {
    if (r.IsDuplicateHousehold(h)) continue;
    const std::size_t first = r.households.first_person[h], end = first + r.households.member_count[h];
    for (std::size_t a = first; a + 1 < end; ++a)
      n += P.relationship[a] == Relationship::kChild && P.relationship[a + 1] == Relationship::kChild &&
           P.birth_date[a] == P.birth_date[a + 1] && P.given_name[a] != P.given_name[a + 1];
  }
  return n;
}

TEST(Twins, AreTwoPersonsOfOneHouseholdBornTheSameDay) {
  const Registry none = Make({.households = 20000, .seed = 5, .duplicate_share = 0.1, .twin_share = 0});
  const Registry some = Make({.households = 20000, .seed = 5, .duplicate_share = 0.1, .twin_share = 0.05});
  const std::size_t before = SameDaySiblings(none), after = SameDaySiblings(some);
  EXPECT_LE(before, 5u);  // without twins, siblings born the same day are chance coincidences
  EXPECT_GT(after, before + 200) << "about 5 % of ~20,000 sibling pairs";
  const auto& P = some.persons;
  std::size_t twins = 0, twin_duplicates = 0;
  for (std::size_t h = 0; h < some.HouseholdCount(); ++h) {
    if (some.IsDuplicateHousehold(h)) continue;
    const std::size_t first = some.households.first_person[h], end = first + some.households.member_count[h];
    for (std::size_t a = first; a + 1 < end; ++a) {
      const std::size_t b = a + 1;
      if (P.relationship[a] != Relationship::kChild || P.relationship[b] != Relationship::kChild ||
          P.birth_date[a] != P.birth_date[b] || none.persons.birth_date[b] == P.birth_date[b])
        continue;
      ++twins;  // made a twin (its date changed from the twin-free registry of the same seed)
      EXPECT_NE(P.true_person[a], P.true_person[b]) << "truth: two persons";
      EXPECT_NE(P.given_name[a], P.given_name[b]);
      EXPECT_EQ(P.father_name_ar[a], P.father_name_ar[b]);
      EXPECT_EQ(P.family_name[a], P.family_name[b]);
      std::string ida, idb;
      AppendNationalId(ida, some, a);
      AppendNationalId(idb, some, b);
      if (!ida.empty()) {
        EXPECT_NE(ida, idb);
      }
    }
  }
  EXPECT_GT(twins, 200u);
  // A duplicate registration of a twin carries the twin's birth date.
  for (std::size_t q = 0; q < some.PersonCount(); ++q) {
    const std::size_t t = P.true_person[q];
    if (t == q || none.persons.birth_date[t] == P.birth_date[t]) continue;
    ++twin_duplicates;
    EXPECT_EQ(P.birth_date[q], P.birth_date[t]);
  }
  EXPECT_GT(twin_duplicates, 5u);
}

TEST(Twins, RejectsABadShare) {
  auto r = Generate(Reference(), {.households = 10, .twin_share = 1.5});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "twins");
}

TEST(MistypedIds, DuplicatesCarryOneSubstitutionOrOneAdjacentTransposition) {
  for (Country country : {Country::kMorocco, Country::kAlgeria}) {
    const Registry r = Make({.households = 20000, .country = country, .seed = 8, .duplicate_share = 0.2});
    const auto& P = r.persons;
    std::size_t typos = 0, transposed = 0;
    for (std::size_t q = 0; q < r.PersonCount(); ++q) {
      const auto state = static_cast<IdState>(P.national_id_state[q]);
      if (state != IdState::kTypo && state != IdState::kTransposed) continue;
      std::string id, original;
      AppendNationalId(id, r, q);
      AppendNationalId(original, r, P.true_person[q]);
      ASSERT_EQ(id.size(), original.size());
      std::vector<std::size_t> diff;
      for (std::size_t i = 0; i < id.size(); ++i)
        if (id[i] != original[i]) diff.push_back(i);
      if (state == IdState::kTypo) {
        ++typos;
        EXPECT_EQ(diff.size(), 1u) << original << " vs " << id;
      } else {
        ++transposed;
        ASSERT_EQ(diff.size(), 2u) << original << " vs " << id;
        EXPECT_EQ(diff[1], diff[0] + 1);
        EXPECT_EQ(id[diff[0]], original[diff[1]]);
        EXPECT_EQ(id[diff[1]], original[diff[0]]);
      }
    }
    EXPECT_GT(typos, 20u);
    EXPECT_GT(transposed, 5u);
  }
}

}  // namespace
}  // namespace sanad::synth
