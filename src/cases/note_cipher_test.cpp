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

// Other sealed records bind their own context: a counselling session note (booking 7) never opens as
// the note of case 7, nor the reverse, while a case note is exactly a note sealed for "sanad.case.7"
// (the case overloads kept their associated data: notes sealed before still open).
TEST(NoteCipher, AContextNoteNeverOpensAsACaseNote) {
  auto c = NoteCipher::FromHex(NoteCipher::NewHexKey());
  ASSERT_TRUE(c);
  const std::string session = c->Seal(std::string_view("sanad.counselling.session.7"), "session secret");
  EXPECT_FALSE(c->Open(7, session));
  auto back = c->Open(std::string_view("sanad.counselling.session.7"), session);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, "session secret");
  const std::string case_note = c->Seal(7, "case secret");
  EXPECT_FALSE(c->Open(std::string_view("sanad.counselling.session.7"), case_note));
  auto as_context = c->Open(std::string_view(NoteCipher::CaseContext(7)), case_note);
  ASSERT_TRUE(as_context);
  EXPECT_EQ(*as_context, "case secret");
  EXPECT_EQ(NoteCipher::CaseContext(7), "sanad.case.7");
  auto from_context = c->Open(7, c->Seal(std::string_view("sanad.case.7"), "same bytes"));
  ASSERT_TRUE(from_context);
  EXPECT_EQ(*from_context, "same bytes");
}

TEST(NoteCipher, TheKeyIsSixtyFourHexDigits) {
  EXPECT_FALSE(NoteCipher::FromHex("abcd"));
  EXPECT_FALSE(NoteCipher::FromHex(std::string(64, 'z')));
  EXPECT_TRUE(NoteCipher::FromHex(std::string(64, 'a') + "\n"));
}

}  // namespace
}  // namespace sanad::cases
