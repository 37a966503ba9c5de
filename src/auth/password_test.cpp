#include "auth/password.h"

#include <gtest/gtest.h>

namespace sanad::auth {
namespace {

std::string ReasonOf(const Status& s) { return s ? std::string("ok") : s.error().reason; }

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *h));
}

TEST(Password, SaltsEachHash) { EXPECT_NE(*HashPassword("same password!"), *HashPassword("same password!")); }

TEST(Password, RefusesFewerThanTwelveCharactersCountingArabicLettersOnce) {
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("short")), "password.too_short");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Ouarzazate5")), "password.too_short");  // 11
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Ouarzazate57")), "ok");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("كلمةسرطويلة")), "password.too_short");  // 11 letters, 22 bytes
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("كلمةسرطويلةج")), "ok");                 // 12 letters
  auto e = CheckPasswordPolicy("short", "", "new_password");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Code::kInvalidArgument);
  EXPECT_EQ(e.error().field, "new_password");
}

TEST(Password, CountsCodePointsAfterNfkcNormalisation) {
  // Full-width letters and ligatures become their plain forms, then code points are counted.
  EXPECT_EQ(*NormalizePassword("ＡＢＣ"), "ABC");
  EXPECT_EQ(*NormalizePassword("ﬁ"), "fi");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("ＯＵＡＲＺＡＺＡＴＥ57")), "ok");   // 12 after NFKC
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("ﬁﬂﬁﬂﬁﬂ")), "password.repetitive");  // 12 after NFKC, 6 before
  // "é" typed precomposed or as e + combining acute verifies against the same hash.
  auto h = HashPassword("Caf\u00e9-Tanger-Medina");
  ASSERT_TRUE(h);
  EXPECT_TRUE(VerifyPassword("Cafe\u0301-Tanger-Medina", *h));
}

TEST(Password, RefusesControlCharactersAndInvalidUtf8) {
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy(std::string("Ouarzazate\x01"
                                                     "57"))),
            "password.control_character");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Ouarzazate\n57xy")), "password.control_character");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Ouarzazate\xff"
                                         "57xy")),
            "password.invalid_utf8");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Ouarzazate 57 xy")), "ok");  // spaces are allowed
}

TEST(Password, RefusesCommonAndDictionaryPasswords) {
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("password1234")), "password.common");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Sunshine2026!")), "password.common");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("qwertyuiop12")), "password.common");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("123456789012")), "password.common");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("motdepasse2026")), "password.common");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("aaaaaaaaaaaaaaa")), "password.repetitive");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Tafilalet-Oasis-Date-Palms")), "ok");
}

TEST(Password, RefusesPasswordsDerivedFromTheUsernameOrTheProductName) {
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Amina.Benali-2026", "amina.benali")), "password.contains_username");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("MySanadAccount!", "amina")), "password.contains_product_name");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("كلمةسندالجديدة", "amina")), "password.contains_product_name");
  EXPECT_EQ(ReasonOf(CheckPasswordPolicy("Tafilalet-Oasis-Date-Palms", "amina")), "ok");
}

}  // namespace
}  // namespace sanad::auth
