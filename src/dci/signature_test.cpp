// Message signatures (spec MsgSignature, Ed25519): a signed envelope verifies; a changed message, a
// malformed or expired signature, another partner's key are refused.
#include "dci/signature.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "dci/callback_client.h"

namespace sanad::dci {
namespace {

using Json = nlohmann::json;

const Json kBody{{"header", {{"message_id", "1"}, {"action", "search"}}},
                 {"message", {{"transaction_id", "t"}, {"search_request", Json::array()}}}};

TEST(Signature, ASignedEnvelopeVerifiesWithTheSendersKey) {
  auto keys = GenerateKeyPair();
  auto sig = Sign(kBody, keys.secret_key, "cnss|k1|ed25519", 1'700'000'000);
  ASSERT_TRUE(sig) << sig.error().message;
  EXPECT_TRUE(sig->starts_with("Signature: namespace=\"spdci\""));
  EXPECT_TRUE(Verify(kBody, *sig, keys.public_key, 1'700'000'100));
}

TEST(Signature, AChangedMessageAnotherKeyOrAnExpiredSignatureIsRefused) {
  auto keys = GenerateKeyPair(), other = GenerateKeyPair();
  auto sig = *Sign(kBody, keys.secret_key, "cnss|k1|ed25519", 1'700'000'000, 600);
  Json changed = kBody;
  changed["message"]["transaction_id"] = "t2";
  EXPECT_FALSE(Verify(changed, sig, keys.public_key, 1'700'000'100));
  EXPECT_FALSE(Verify(kBody, sig, other.public_key, 1'700'000'100));
  EXPECT_FALSE(Verify(kBody, sig, keys.public_key, 1'700'001'000));  // expired 600 s after, beyond the skew
  EXPECT_FALSE(Verify(kBody, "invalid-signature", keys.public_key, 1'700'000'100));
  EXPECT_FALSE(Verify(kBody, "", keys.public_key, 1'700'000'100));
  EXPECT_FALSE(ValidPublicKey("abc"));
  EXPECT_TRUE(ValidPublicKey(keys.public_key));
}

TEST(CallbackUrl, OnlyPlainHttpUrlsWithAHostAreAccepted) {
  auto u = ParseHttpUrl("http://127.0.0.1:3336/registry/on-search");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "3336");
  EXPECT_EQ(u->path, "/registry/on-search");
  EXPECT_FALSE(ParseHttpUrl("https://x/"));
  EXPECT_FALSE(ParseHttpUrl("http://user@x/"));
  EXPECT_FALSE(ParseHttpUrl("http://:80/"));
}

TEST(Signature, SanadsOwnKeySignsEnvelopesThatVerifyWithItsPublicHalfAndNamesAStableKeyId) {
  ASSERT_GE(sodium_init(), 0);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  auto key = OwnKeyFromSecret(sk);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->key_id.size(), 16u);
  EXPECT_EQ(OwnKeyFromSecret(sk)->key_id, key->key_id);  // every server loading the file names the same id
  EXPECT_EQ(key->Kid(), "sanad|" + key->key_id + "|ed25519");
  Json envelope = kBody;
  SignEnvelope(envelope, &*key, 1'700'000'000);
  EXPECT_TRUE(Verify(envelope, envelope["signature"], key->pair.public_key, 1'700'000'100));
  Json unsigned_envelope = kBody;
  SignEnvelope(unsigned_envelope, nullptr, 1'700'000'000);
  EXPECT_EQ(unsigned_envelope, kBody);
  // A file whose public half is not its seed's, or of the wrong length, is refused.
  sk[40] ^= 1;
  EXPECT_FALSE(OwnKeyFromSecret(sk));
  EXPECT_FALSE(OwnKeyFromSecret(std::span<const unsigned char>(sk, 32)));
}

// A refusal echoes the partner's transaction_id cut at 99 bytes, which can split a character: the
// envelope is still signed (no exception), and the partner, which receives it with U+FFFD in place of
// the broken bytes, verifies it.
TEST(Signature, AnEnvelopeHoldingInvalidUtf8IsSignedAsItIsSent) {
  const OwnKey key = GenerateOwnKey();
  Json envelope = kBody;
  envelope["message"]["transaction_id"] = std::string("t-\xd8", 3);  // the first byte of a two-byte character
  ASSERT_NO_THROW(SignEnvelope(envelope, &key, 1'700'000'000));
  const std::string sent = envelope.dump(-1, ' ', false, Json::error_handler_t::replace);
  const Json received = Json::parse(sent);
  EXPECT_TRUE(Verify(received, received["signature"], key.pair.public_key, 1'700'000'100));
}

}  // namespace
}  // namespace sanad::dci
