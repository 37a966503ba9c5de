// SQL for accounts and sessions. No policy here: that lives in AuthService.
//
// Every method that changes an account or opens a session takes the audit entry that records it and
// appends it in the same transaction (AuditLog::AppendIn): the change and its entry commit together or
// not at all.
#pragma once

#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/user.h"
#include "core/error.h"
#include "db/database.h"
#include "db/sort_order.h"

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

struct SessionState {
  StoredSession session;
  bool user_active = false;
  bool must_change_password = false;
};

// The orders of the account list (GET /api/v1/users?sort=); national accounts (no area) first by area.
inline constexpr db::SortColumn kUserSorts[] = {{"username", "username", true},
                                                {"created_at", "created_at"},
                                                {"active", "active"},
                                                {"area", "COALESCE(area_code, '')", true}};

class AuthStore {
 public:
  AuthStore(db::Database& db, audit::AuditLog& audit) : db_(db), audit_(audit) {}

  db::Database& database() { return db_; }

  // `entry`'s record_id is set to the new user's id. Errors: kAlreadyExists for a taken username,
  // kFailedPrecondition for an unknown area code.
  Result<User> CreateUser(const std::string& username, const std::string& password_hash, const std::vector<Role>& roles,
                          const std::optional<std::string>& area_code, const std::string& now, audit::AuditEntry entry);
  // Replaces password and/or roles of an existing user (used by `sanad demo` to reset demo accounts).
  Status UpdateUser(UserId id, const std::string& password_hash, const std::vector<Role>& roles,
                    const std::optional<std::string>& area_code, const std::string& now, audit::AuditEntry entry);

  // Replaces the password hash and sets must_change_password; revokes every session of the user except
  // `keep_session` (the hash of the session that made the change; empty: revoke all).
  Status SetPassword(UserId id, const std::string& password_hash, bool must_change, const std::string& now,
                     const std::string& keep_session, audit::AuditEntry entry);
  Result<std::string> PasswordHash(UserId id);

  Result<std::optional<std::pair<User, std::string>>> FindByUsername(const std::string& username);  // user + hash
  Result<std::optional<User>> FindById(UserId id);
  // `sort`: a value of db::SortValues(kUserSorts); empty: by username.
  Result<std::vector<User>> ListUsers(int limit, int offset, std::string_view sort, long long& total);
  // Replaces the roles, the area scope (nullopt: national) and whether the account may sign in; ends
  // every session of the user, so the next request is made with the new rights. One transaction.
  // Errors: kNotFound (no such user), kFailedPrecondition (unknown area code).
  Status SetAccess(UserId id, const std::vector<Role>& roles, const std::optional<std::string>& area_code, bool active,
                   audit::AuditEntry entry);

  // A session is handed out only once the entry recording its sign-in is written.
  Status InsertSession(const std::string& token_hash, UserId user, SessionKind kind, const std::string& csrf,
                       const std::string& now, const std::string& expires_at, const std::string& ip,
                       audit::AuditEntry entry);
  Result<std::optional<StoredSession>> FindSession(const std::string& token_hash);
  // The session joined with its user's state, in one indexed read (checked on every request).
  Result<std::optional<SessionState>> FindSessionState(const std::string& token_hash);
  Status TouchSession(const std::string& token_hash, const std::string& now);
  Status RevokeSession(const std::string& token_hash);
  // Deletes sessions that expired before `now` (housekeeping).
  Result<long long> PurgeExpired(const std::string& now);

 private:
  Result<std::vector<Role>> LoadRoles(soci::session& sql, long long user_id);
  // Appends `entry` inside the caller's transaction; its failure rolls the transaction back.
  Status AuditIn(db::Session& s, audit::AuditEntry entry);
  db::Database& db_;
  audit::AuditLog& audit_;
};

}  // namespace sanad::auth
