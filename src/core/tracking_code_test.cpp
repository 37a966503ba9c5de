#include "core/tracking_code.h"

#include <gtest/gtest.h>

#include <set>

namespace sanad::core {
namespace {

TEST(TrackingCode, CodesAreCrockfordAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) seen.insert(RandomCode(20));
  EXPECT_EQ(seen.size(), 2000u);
  for (char c : *seen.begin())
    EXPECT_NE(std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(c), std::string_view::npos);
}

TEST(TrackingCode, ReadsBackWhatACitizenTypes) {
  EXPECT_EQ(NormaliseCode("abcd efgh-jkmn pqrs", 16), "ABCDEFGHJKMNPQRS");
  EXPECT_EQ(NormaliseCode("oOiL-uU00", 8), "0011VV00");
  EXPECT_FALSE(NormaliseCode("ABCD", 8));
  EXPECT_FALSE(NormaliseCode("ABCDEFG!", 8));
  EXPECT_FALSE(NormaliseCode("ABCDEFGHJ", 8));
  EXPECT_EQ(GroupCode("ABCDEFGHJK"), "ABCD-EFGH-JK");
}

TEST(TrackingCode, OnlyTheHashIsKept) {
  EXPECT_EQ(CodeHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2 B.1
}

}  // namespace
}  // namespace sanad::core
