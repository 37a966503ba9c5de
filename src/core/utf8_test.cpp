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

TEST(Utf8, DecodesWellFormedTextAndReplacesEachBadByteWithFffd) {
  EXPECT_EQ(DecodeUtf8("a\xD9\x85\xF0\x9F\x98\x80"), std::u32string({U'a', 0x0645, 0x1F600}));
  EXPECT_EQ(DecodeUtf8("\xC0\xAFz"), std::u32string({0xFFFD, 0xFFFD, U'z'}));  // overlong: two bad bytes
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80"), std::u32string(3, 0xFFFD));            // a surrogate is not text
  EXPECT_EQ(DecodeUtf8("\xE2\x82"), std::u32string(2, 0xFFFD));                // truncated
}

TEST(Utf8, EncodingInvertsDecoding) {
  const std::string s = "محمد بن علي — Mohamed 😀";
  EXPECT_EQ(EncodeUtf8(DecodeUtf8(s)), s);
  EXPECT_EQ(Utf8SequenceLength(s, 0), 2u);
}

}  // namespace
}  // namespace sanad
