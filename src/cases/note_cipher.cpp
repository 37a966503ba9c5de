#include "cases/note_cipher.h"

#include <sodium.h>

#include <vector>

namespace sanad::cases {

std::string NoteCipher::CaseContext(std::int64_t case_id) { return "sanad.case." + std::to_string(case_id); }

std::string NoteCipher::Seal(std::int64_t case_id, std::string_view plaintext) const {
  return Seal(std::string_view(CaseContext(case_id)), plaintext);
}

Result<std::string> NoteCipher::Open(std::int64_t case_id, std::string_view sealed) const {
  return Open(std::string_view(CaseContext(case_id)), sealed);
}

Result<NoteCipher> NoteCipher::FromHex(std::string_view hex) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.remove_suffix(1);
  if (sodium_init() < 0) return Fail(Code::kInternal, "libsodium could not be initialised");
  NoteCipher c;
  std::size_t len = 0;
  if (hex.size() != kKeyBytes * 2 ||
      sodium_hex2bin(c.key_.data(), c.key_.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != kKeyBytes) {
    return Fail(Code::kInvalidArgument, "case_notes_key must be 64 hexadecimal digits (32 bytes)");
  }
  return c;
}

std::string NoteCipher::NewHexKey() {
  if (sodium_init() < 0) return {};
  std::array<unsigned char, kKeyBytes> k{};
  crypto_aead_xchacha20poly1305_ietf_keygen(k.data());
  std::string hex(kKeyBytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), k.data(), k.size());
  hex.pop_back();
  sodium_memzero(k.data(), k.size());
  return hex;
}

std::string NoteCipher::Seal(std::string_view ad, std::string_view plaintext) const {
  std::vector<unsigned char> out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                                 crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned char* nonce = out.data();
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
                                             reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                                             reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
                                             nonce, key_.data());
  out.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + clen);
  std::string b64(sodium_base64_ENCODED_LEN(out.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), out.data(), out.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.pop_back();  // the terminating NUL
  return b64;
}

Result<std::string> NoteCipher::Open(std::string_view ad, std::string_view sealed) const {
  std::vector<unsigned char> raw(sealed.size());
  std::size_t len = 0;
  if (sodium_base642bin(raw.data(), raw.size(), sealed.data(), sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Fail(Code::kInternal, "a sealed case note is not well formed");
  }
  std::string plain(len, '\0');
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr,
          raw.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), raw.data(), key_.data()) != 0) {
    return Fail(Code::kInternal, "a sealed case note does not open with the configured key");
  }
  plain.resize(plen);
  return plain;
}

}  // namespace sanad::cases
