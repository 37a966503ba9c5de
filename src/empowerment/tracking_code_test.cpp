#include "empowerment/tracking_code.h"

#include <gtest/gtest.h>

#include <set>

namespace sanad::empowerment {
namespace {

TEST(TrackingCode, IsSixteenBase32CharactersInFourGroups) {
  const std::string code = NewTrackingCode();
  ASSERT_EQ(code.size(), 19u);
  EXPECT_EQ(code[4], '-');
  EXPECT_EQ(NormaliseTrackingCode(code), code);
}

TEST(TrackingCode, CodesDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) seen.insert(NewTrackingCode());
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(TrackingCode, ReadsWhatSheTypesBack) {
  EXPECT_EQ(NormaliseTrackingCode("abcd efgh-jkmn pqrs"), "ABCD-EFGH-JKMN-PQRS");
  EXPECT_EQ(NormaliseTrackingCode("oOiL-0000-0000-0000"), "0011-0000-0000-0000");
  EXPECT_FALSE(NormaliseTrackingCode("ABCD-EFGH-JKMN"));
  EXPECT_FALSE(NormaliseTrackingCode("ABCD-EFGH-JKMN-PQR!"));
  EXPECT_FALSE(NormaliseTrackingCode("ABCD-EFGH-JKMN-PQRS-T"));
  EXPECT_EQ(TrackingCodeHash("ABCD-EFGH-JKMN-PQRS").size(), 64u);
}

}  // namespace
}  // namespace sanad::empowerment
