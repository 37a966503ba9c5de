// Passwords: the policy of NIST SP 800-63B §5.1.1.2 and hashing with argon2id (libsodium
// crypto_pwhash_str, "interactive" limits: 2 passes, 64 MiB).
//
// Policy: at least 12 characters counted as Unicode code points after NFKC normalisation, at most
// 1,024 bytes, no control characters, and not a common or context-derived password: refused when
// cracklib (Debian's libcrack2 with the cracklib-runtime dictionary) finds it, or its core without
// leading/trailing digits and symbols, weak; when it is a few repeated characters; or when it contains
// the username or the product's name ("sanad", "سند"). No composition rules, no expiry.
//
// Every refusal is Error{kInvalidArgument, message, field "password", reason "password.<why>"}.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace sanad::auth {

inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// The NFKC form of `password`. Errors: password.invalid_utf8, password.control_character,
// password.too_long.
Result<std::string> NormalizePassword(std::string_view password);

// Checks the policy for a new password of `username` (may be empty). `field` names the input in errors.
Status CheckPasswordPolicy(std::string_view password, std::string_view username = {},
                           std::string_view field = "password");

// Returns the encoded argon2id hash of the NFKC form (algorithm, parameters and salt included).
Result<std::string> HashPassword(std::string_view password);

// Constant-time verification against an encoded hash, of the NFKC form and then, for hashes made before
// normalisation, of the bytes as typed.
bool VerifyPassword(std::string_view password, const std::string& encoded);

// Verifies against a fixed dummy hash so that "no such user" costs as much as "wrong password".
void BurnVerifyTime(std::string_view password);

// Initialises libsodium once; safe to call from any thread.
void EnsureSodium();

}  // namespace sanad::auth
