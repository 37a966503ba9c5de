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

  // base64(nonce || ciphertext || tag). A case note binds "sanad.case.<id>" (CaseContext).
  std::string Seal(std::int64_t case_id, std::string_view plaintext) const;
  // Errors: kInternal when the text does not open with this key for this case (tampered, wrong key).
  Result<std::string> Open(std::int64_t case_id, std::string_view sealed) const;

  // The same with any associated data, so other sealed records (counselling session notes) bind their
  // own context and a text sealed for one never opens as the other. Contexts must not collide: each
  // user prefixes its own ("sanad.case.", "sanad.counselling.session.").
  std::string Seal(std::string_view context, std::string_view plaintext) const;
  Result<std::string> Open(std::string_view context, std::string_view sealed) const;
  static std::string CaseContext(std::int64_t case_id);

 private:
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace sanad::cases
