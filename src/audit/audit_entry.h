// One line of the append-only audit log: who did what to which record, when, from where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sanad::audit {

struct AuditEntry {
  std::int64_t id = 0;  // assigned on append; chain order
  std::string at;       // ISO UTC timestamp
  std::optional<std::int64_t> user_id;
  std::string username;     // kept as text: the log must outlive account changes
  std::string action;       // e.g. "login", "login_failed", "view", "create", "approve"
  std::string record_type;  // e.g. "user", "person", "household", "session"
  std::string record_id;
  std::string ip;
  std::string request_id;
  std::string details;  // JSON object text
  std::string prev_hash;
  std::string hash;
};

// SHA-256 (hex) over the previous hash and every field of the entry, in a fixed unambiguous encoding
// (length-prefixed fields). Changing any field, reordering or deleting entries breaks the chain.
std::string ChainHash(const AuditEntry& entry, const std::string& prev_hash);

inline constexpr const char* kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

}  // namespace sanad::audit
