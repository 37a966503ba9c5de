#include "audit/audit_entry.h"

#include <fmt/format.h>
#include <sodium.h>

namespace sanad::audit {

std::string ChainHash(const AuditEntry& e, const std::string& prev_hash) {
  std::string buf;
  auto add = [&buf](std::string_view s) {
    buf += std::to_string(s.size());
    buf += ':';
    buf += s;
  };
  add(prev_hash);
  add(std::to_string(e.id));
  add(e.at);
  add(e.user_id ? std::to_string(*e.user_id) : "");
  add(e.username);
  add(e.action);
  add(e.record_type);
  add(e.record_id);
  add(e.ip);
  add(e.request_id);
  add(e.details);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
  std::string hex(2 * sizeof digest, '\0');
  sodium_bin2hex(hex.data(), hex.size() + 1, digest, sizeof digest);
  return hex;
}

}  // namespace sanad::audit
