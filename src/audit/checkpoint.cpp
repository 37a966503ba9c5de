#include "audit/checkpoint.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace sanad::audit {

namespace {

constexpr std::string_view kFormat = "sanad-audit-checkpoints";

std::string Hex(const unsigned char* data, std::size_t n) {
  std::string out(2 * n, '\0');
  sodium_bin2hex(out.data(), out.size() + 1, data, n);
  return out;
}

// Decodes exactly `n` bytes of hex; false on any other length or a non-hex character.
bool Unhex(std::string_view hex, unsigned char* out, std::size_t n) {
  if (hex.size() != 2 * n) return false;
  std::size_t len = 0;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

std::string Errno(const std::string& what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(Code::kUnavailable, Errno("cannot write", path));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) return Fail(Code::kUnavailable, Errno("cannot fsync", path));
  return Ok();
}

std::optional<Checkpoint> ParseCheckpoint(const std::string& line, int number) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object() || j.size() != 4) return std::nullopt;
  for (const char* k : {"id", "hash", "at", "signature"}) {
    if (!j.contains(k)) return std::nullopt;
  }
  if (!j["id"].is_number_integer() || !j["hash"].is_string() || !j["at"].is_string() || !j["signature"].is_string()) {
    return std::nullopt;
  }
  Checkpoint c;
  c.id = j["id"].get<long long>();
  c.hash = j["hash"].get<std::string>();
  c.at = j["at"].get<std::string>();
  c.signature = j["signature"].get<std::string>();
  c.line = number;
  return c;
}

}  // namespace

std::string SigningKey::PublicHex() const { return Hex(public_key.data(), public_key.size()); }

Result<std::string> GenerateKeyFile(const std::string& path) {
  if (sodium_init() < 0) return Fail(Code::kInternal, "libsodium failed to initialise");
  SigningKey key;
  crypto_sign_keypair(key.public_key.data(), key.secret.data());
  // O_EXCL: never overwrite a key (the checkpoints signed with it would become unverifiable).
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(Code::kFailedPrecondition, Errno("cannot create key file", path), "out");
  // The umask can only remove bits; set the mode explicitly anyway so the file is exactly 0600.
  ::fchmod(fd, 0600);
  std::string text = Hex(key.secret.data(), key.secret.size()) + "\n";
  auto written = WriteAll(fd, text, path);
  sodium_memzero(text.data(), text.size());
  ::close(fd);
  if (!written) return std::unexpected(written.error());
  return key.PublicHex();
}

Result<SigningKey> LoadSigningKey(const std::string& path, std::string_view what, std::string_view option) {
  const std::string field(option);
  if (sodium_init() < 0) return Fail(Code::kInternal, "libsodium failed to initialise");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(Code::kFailedPrecondition, Errno(fmt::format("cannot open the {}", what), path), field);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Fail(Code::kFailedPrecondition, Errno(fmt::format("cannot stat the {}", what), path), field);
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Fail(Code::kFailedPrecondition,
                fmt::format("the {} {} is accessible to group or others (mode {:04o}); run chmod 600 on it", what, path,
                            st.st_mode & 07777),
                field);
  }
  if (st.st_uid != ::geteuid()) {
    ::close(fd);
    return Fail(
        Code::kFailedPrecondition,
        fmt::format("the {} {} belongs to uid {}, not to this process's uid {}", what, path, st.st_uid, ::geteuid()),
        field);
  }
  std::string text(256, '\0');
  ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n < 0) return Fail(Code::kFailedPrecondition, Errno(fmt::format("cannot read the {}", what), path), field);
  text.resize(static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  SigningKey key;
  bool ok = Unhex(text, key.secret.data(), key.secret.size());
  sodium_memzero(text.data(), text.size());
  if (!ok) return Fail(Code::kFailedPrecondition, fmt::format("{} is not an Ed25519 key file ({})", path, what), field);
  crypto_sign_ed25519_sk_to_pk(key.public_key.data(), key.secret.data());
  return key;
}

Result<std::array<unsigned char, kPublicKeyBytes>> ParsePublicKey(std::string_view hex) {
  std::array<unsigned char, kPublicKeyBytes> out{};
  if (!Unhex(hex, out.data(), out.size())) {
    return Fail(Code::kInvalidArgument, "a public key is 64 hexadecimal digits", "audit-public-key");
  }
  return out;
}

