// Sealed confidential notes: they open with the key and the case they were written for, and only then.
#include "cases/note_cipher.h"

#include <gtest/gtest.h>

namespace sanad::cases {
namespace {

TEST(NoteCipher, SealsAndOpensANoteOfItsCase) {
  auto c = NoteCipher::FromHex(NoteCipher::NewHexKey());
  ASSERT_TRUE(c);
  const std::string text = "العنف الأسري: الطفلة تخاف من العودة";
  const std::string sealed = c->Seal(7, text);
  EXPECT_EQ(sealed.find("العنف"), std::string::npos);
  EXPECT_NE(c->Seal(7, text), sealed);  // a fresh nonce each time
  auto opened = c->Open(7, sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, text);
}

TEST(NoteCipher, RefusesAnotherCaseAnotherKeyAndATamperedText) {
  auto c = NoteCipher::FromHex(NoteCipher::NewHexKey());
  auto other = NoteCipher::FromHex(NoteCipher::NewHexKey());
  ASSERT_TRUE(c && other);
  std::string sealed = c->Seal(7, "secret");
  EXPECT_FALSE(c->Open(8, sealed));
  EXPECT_FALSE(other->Open(7, sealed));
  sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(c->Open(7, sealed));
}

TEST(NoteCipher, TheKeyIsSixtyFourHexDigits) {
  EXPECT_FALSE(NoteCipher::FromHex("abcd"));
  EXPECT_FALSE(NoteCipher::FromHex(std::string(64, 'z')));
  EXPECT_TRUE(NoteCipher::FromHex(std::string(64, 'a') + "\n"));
}

}  // namespace
}  // namespace sanad::cases
