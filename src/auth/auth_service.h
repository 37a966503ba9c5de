// Accounts, logins, sessions and bearer tokens.
//
// Browser sessions: a random 256-bit secret in an HttpOnly SameSite=Strict cookie, a CSRF token
// returned at login and required on every state-changing request, an idle expiry and an absolute
// expiry. Machine clients: POST /auth/token returns a bearer token with an absolute expiry.
// Only SHA-256 digests of secrets are stored. Every request checks its session and account in the
// database (one indexed read), so a logout, a revocation or a disabled account takes effect at once on
// every app server. Login throttling (login_throttle.h) is shared through the database; successful
// logins and lock events are audited, failed and refused attempts are counted in the throttle table
// and summarised in one audit entry per housekeeping sweep.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

#include "audit/audit_log.h"
#include "auth/auth_store.h"
#include "auth/login_throttle.h"
#include "auth/throttle_store.h"
#include "auth/user.h"
#include "core/time.h"

namespace sanad::auth {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};
  std::chrono::seconds bearer_lifetime{60 * 60};
  std::chrono::seconds touch_interval{60};  // last_seen_at is written at most this often
};

struct LoginResult {
  User user;
  std::string secret;      // cookie value or bearer token (shown once)
  std::string csrf_token;  // browser sessions
  std::string expires_at;
  int expires_in = 0;  // seconds
};

struct RequestOrigin {
  std::string ip;
  std::string request_id;
};

// Who makes an account change, for its audit entry. The default is the command line (`sanad user
// create`, `sanad demo`).
struct AccountActor {
  std::optional<std::int64_t> user_id;
  std::string username = "cli";
  RequestOrigin origin{"local", "cli"};
};

class AuthService {
 public:
  AuthService(AuthStore& store, audit::AuditLog& audit, const Clock& clock, SessionPolicy policy = {},
              ThrottlePolicy throttle = {});

  // Errors: kUnauthenticated (bad credentials or disabled account, one message for both),
  // kResourceExhausted with retry_after_seconds when throttled.
  Result<LoginResult> Login(const std::string& username, const std::string& password, SessionKind kind,
                            const RequestOrigin& origin);

  // Resolves a session secret. Errors: kUnauthenticated (unknown, revoked, idle or expired, account
  // disabled).
  Result<Principal> Authenticate(const std::string& secret, SessionKind expected_kind);

  Status Logout(const Principal& p, const RequestOrigin& origin);

  // The signed-in user replaces their password; their other sessions end. Throttled like a login.
  // Errors: kUnauthenticated (wrong current password, reason password.wrong_current),
  // kInvalidArgument (policy; reason password.*, field new_password), kResourceExhausted.
  Status ChangeOwnPassword(const Principal& p, const std::string& current, const std::string& new_password,
                           const RequestOrigin& origin);
  // An administrator sets a temporary password; the user must change it at the next sign-in and every
  // session of theirs ends. Errors: kNotFound, kInvalidArgument (policy).
  Status ResetPassword(const Principal& admin, UserId target, const std::string& temporary,
                       const RequestOrigin& origin);

  // Deletes idle throttle rows and audits one summary of what they counted; runs by itself from Login
  // every ThrottlePolicy::sweep_interval.
  Result<ThrottleSweep> SweepThrottle();

  // Every account change below and Login commit with their audit entry: when it cannot be written,
  // nothing changes and the database error is returned (kInternal: a 500 for the client).

  // Errors: kInvalidArgument (policy, bad username), kAlreadyExists, kFailedPrecondition (area).
  Result<User> CreateUser(const std::string& username, const std::string& password, const std::vector<Role>& roles,
                          const std::optional<std::string>& area_code, const AccountActor& by = {});
  // An administrator sets another account's roles, area scope (nullopt: national) and whether it may
  // sign in; its sessions end. An administrator cannot disable their own account or take away their
  // own administrator role (no one would be left to undo it). Errors: kNotFound, kInvalidArgument (no
  // role), kFailedPrecondition (unknown area, own account).
  Result<User> UpdateAccess(const Principal& admin, UserId target, const std::vector<Role>& roles,
                            const std::optional<std::string>& area_code, bool active, const RequestOrigin& origin);
  // Creates the user, or resets password/roles/area when it exists (demo accounts).
  Result<User> UpsertUser(const std::string& username, const std::string& password, const std::vector<Role>& roles,
                          const std::optional<std::string>& area_code);

  AuthStore& store() { return store_; }

  static std::string DigestHex(const std::string& secret);
  static std::string RandomToken(std::size_t bytes = 32);

 private:
  // Runs the throttle's admission for (username, ip); kResourceExhausted when refused.
  Result<Admission> Admit(const std::string& username, const RequestOrigin& origin);
  void GiveBack(const std::string& username, const RequestOrigin& origin, const Admission& admission);
  void AuditLockEvents(const std::string& username, const RequestOrigin& origin, const LockEvents& events);
  // The audit entry of an account event; details built by the JSON library.
  static audit::AuditEntry Entry(const std::string& action, const std::string& username,
                                 std::optional<std::int64_t> uid, const RequestOrigin& origin,
                                 const nlohmann::json& details = nlohmann::json::object());
  // Events that change nothing (a failed sign-in, a lock, a logout, the sweep's summary) are appended
  // on their own; a failure to write one is logged with the request id, never dropped silently.
  void AuditEvent(audit::AuditEntry entry);
  void MaybeSweep();

  AuthStore& store_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  SessionPolicy policy_;
  ThrottlePolicy throttle_;
  ThrottleStore throttle_store_;
  std::atomic<std::int64_t> last_sweep_us_{0};
  // Users (roles, area) of sessions already seen. Only identity is cached: validity (revoked, expired,
  // account disabled, must change password) is read from the database on every request.
  std::mutex cache_mu_;
  std::unordered_map<std::string, User> cache_;
};

// Usernames: 3–64 characters of [a-z0-9._-], starting with a letter.
Status CheckUsername(std::string_view username);

}  // namespace sanad::auth
