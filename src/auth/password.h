// Password hashing with argon2id (libsodium crypto_pwhash_str, "interactive" limits: 2 passes, 64 MiB).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace sanad::auth {

inline constexpr std::size_t kMinPasswordLength = 10;

// Checks the password policy: at least 10 characters (code points), at most 1,024 bytes.
Status CheckPasswordPolicy(std::string_view password);

// Returns the encoded argon2id hash (algorithm, parameters and salt included).
Result<std::string> HashPassword(std::string_view password);

// Constant-time verification against an encoded hash.
bool VerifyPassword(std::string_view password, const std::string& encoded);

// Verifies against a fixed dummy hash so that "no such user" costs as much as "wrong password".
void BurnVerifyTime(std::string_view password);

// Initialises libsodium once; safe to call from any thread.
void EnsureSodium();

}  // namespace sanad::auth
