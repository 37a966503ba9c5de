#include "core/utf8.h"

#include <gtest/gtest.h>

namespace sanad {
namespace {

TEST(Utf8, AcceptsArabicLatinAndEmoji) {
  EXPECT_TRUE(IsValidUtf8("محمد بن علي — Mohamed Benali 😀"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8, RefusesMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("ok\xFF"));
}

}  // namespace
}  // namespace sanad