std::string CheckpointMessage(long long id, std::string_view hash, std::string_view at) {
  return fmt::format("sanad-audit-checkpoint-v1\n{}\n{}\n{}\n", id, hash, at);
}

Checkpoint SignCheckpoint(const SigningKey& key, long long id, std::string hash, std::string at) {
  Checkpoint c;
  c.id = id;
  c.hash = std::move(hash);
  c.at = std::move(at);
  const std::string msg = CheckpointMessage(c.id, c.hash, c.at);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), key.secret.data());
  c.signature = Hex(sig, sizeof sig);
  return c;
}

bool SignatureValid(const Checkpoint& c, const std::array<unsigned char, kPublicKeyBytes>& public_key) {
  unsigned char sig[crypto_sign_BYTES];
  if (!Unhex(c.signature, sig, sizeof sig)) return false;
  const std::string msg = CheckpointMessage(c.id, c.hash, c.at);
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                     public_key.data()) == 0;
}

std::string CheckpointLine(const Checkpoint& c) {
  nlohmann::ordered_json j{{"id", c.id}, {"hash", c.hash}, {"at", c.at}, {"signature", c.signature}};
  return j.dump();
}

std::string HeaderLine(std::string_view public_key_hex) {
  nlohmann::ordered_json j{{"format", kFormat}, {"version", 1}, {"public_key", public_key_hex}};
  return j.dump();
}

Result<CheckpointFile> ReadCheckpointFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, fmt::format("cannot open the checkpoint file {}", path), "checkpoints");
  CheckpointFile file;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      auto h = nlohmann::json::parse(line, nullptr, false);
      if (!h.is_object() || h.value("format", "") != kFormat || !h.contains("public_key") ||
          !h["public_key"].is_string()) {
        return Fail(Code::kInvalidArgument, fmt::format("{} has no checkpoint-file header on line 1", path),
                    "checkpoints");
      }
      file.public_key_hex = h["public_key"].get<std::string>();
      continue;
    }
    auto c = ParseCheckpoint(line, number);
    if (!c) {
      file.malformed_line = number;
      break;
    }
    file.checkpoints.push_back(std::move(*c));
  }
  if (number == 0) return Fail(Code::kInvalidArgument, fmt::format("{} is empty", path), "checkpoints");
  return file;
}

Result<std::unique_ptr<CheckpointWriter>> CheckpointWriter::Open(const std::string& path, const SigningKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return Fail(Code::kFailedPrecondition, Errno("cannot open the checkpoint file", path), "audit-checkpoints");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Fail(Code::kFailedPrecondition, Errno("cannot stat the checkpoint file", path), "audit-checkpoints");
  }
  std::unique_ptr<CheckpointWriter> w(new CheckpointWriter(path, fd, key));
  if (st.st_size == 0) {
    if (auto st2 = WriteAll(fd, HeaderLine(key.PublicHex()) + "\n", path); !st2) return std::unexpected(st2.error());
    return w;
  }
  auto file = ReadCheckpointFile(path);
  if (!file) return std::unexpected(file.error());
  if (file->public_key_hex != key.PublicHex()) {
    return Fail(
        Code::kFailedPrecondition,
        fmt::format("the checkpoint file {} was started with another key ({}); this key is {}: start a new file", path,
                    file->public_key_hex, key.PublicHex()),
        "audit-checkpoints");
  }
  if (file->malformed_line) {
    return Fail(Code::kFailedPrecondition,
                fmt::format("line {} of the checkpoint file {} is not a checkpoint; run sanad audit verify",
                            *file->malformed_line, path),
                "audit-checkpoints");
  }
  if (!file->checkpoints.empty()) w->last_ = file->checkpoints.back();
  return w;
}

CheckpointWriter::~CheckpointWriter() { ::close(fd_); }

Result<Checkpoint> CheckpointWriter::Append(long long id, const std::string& hash, const std::string& at) {
  std::lock_guard lock(mu_);
  Checkpoint c = SignCheckpoint(key_, id, hash, at);
  if (auto st = WriteAll(fd_, CheckpointLine(c) + "\n", path_); !st) return std::unexpected(st.error());
  last_ = c;
  return c;
}

std::optional<Checkpoint> CheckpointWriter::Last() const {
  std::lock_guard lock(mu_);
  return last_;
}

}  // namespace sanad::audit
