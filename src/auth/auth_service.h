// Accounts, logins, sessions and bearer tokens.
//
// Browser sessions: a random 256-bit secret in an HttpOnly SameSite=Strict cookie, a CSRF token
// returned at login and required on every state-changing request, an idle expiry and an absolute
// expiry. Machine clients: POST /auth/token returns a bearer token with an absolute expiry.
// Only SHA-256 digests of secrets are stored. Every login success and failure is audited.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "audit/audit_log.h"
#include "auth/auth_store.h"
#include "auth/login_throttle.h"
#include "auth/user.h"
#include "core/time.h"

namespace sanad::auth {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};
  std::chrono::seconds bearer_lifetime{60 * 60};
  std::chrono::seconds touch_interval{60};     // last_seen_at is written at most this often
  std::chrono::seconds cache_ttl{5};           // validated sessions are cached this long in memory
};

struct LoginResult {
  User user;
  std::string secret;        // cookie value or bearer token (shown once)
  std::string csrf_token;    // browser sessions
  std::string expires_at;
  int expires_in = 0;        // seconds
};

struct RequestOrigin {
  std::string ip;
  std::string request_id;
};

class AuthService {
 public:
  AuthService(AuthStore& store, audit::AuditLog& audit, const Clock& clock, SessionPolicy policy = {},
              ThrottlePolicy throttle = {});

  // Errors: kUnauthenticated (bad credentials or disabled account, one message for both),
  // kResourceExhausted with retry_after_seconds when throttled.
  Result<LoginResult> Login(const std::string& username, const std::string& password, SessionKind kind,
                            const RequestOrigin& origin);

  // Resolves a session secret. Errors: kUnauthenticated (unknown, revoked, idle or expired).
  Result<Principal> Authenticate(const std::string& secret, SessionKind expected_kind);

  Status Logout(const Principal& p, const RequestOrigin& origin);

  // Errors: kInvalidArgument (policy, bad username), kAlreadyExists, kFailedPrecondition (area).
  Result<User> CreateUser(const std::string& username, const std::string& password, const std::vector<Role>& roles,
                          const std::optional<std::string>& area_code);
  // Creates the user, or resets password/roles/area when it exists (demo accounts).
  Result<User> UpsertUser(const std::string& username, const std::string& password, const std::vector<Role>& roles,
                          const std::optional<std::string>& area_code);

  AuthStore& store() { return store_; }

  static std::string DigestHex(const std::string& secret);
  static std::string RandomToken(std::size_t bytes = 32);

 private:
  struct CacheEntry {
    Principal principal;
    StoredSession session;
    TimePoint cached_at;
  };

  AuthStore& store_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  SessionPolicy policy_;
  LoginThrottle throttle_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, CacheEntry> cache_;
};

// Usernames: 3–64 characters of [a-z0-9._-], starting with a letter.
Status CheckUsername(std::string_view username);

}  // namespace sanad::auth
