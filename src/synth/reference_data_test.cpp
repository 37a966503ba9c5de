#include "synth/reference_data.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "synth/test_support.h"

namespace sanad::synth {
namespace {

using testing::Reference;

bool HasCode(const std::vector<Commune>& communes, std::string_view code) {
  return std::any_of(communes.begin(), communes.end(), [&](const Commune& c) { return c.area_code == code; });
}

TEST(ReferenceData, LoadsEveryCommuneOfBothCountries) {
  const auto& ref = Reference();
  EXPECT_EQ(ref.morocco_communes.size(), 1503u);
  EXPECT_EQ(ref.algeria_communes.size(), 1541u);
  EXPECT_TRUE(HasCode(ref.morocco_communes, "MA-01.511.01.01"));
  EXPECT_TRUE(HasCode(ref.algeria_communes, "DZ-1607"));
  EXPECT_TRUE(HasCode(ref.algeria_communes, "DZ-0101"));
}

TEST(ReferenceData, MoroccanCommunesCarryHouseholdWeightsAndSizes) {
  double households = 0, urban = 0;
  for (const auto& c : Reference().morocco_communes) {
    households += c.household_weight;
    urban += c.household_weight * c.urban_probability;
    EXPECT_GE(c.mean_household_size, 2.0);
    EXPECT_LE(c.mean_household_size, 8.0);
    EXPECT_GE(c.region, 1);
    EXPECT_LE(c.region, 12);
  }
  EXPECT_NEAR(households, 9'275'038, 1);  // HCP RGPH 2024 total in the file
  EXPECT_NEAR(urban / households, 0.65, 0.01);
}

TEST(ReferenceData, NamesHaveBothScriptsAndVariants) {
  const auto& ref = Reference();
  EXPECT_EQ(ref.given_names.size(), 60u);
  EXPECT_EQ(ref.surnames.size(), 50u);
  const auto mohamed = std::find_if(ref.given_names.begin(), ref.given_names.end(),
                                    [](const NameEntry& e) { return e.latin == "Mohamed"; });
  ASSERT_NE(mohamed, ref.given_names.end());
  EXPECT_EQ(mohamed->arabic, "محمد");
  EXPECT_NE(std::find(mohamed->latin_variants.begin(), mohamed->latin_variants.end(), "Mohammed"),
            mohamed->latin_variants.end());
  const auto ahmed = std::find_if(ref.given_names.begin(), ref.given_names.end(),
                                  [](const NameEntry& e) { return e.latin == "Ahmed"; });
  ASSERT_NE(ahmed, ref.given_names.end());
  EXPECT_NE(std::find(ahmed->arabic_variants.begin(), ahmed->arabic_variants.end(), "احمد"),
            ahmed->arabic_variants.end());
  for (const auto& e : ref.surnames) {
    EXPECT_FALSE(e.latin.empty());
    EXPECT_FALSE(e.arabic.empty());
    EXPECT_TRUE(std::find(e.latin_variants.begin(), e.latin_variants.end(), e.latin) == e.latin_variants.end());
  }
}

TEST(ReferenceData, MissingDirectoryIsNotFound) {
  auto loaded = LoadReferenceData("/nonexistent/sanad-data");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, Code::kNotFound);
}

TEST(SplitCsvLine, HandlesQuotesDoubledQuotesAndCr) {
  EXPECT_EQ(SplitCsvLine("a,\"b,c\",\"d\"\"e\",\r"), (std::vector<std::string>{"a", "b,c", "d\"e", ""}));
  EXPECT_EQ(SplitCsvLine(""), (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace sanad::synth
