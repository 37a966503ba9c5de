#include "auth/password.h"

#include <mutex>
#include <sodium.h>

namespace sanad::auth {

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable randomness: nothing secure can run
  });
}

Status CheckPasswordPolicy(std::string_view password) {
  std::size_t code_points = 0;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++code_points;
  }
  if (code_points < kMinPasswordLength) {
    return Fail(Code::kInvalidArgument, "passwords must have at least 10 characters", "password");
  }
  if (password.size() > 1024) return Fail(Code::kInvalidArgument, "passwords may not exceed 1,024 bytes", "password");
  return Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Code::kResourceExhausted, "not enough memory to hash the password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
  EnsureSodium();
  return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

void BurnVerifyTime(std::string_view password) {
  static const std::string dummy = [] {
    auto h = HashPassword("sanad-dummy-password-for-timing");
    return h ? *h : std::string();
  }();
  (void)VerifyPassword(password, dummy);
}

}  // namespace sanad::auth
