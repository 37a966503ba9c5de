#include "auth/password.h"

#include <gtest/gtest.h>

namespace sanad::auth {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *h));
}

TEST(Password, SaltsEachHash) {
  EXPECT_NE(*HashPassword("same password!"), *HashPassword("same password!"));
}

TEST(Password, RefusesFewerThanTenCharactersCountingArabicLettersOnce) {
  EXPECT_FALSE(CheckPasswordPolicy("short"));
  EXPECT_FALSE(CheckPasswordPolicy("123456789"));
  EXPECT_TRUE(CheckPasswordPolicy("1234567890"));
  EXPECT_FALSE(CheckPasswordPolicy("كلمةسرقصي"));   // 9 letters, 18 bytes
  EXPECT_TRUE(CheckPasswordPolicy("كلمةسرقصيرة"));  // 11 letters
}

}  // namespace
}  // namespace sanad::auth
