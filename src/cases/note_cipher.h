// Sealing of confidential case notes (counselling, child protection, violence) at rest: XChaCha20-
// Poly1305 (libsodium crypto_aead_xchacha20poly1305_ietf) with a random nonce per note and the case id
// as associated data, so a sealed note moved to another case does not open. The key comes from the
// configuration (a secret file, `case_notes_key_file`), never from the database.
//
// Thread safety: a NoteCipher is immutable after construction and may be shared.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sanad::cases {

class NoteCipher {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  // The key as 64 hexadecimal digits (a trailing line break is ignored). Errors: kInvalidArgument
  // naming "case_notes_key" (never the content).
  static Result<NoteCipher> FromHex(std::string_view hex);
  // A fresh random key as 64 hexadecimal digits (`sanad` operators generate one; tests use it).
  static std::string NewHexKey();

  // base64(nonce || ciphertext || tag).
  std::string Seal(std::int64_t case_id, std::string_view plaintext) const;
  // Errors: kInternal when the text does not open with this key for this case (tampered, wrong key).
  Result<std::string> Open(std::int64_t case_id, std::string_view sealed) const;

 private:
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace sanad::cases
