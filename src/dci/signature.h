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

#include <nlohmann/json.hpp>
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

// True when `public_key` is base64 of an Ed25519 public key (32 bytes).
bool ValidPublicKey(const std::string& public_key);

}  // namespace sanad::dci
