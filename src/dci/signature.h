// Message signatures of the SPDCI envelope (spec MsgSignature): "Signature of {header}+{message} body
// verified using sender's signing public key", written as the spec's example:
//   Signature: namespace="spdci", kidId="{sender_id}|{key_id}|ed25519", algorithm="ed25519",
//   created="1606970629", expires="1607030629", headers="(created) (expires) digest", signature="…"
// The signed text is "(created): C\n(expires): E\ndigest: BLAKE-512=D" where D is the base64 BLAKE2b-512
// of header and message serialised as compact JSON with sorted keys (nlohmann's dump), concatenated.
// Ed25519 through libsodium.
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "core/error.h"

namespace sanad::dci {

struct KeyPair {
  std::string public_key;  // base64
  std::string secret_key;  // base64 (64 bytes: seed + public key)
};

// A new Ed25519 key pair (tests, partners' onboarding).
KeyPair GenerateKeyPair();

// The signature header for `body` (an envelope with header and message) valid from `created` for
// `lifetime_seconds` (unix seconds). Errors: kInvalidArgument for a secret key that is not base64 of 64 bytes.
Result<std::string> Sign(const nlohmann::json& body, const std::string& secret_key, const std::string& kid,
                         long long created, long long lifetime_seconds = 3600);

// Checks `signature` over `body` with `public_key` at `now` (unix seconds; 5 minutes of clock skew).
// Errors: kInvalidArgument naming what is wrong (missing field, malformed, expired, does not verify).
Status Verify(const nlohmann::json& body, const std::string& signature, const std::string& public_key, long long now);

// Sanad's own signing key (one per deployment, docs/dci.md "Signatures"): the pair and the key id its
// signatures name, kidId "sanad|{key_id}|ed25519". The key id is derived from the public key (the first
// 16 hex digits of its BLAKE2b-256), so every app server loading the same key file names the same id.
struct OwnKey {
  KeyPair pair;
  std::string key_id;
  std::string Kid() const { return "sanad|" + key_id + "|ed25519"; }
};

// From libsodium's 64-byte Ed25519 secret key (seed then public key), e.g. a `sanad dci keygen` file.
// Errors: kInvalidArgument for another length or a public half that does not belong to the seed.
Result<OwnKey> OwnKeyFromSecret(std::span<const unsigned char> secret);
// A new key (tests; a deployment makes its key file with `sanad dci keygen`).
OwnKey GenerateOwnKey();

// Signs `envelope` in place (its "signature" member) at `created` for an hour. Without a key the envelope
// is left as it is (unsigned, as before a key is configured).
void SignEnvelope(nlohmann::json& envelope, const OwnKey* key, long long created);

// Seconds since the epoch of `t`: the `created` of a signature.
inline long long UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// True when `public_key` is base64 of an Ed25519 public key (32 bytes).
bool ValidPublicKey(const std::string& public_key);

}  // namespace sanad::dci
