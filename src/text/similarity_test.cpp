#include "text/similarity.h"

#include <gtest/gtest.h>

namespace sanad::text {
namespace {

// Reference values from Winkler (1990) / the recordlinkage and jellyfish test suites.
TEST(JaroWinkler, MatchesPublishedValues) {
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(JaroWinkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_NEAR(Jaro("martha", "marhta"), 0.9444, 1e-4);
}

TEST(JaroWinkler, EdgeCases) {
  EXPECT_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_EQ(JaroWinkler("abc", ""), 0.0);
  EXPECT_EQ(JaroWinkler("abc", "abc"), 1.0);
  EXPECT_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_NEAR(JaroWinkler(std::u32string_view(U"محمد"), std::u32string_view(U"محمد")), 1.0, 1e-12);
}

TEST(Levenshtein, CountsEdits) {
  EXPECT_EQ(Levenshtein("kitten", "sitting"), 3);
  EXPECT_EQ(Levenshtein("", "abc"), 3);
  EXPECT_EQ(Levenshtein("hocine", "hoicne"), 2);
}

TEST(DamerauLevenshtein, CountsATranspositionAsOneEdit) {
  EXPECT_EQ(DamerauLevenshtein("hocine", "hoicne"), 1);
  EXPECT_EQ(DamerauLevenshtein("ca", "abc"), 3);  // OSA, not unrestricted Damerau
  EXPECT_TRUE(WithinEdits("19800512", "19800521", 1));
  EXPECT_FALSE(WithinEdits("19800512", "19811512", 1));
  EXPECT_TRUE(WithinEdits("mohamed", "mohamed", 0));
}

}  // namespace
}  // namespace sanad::text

namespace sanad::text {
namespace {

// The one-edit fast path of WithinEdits must agree with the full dynamic programme.
TEST(WithinEdits, OneEditFastPathAgreesWithDamerauLevenshtein) {
  const char* words[] = {"",        "a",       "ab",    "ba",   "abc",      "acb",     "bac",      "abcd",
                         "abdc",    "aab",     "ab",    "abab", "baba",     "mohamed", "mohammed", "mohamd",
                         "mhoamed", "mohamad", "ahmed", "hmed", "19800512", "19800521"};
  for (const char* x : words)
    for (const char* y : words) EXPECT_EQ(WithinEdits(x, y, 1), DamerauLevenshtein(x, y) <= 1) << x << " / " << y;
}

}  // namespace
}  // namespace sanad::text
