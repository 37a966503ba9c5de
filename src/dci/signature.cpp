#include "dci/signature.h"

#include <fmt/format.h>
#include <sodium.h>

#include <map>
#include <optional>
#include <vector>

namespace sanad::dci {

namespace {

std::string Base64(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::vector<unsigned char>> Unbase64(const std::string& text) {
  std::vector<unsigned char> out(text.size());
  std::size_t n = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &n, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(n);
  return out;
}

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
}

// Compact JSON as the envelope is sent: a string that is not valid UTF-8 (e.g. a refused transaction_id
// cut at 99 bytes inside a character) is written with U+FFFD, which the receiver then parses and
// serialises back to the same text, so the digest matches; a strict dump would throw instead.
std::string Compact(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What is signed: the (created), (expires) and digest lines of the spec's example.
std::string SigningText(const nlohmann::json& body, long long created, long long expires) {
  const std::string content = (body.contains("header") ? Compact(body["header"]) : std::string("null")) +
                              (body.contains("message") ? Compact(body["message"]) : std::string("null"));
  unsigned char digest[64];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                     nullptr, 0);
  return fmt::format("(created): {}\n(expires): {}\ndigest: BLAKE-512={}", created, expires,
                     Base64(digest, sizeof digest));
}

// key="value" pairs after "Signature:".
std::optional<std::map<std::string, std::string>> Fields(const std::string& header) {
  std::string rest = header;
  if (rest.starts_with("Signature:")) rest = rest.substr(10);
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == ',')) ++i;
    if (i >= rest.size()) break;
    auto eq = rest.find('=', i);
    if (eq == std::string::npos || eq + 1 >= rest.size() || rest[eq + 1] != '"') return std::nullopt;
    auto close = rest.find('"', eq + 2);
    if (close == std::string::npos) return std::nullopt;
    out[rest.substr(i, eq - i)] = rest.substr(eq + 2, close - eq - 2);
    i = close + 1;
  }
  return out;
}

Error Bad(std::string message) { return Error{Code::kInvalidArgument, std::move(message), "signature"}; }

}  // namespace

KeyPair GenerateKeyPair() {
  EnsureSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  return {Base64(pk, sizeof pk), Base64(sk, sizeof sk)};
}

bool ValidPublicKey(const std::string& public_key) {
  EnsureSodium();
  auto pk = Unbase64(public_key);
  return pk && pk->size() == crypto_sign_PUBLICKEYBYTES;
}

Result<std::string> Sign(const nlohmann::json& body, const std::string& secret_key, const std::string& kid,
                         long long created, long long lifetime_seconds) {
  EnsureSodium();
  auto sk = Unbase64(secret_key);
  if (!sk || sk->size() != crypto_sign_SECRETKEYBYTES) return std::unexpected(Bad("the secret key is not valid"));
  const long long expires = created + lifetime_seconds;
  const std::string text = SigningText(body, created, expires);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(), sk->data());
  return fmt::format(
      "Signature: namespace=\"spdci\", kidId=\"{}\", algorithm=\"ed25519\", created=\"{}\", expires=\"{}\", "
      "headers=\"(created) (expires) digest\", signature=\"{}\"",
      kid, created, expires, Base64(sig, sizeof sig));
}

Status Verify(const nlohmann::json& body, const std::string& signature, const std::string& public_key, long long now) {
  EnsureSodium();
  if (signature.empty()) return std::unexpected(Bad("the message is not signed"));
  auto f = Fields(signature);
  if (!f || !f->contains("signature") || !f->contains("created") || !f->contains("expires")) {
    return std::unexpected(
        Bad("the signature is not in the form Signature: …, created=\"…\", expires=\"…\", "
            "signature=\"…\""));
  }
  if (f->contains("algorithm") && (*f)["algorithm"] != "ed25519")
    return std::unexpected(Bad("the signature's algorithm must be ed25519"));
  long long created = 0, expires = 0;
  try {
    created = std::stoll((*f)["created"]);
    expires = std::stoll((*f)["expires"]);
  } catch (const std::exception&) {
    return std::unexpected(Bad("created and expires must be unix times"));
  }
  constexpr long long kSkew = 300;
  if (created > now + kSkew) return std::unexpected(Bad("the signature was created in the future"));
  if (expires < now - kSkew) return std::unexpected(Bad("the signature has expired"));
  auto pk = Unbase64(public_key);
  if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES) return std::unexpected(Bad("no valid public key is registered"));
  auto sig = Unbase64((*f)["signature"]);
  if (!sig || sig->size() != crypto_sign_BYTES) return std::unexpected(Bad("the signature value is not valid base64"));
  const std::string text = SigningText(body, created, expires);
  if (crypto_sign_verify_detached(sig->data(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                  pk->data()) != 0) {
    return std::unexpected(Bad("the signature does not verify with the partner's public key"));
  }
  return Ok();
}

Result<OwnKey> OwnKeyFromSecret(std::span<const unsigned char> secret) {
  EnsureSodium();
  if (secret.size() != crypto_sign_SECRETKEYBYTES)
    return std::unexpected(Bad(fmt::format("a signing key holds {} bytes", crypto_sign_SECRETKEYBYTES)));
  // The public half must be the seed's: a corrupted file would otherwise sign unverifiably.
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, secret.data());
  const bool same = sodium_memcmp(sk, secret.data(), sizeof sk) == 0;
  sodium_memzero(sk, sizeof sk);
  if (!same) return std::unexpected(Bad("the signing key's public half does not match its seed"));
  unsigned char id[32];
  crypto_generichash(id, sizeof id, pk, sizeof pk, nullptr, 0);
  char hex[2 * sizeof id + 1];
  sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  OwnKey key;
  key.pair.public_key = Base64(pk, sizeof pk);
  key.pair.secret_key = Base64(secret.data(), secret.size());
  key.key_id = std::string(hex, 16);
  return key;
}

OwnKey GenerateOwnKey() {
  EnsureSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  OwnKey key = *OwnKeyFromSecret(sk);  // a fresh libsodium pair always has the matching public half
  sodium_memzero(sk, sizeof sk);
  return key;
}

void SignEnvelope(nlohmann::json& envelope, const OwnKey* key, long long created) {
  if (!key) return;
  // The key was checked when loaded: Sign cannot fail on it.
  if (auto sig = Sign(envelope, key->pair.secret_key, key->Kid(), created)) envelope["signature"] = *sig;
}

}  // namespace sanad::dci
