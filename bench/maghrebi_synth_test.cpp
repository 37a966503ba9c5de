#include "maghrebi_synth.h"

#include <gtest/gtest.h>

#include <cctype>
#include <map>

#include "linkage/comparison.h"

namespace sanad::bench {
namespace {

using linkage::InField;

const std::string kRoot = SANAD_SOURCE_ROOT;

TEST(MistypeId, AlwaysOneSubstitutionOrAdjacentTransposition) {
  std::mt19937_64 rng(7);
  int swaps = 0, substitutions = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = i % 2 ? "AB123456" : "109870123456789012";
    const std::string typo = MistypeId(id, rng);
    ASSERT_TRUE(linkage::OneKeyingError(id, typo)) << id << " -> " << typo;
    std::size_t diff = 0;
    for (std::size_t k = 0; k < id.size(); ++k) diff += id[k] != typo[k];
    (diff == 1 ? substitutions : swaps) += 1;
    if (diff == 1) {  // a substitution keeps the class: a digit for a digit, a letter for a letter
      for (std::size_t k = 0; k < id.size(); ++k) {
        EXPECT_EQ(std::isdigit(static_cast<unsigned char>(id[k])) != 0,
                  std::isdigit(static_cast<unsigned char>(typo[k])) != 0);
      }
    }
  }
  EXPECT_GT(swaps, 500);
  EXPECT_GT(substitutions, 500);
  EXPECT_EQ(MistypeId("7", rng), "7");
}

SynthOptions Small() {
  SynthOptions o;
  o.records = 6000;
  o.seed = 11;
  o.twin_share = 0.05;
  o.id_typo_share = 0.3;
  return o;
}

TEST(GenerateMaghrebi, TwinsAreDifferentPersonsOfOneHouseholdBornTheSameDay) {
  const auto reg = GenerateMaghrebi(kRoot, Small());
  ASSERT_TRUE(reg.has_value()) << reg.error().message;
  ASSERT_GT(reg->twins.size(), 150u);  // about 5 % of ~4,400 persons
  std::size_t other_given = 0;
  for (const auto& [a, b] : reg->twins) {
    const auto &x = reg->records[a], &y = reg->records[b];
    EXPECT_NE(reg->person[a], reg->person[b]);  // the truth: two persons
    EXPECT_EQ(x[InField::kBirthDate], y[InField::kBirthDate]);
    EXPECT_EQ(x[InField::kCommune], y[InField::kCommune]);
    EXPECT_EQ(x[InField::kFatherAr], y[InField::kFatherAr]);
    EXPECT_EQ(x[InField::kPhone], y[InField::kPhone]);
    EXPECT_NE(x[InField::kNationalId].empty() ? "-" : x[InField::kNationalId], y[InField::kNationalId]);
    // Same family name in whichever script both carry; never the same given name and sex.
    if (!x[InField::kFamilyAr].empty() && !y[InField::kFamilyAr].empty()) {
      EXPECT_EQ(x[InField::kFamilyAr], y[InField::kFamilyAr]);
    }
    const bool same_sex = (x[InField::kSex] == "F") == (y[InField::kSex] == "F");
    if (!x[InField::kGivenAr].empty() && !y[InField::kGivenAr].empty() && same_sex) {
      EXPECT_NE(x[InField::kGivenAr], y[InField::kGivenAr]);
    }
    other_given += x[InField::kGivenAr] != y[InField::kGivenAr] || x[InField::kGivenLat] != y[InField::kGivenLat];
  }
  EXPECT_EQ(other_given, reg->twins.size());
}

TEST(GenerateMaghrebi, MistypedIdsDifferByOneKeyingError) {
  const auto reg = GenerateMaghrebi(kRoot, Small());
  ASSERT_TRUE(reg.has_value()) << reg.error().message;
  // The first record of each person is the original, keyed without error.
  std::map<std::uint32_t, std::string> original;
  std::size_t mistyped = 0;
  for (std::size_t i = 0; i < reg->records.size(); ++i) {
    const auto& id = reg->records[i][InField::kNationalId];
    auto [it, first] = original.try_emplace(reg->person[i], id);
    if (first || id.empty() || it->second.empty() || id == it->second) continue;
    EXPECT_TRUE(linkage::OneKeyingError(it->second, id)) << it->second << " vs " << id;
    ++mistyped;
  }
  EXPECT_GT(mistyped, 50u);
  EXPECT_LE(mistyped, reg->mistyped_ids);  // a typo on a record whose original has no id is not seen here
}

TEST(GenerateMaghrebi, DeterministicUnderTheSeedAndOffWhenRatesAreZero) {
  const auto a = GenerateMaghrebi(kRoot, Small()), b = GenerateMaghrebi(kRoot, Small());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->records.size(), b->records.size());
  for (std::size_t i = 0; i < a->records.size(); ++i) {
    EXPECT_EQ(a->records[i].id, b->records[i].id);
    EXPECT_EQ(a->records[i][InField::kNationalId], b->records[i][InField::kNationalId]);
    EXPECT_EQ(a->records[i][InField::kGivenLat], b->records[i][InField::kGivenLat]);
  }
  EXPECT_EQ(a->twins, b->twins);
  auto o = Small();
  o.twin_share = 0;
  o.id_typo_share = 0;
  const auto none = GenerateMaghrebi(kRoot, o);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->twins.empty());
  EXPECT_EQ(none->mistyped_ids, 0u);
}

}  // namespace
}  // namespace sanad::bench
