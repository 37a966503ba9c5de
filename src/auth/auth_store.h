// SQL for accounts and sessions. No policy here: that lives in AuthService.
#pragma once

#include <optional>
#include <string>

#include "auth/user.h"
#include "core/error.h"
#include "db/database.h"

namespace sanad::auth {

struct StoredSession {
  UserId user_id;
  SessionKind kind = SessionKind::kBrowser;
  std::string csrf_token;
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;
  bool revoked = false;
};

class AuthStore {
 public:
  explicit AuthStore(db::Database& db) : db_(db) {}

  // Errors: kAlreadyExists for a taken username, kFailedPrecondition for an unknown area code.
  Result<User> CreateUser(const std::string& username, const std::string& password_hash,
                          const std::vector<Role>& roles, const std::optional<std::string>& area_code,
                          const std::string& now);
  // Replaces password and/or roles of an existing user (used by `sanad demo` to reset demo accounts).
  Status UpdateUser(UserId id, const std::string& password_hash, const std::vector<Role>& roles,
                    const std::optional<std::string>& area_code, const std::string& now);

  Result<std::optional<std::pair<User, std::string>>> FindByUsername(const std::string& username);  // user + hash
  Result<std::optional<User>> FindById(UserId id);
  Result<std::vector<User>> ListUsers(int limit, int offset, long long& total);

  Status InsertSession(const std::string& token_hash, UserId user, SessionKind kind, const std::string& csrf,
                       const std::string& now, const std::string& expires_at, const std::string& ip);
  Result<std::optional<StoredSession>> FindSession(const std::string& token_hash);
  Status TouchSession(const std::string& token_hash, const std::string& now);
  Status RevokeSession(const std::string& token_hash);
  // Deletes sessions that expired before `now` (housekeeping).
  Result<long long> PurgeExpired(const std::string& now);

 private:
  Result<std::vector<Role>> LoadRoles(soci::session& sql, long long user_id);
  db::Database& db_;
};

}  // namespace sanad::auth
