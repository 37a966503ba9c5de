// Signed checkpoints of the audit chain, kept outside the database.
//
// The hash chain alone proves nothing to someone who can write the database: they can edit an entry
// and recompute every later hash. A checkpoint is the chain head (entry id and hash) at a moment,
// signed with an Ed25519 key that is not in the database, appended to a file that is not in the
// database. Verification needs only the public key. See docs/decisions/0006-audit-anchoring.md.
//
// Checkpoint file: JSON lines. The first line is a header naming the public key; every other line is
// one checkpoint:
//   {"format":"sanad-audit-checkpoints","version":1,"public_key":"<64 hex>"}
//   {"id":1234,"hash":"<64 hex>","at":"2026-12-04T16:40:00.000000Z","signature":"<128 hex>"}
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sanad::audit {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 64;

// An Ed25519 signing key (libsodium's 64-byte secret key: seed then public key).
struct SigningKey {
  std::array<unsigned char, kSecretKeyBytes> secret{};
  std::array<unsigned char, kPublicKeyBytes> public_key{};
  std::string PublicHex() const;
};

// Creates a new key file at `path` (which must not exist) with mode 0600 and returns the public key
// as hex. The file holds the secret key as one line of hex.
Result<std::string> GenerateKeyFile(const std::string& path);

// Loads a key file. Refuses a file that the group or others may read or write (the key is what
// makes a checkpoint trustworthy), or that belongs to another user. `what` and `option` name the key in
// errors (the same file format holds Sanad's DCI signing key, `sanad dci keygen`).
Result<SigningKey> LoadSigningKey(const std::string& path, std::string_view what = "audit signing key",
                                  std::string_view option = "audit-signing-key");

// Decodes a public key given as 64 hex digits.
Result<std::array<unsigned char, kPublicKeyBytes>> ParsePublicKey(std::string_view hex);

struct Checkpoint {
  long long id = 0;       // the last entry covered
  std::string hash;       // that entry's chain hash
  std::string at;         // when the checkpoint was signed (ISO UTC)
  std::string signature;  // Ed25519 over CheckpointMessage(), hex
  int line = 0;           // line number in the file it was read from (1 = header)
};

// The bytes that are signed: a fixed prefix, then id, hash and time, one per line.
std::string CheckpointMessage(long long id, std::string_view hash, std::string_view at);
Checkpoint SignCheckpoint(const SigningKey& key, long long id, std::string hash, std::string at);
bool SignatureValid(const Checkpoint& c, const std::array<unsigned char, kPublicKeyBytes>& public_key);

std::string CheckpointLine(const Checkpoint& c);  // one JSON line, without the newline
std::string HeaderLine(std::string_view public_key_hex);

struct CheckpointFile {
  std::string public_key_hex;  // from the header
  std::vector<Checkpoint> checkpoints;
  // The first line that is not a well-formed checkpoint (a sign of tampering or damage), if any;
  // checkpoints holds the lines before it.
  std::optional<int> malformed_line;
};

// Reads a whole checkpoint file. Fails (kNotFound, kInvalidArgument) when it cannot be opened or has
// no valid header.
Result<CheckpointFile> ReadCheckpointFile(const std::string& path);

// Appends signed checkpoints to the file, one line each, opened O_APPEND and fsync'd after every
// line. Creating the file writes the header; an existing file must name the same public key.
//
// Thread safety: Append may be called from several threads (it is serialised internally).
class CheckpointWriter {
 public:
  static Result<std::unique_ptr<CheckpointWriter>> Open(const std::string& path, const SigningKey& key);
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // Signs (id, hash, at) and appends it durably.
  Result<Checkpoint> Append(long long id, const std::string& hash, const std::string& at);
  // The last checkpoint in the file (read at Open, then the last appended).
  std::optional<Checkpoint> Last() const;
  const std::string& path() const { return path_; }

 private:
  CheckpointWriter(std::string path, int fd, SigningKey key) : path_(std::move(path)), fd_(fd), key_(key) {}
  std::string path_;
  int fd_;
  SigningKey key_;
  mutable std::mutex mu_;
  std::optional<Checkpoint> last_;
};

}  // namespace sanad::audit
