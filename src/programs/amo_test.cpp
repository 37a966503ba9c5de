// The AMO Tadamon and AMO Achamil templates (domain.md §1.2 "Programme thresholds"): the Tadamon
// threshold and every Achamil contribution band, each bound on both sides.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "programs/test_households.h"

namespace sanad::programs {
namespace {

using testing::LineAmount;
using testing::Member;
using testing::Simulated;

HouseholdInput WithIndex(double index) {
  HouseholdInput h;
  h.country = "MA";
  h.socio_economic_index = index;
  h.members = {Member("head", "F", "1970-01-01")};
  return h;
}

double JustAbove(double bound) { return std::nextafter(bound, std::numeric_limits<double>::infinity()); }

// domain.md §1.2 line 106: AMO Tadamon "eligible if the index is ≤ 9.3264284"; the state pays, so the
// household's amount is 0.
TEST(AmoTadamonTemplate, ThresholdBoundary) {
  auto at = Simulated("AMO_TADAMON", WithIndex(9.3264284), "2026-01");
  EXPECT_TRUE(at.eligible);
  EXPECT_EQ(at.monthly_amount, 0);
  EXPECT_TRUE(at.lines.empty());
  auto above = Simulated("AMO_TADAMON", WithIndex(9.3264285), "2026-01");
  EXPECT_FALSE(above.eligible);
  EXPECT_EQ(above.reasons, (std::vector<Reason>{{"program.reason.index_above_threshold",
                                                 {{"index", "9.3264285"}, {"threshold", "9.3264284"}}}}));
  EXPECT_FALSE(Simulated("AMO_TADAMON", WithIndex(JustAbove(9.3264284)), "2026-01").eligible);
}

// domain.md §1.2 line 108: AMO Achamil is for "households above the Tadamon threshold".
TEST(AmoAchamilTemplate, OnlyAboveTheTadamonThreshold) {
  auto at = Simulated("AMO_ACHAMIL", WithIndex(9.3264284), "2026-01");
  EXPECT_FALSE(at.eligible);
  EXPECT_EQ(at.reasons, (std::vector<Reason>{{"program.reason.index_within_tadamon",
                                              {{"index", "9.3264284"}, {"threshold", "9.3264284"}}}}));
  EXPECT_TRUE(Simulated("AMO_ACHAMIL", WithIndex(JustAbove(9.3264284)), "2026-01").eligible);
}

// domain.md §1.2 lines 110–119, the contribution table: each band's upper bound pays the band's amount
// and the value just above it pays the next band's.
TEST(AmoAchamilTemplate, EveryBandBoundary) {
  struct Band {
    double max;
    std::int64_t amount, next;
  };
  const Band bands[] = {
      {9.5124369, 144, 176},   // line 112: > 9.3264284 and ≤ 9.5124369 → 144
      {9.743001, 176, 224},    // line 113: ≤ 9.743001 → 176
      {9.9903727, 224, 287},   // line 114
      {10.237316, 287, 355},   // line 115
      {10.431048, 355, 454},   // line 116
      {10.739952, 454, 611},   // line 117
      {11.013068, 611, 1164},  // line 118; line 119: > 11.013068 → 1,164
  };
  for (const auto& b : bands) {
    auto at = Simulated("AMO_ACHAMIL", WithIndex(b.max), "2026-01");
    EXPECT_TRUE(at.eligible);
    EXPECT_EQ(at.monthly_amount, b.amount) << b.max;
    EXPECT_EQ(LineAmount(at, "program.line.amo_achamil.contribution"), b.amount);
    EXPECT_EQ(Simulated("AMO_ACHAMIL", WithIndex(JustAbove(b.max)), "2026-01").monthly_amount, b.next) << b.max;
  }
  // The first band starts just above the Tadamon threshold; the last has no upper bound.
  EXPECT_EQ(Simulated("AMO_ACHAMIL", WithIndex(JustAbove(9.3264284)), "2026-01").monthly_amount, 144);
  EXPECT_EQ(Simulated("AMO_ACHAMIL", WithIndex(14.5), "2026-01").monthly_amount, 1164);
}

}  // namespace
}  // namespace sanad::programs
