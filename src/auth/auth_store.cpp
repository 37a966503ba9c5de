#include "auth/auth_store.h"

#include <fmt/format.h>

#include "db/row.h"

namespace sanad::auth {

namespace {

std::string KindName(SessionKind k) { return k == SessionKind::kBrowser ? "browser" : "bearer"; }

// A user's roles become `roles` and their sessions end, so the new access applies from the next sign-in.
void ReplaceRolesAndEndSessions(soci::session& sql, long long uid, const std::vector<Role>& roles) {
  sql << "DELETE FROM user_roles WHERE user_id = :id", soci::use(uid);
  for (Role role : roles) {
    std::string name(RoleName(role));
    sql << "INSERT INTO user_roles (user_id, role) VALUES (:id, :r)", soci::use(uid), soci::use(name);
  }
  sql << "UPDATE sessions SET revoked = 1 WHERE user_id = :id", soci::use(uid);
}

}  // namespace

Status AuthStore::AuditIn(db::Session& s, audit::AuditEntry entry) {
  if (auto a = audit_.AppendIn(s, std::move(entry)); !a) return std::unexpected(a.error());
  return Ok();
}

Result<std::vector<Role>> AuthStore::LoadRoles(soci::session& sql, long long user_id) {
  std::vector<Role> roles;
  soci::rowset<std::string> rs =
      (sql.prepare << "SELECT role FROM user_roles WHERE user_id = :id ORDER BY role", soci::use(user_id));
  for (const auto& name : rs) {
    if (auto r = ParseRole(name)) roles.push_back(*r);
  }
  return roles;
}

Result<User> AuthStore::CreateUser(const std::string& username, const std::string& password_hash,
                                   const std::vector<Role>& roles, const std::optional<std::string>& area_code,
                                   const std::string& now, audit::AuditEntry entry) {
  return db_.InTransaction<User>([&](db::Session& s) -> Result<User> {
    auto& sql = s.sql();
    if (area_code) {
      long long n = 0;
      sql << "SELECT COUNT(*) FROM areas WHERE code = :c", soci::use(*area_code), soci::into(n);
      if (n == 0) return Failure(Code::kFailedPrecondition, "area.not_found", {{"code", *area_code}}, "area");
    }
    long long exists = 0;
    sql << "SELECT COUNT(*) FROM users WHERE username = :u", soci::use(username), soci::into(exists);
    if (exists) return Failure(Code::kAlreadyExists, "user.exists", {{"username", username}}, "username");
    long long id = 0;
    sql << "INSERT INTO users (username, password_hash, area_code, active, created_at, password_changed_at) "
           "VALUES (:u, :h, :a, 1, :n, :n2) RETURNING id",
        soci::use(username), soci::use(password_hash), soci::use(area_code), soci::use(now), soci::use(now),
        soci::into(id);
    for (Role r : roles) {
      std::string name(RoleName(r));
      sql << "INSERT INTO user_roles (user_id, role) VALUES (:id, :r)", soci::use(id), soci::use(name);
    }
    entry.record_id = std::to_string(id);
    if (auto a = AuditIn(s, std::move(entry)); !a) return std::unexpected(a.error());
    return User{UserId(id), username, roles, area_code, true, now};
  });
}

Status AuthStore::UpdateUser(UserId id, const std::string& password_hash, const std::vector<Role>& roles,
                             const std::optional<std::string>& area_code, const std::string& now,
                             audit::AuditEntry entry) {
  auto r = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto& sql = s.sql();
    long long uid = id.value;
    sql << "UPDATE users SET password_hash = :h, area_code = :a, password_changed_at = :n WHERE id = :id",
        soci::use(password_hash), soci::use(area_code), soci::use(now), soci::use(uid);
    ReplaceRolesAndEndSessions(sql, uid, roles);
    if (auto a = AuditIn(s, std::move(entry)); !a) return std::unexpected(a.error());
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

Result<std::optional<std::pair<User, std::string>>> AuthStore::FindByUsername(const std::string& username) {
  return db::Guard([&]() -> Result<std::optional<std::pair<User, std::string>>> {
    auto s = db_.Acquire();
    auto& sql = s.sql();
    long long id = 0, active = 0, must_change = 0;
    std::string hash, created;
    std::optional<std::string> area;
    sql << "SELECT id, password_hash, area_code, active, created_at, must_change_password FROM users "
           "WHERE username = :u",
        soci::use(username), soci::into(id), soci::into(hash), soci::into(area), soci::into(active),
        soci::into(created), soci::into(must_change);
    if (!sql.got_data()) return std::nullopt;
    auto roles = LoadRoles(sql, id);
    if (!roles) return std::unexpected(roles.error());
    return std::make_pair(User{UserId(id), username, *roles, area, active != 0, created, must_change != 0}, hash);
  });
}

Result<std::optional<User>> AuthStore::FindById(UserId uid) {
  return db::Guard([&]() -> Result<std::optional<User>> {
    auto s = db_.Acquire();
    auto& sql = s.sql();
    long long id = uid.value, active = 0, must_change = 0;
    std::string username, created;
    std::optional<std::string> area;
    sql << "SELECT username, area_code, active, created_at, must_change_password FROM users WHERE id = :id",
        soci::use(id), soci::into(username), soci::into(area), soci::into(active), soci::into(created),
        soci::into(must_change);
    if (!sql.got_data()) return std::nullopt;
    auto roles = LoadRoles(sql, id);
    if (!roles) return std::unexpected(roles.error());
    return User{uid, username, *roles, area, active != 0, created, must_change != 0};
  });
}

Result<std::vector<User>> AuthStore::ListUsers(int limit, int offset, std::string_view sort, long long& total) {
  return db::Guard([&]() -> Result<std::vector<User>> {
    auto s = db_.Acquire();
    auto& sql = s.sql();
    sql << "SELECT COUNT(*) FROM users", soci::into(total);
    long long lim = limit, off = offset;
    std::vector<User> users;
    soci::rowset<soci::row> rs =
        (sql.prepare
             << "SELECT id, username, area_code, active, created_at, must_change_password FROM users ORDER BY " +
                    db::OrderBy(db_.dialect(), kUserSorts, sort, "id", db::TextOrder("username", db_.dialect())) +
                    " LIMIT :l OFFSET :o",
         soci::use(lim), soci::use(off));
    for (const auto& r : rs) {
      User u;
      // users.id is INTEGER on SQLite (SOCI reads it as int) and BIGINT on PostgreSQL.
      u.id = UserId(r.get_properties(0).get_data_type() == soci::dt_integer ? r.get<int>(0) : r.get<long long>(0));
      u.username = r.get<std::string>(1);
      if (r.get_indicator(2) != soci::i_null) u.area_code = r.get<std::string>(2);
      u.active = r.get<long long>(3) != 0;
      u.created_at = r.get<std::string>(4);
      u.must_change_password = db::RowInt(r, 5) != 0;
      users.push_back(std::move(u));
    }
    for (auto& u : users) {
      auto roles = LoadRoles(sql, u.id.value);
      if (!roles) return std::unexpected(roles.error());
      u.roles = *roles;
    }
    return users;
  });
}

Status AuthStore::InsertSession(const std::string& token_hash, UserId user, SessionKind kind, const std::string& csrf,
                                const std::string& now, const std::string& expires_at, const std::string& ip,
                                audit::AuditEntry entry) {
  auto r = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    long long uid = user.value;
    std::string k = KindName(kind);
    s.sql() << "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, last_seen_at, expires_at, ip, "
               "revoked) VALUES (:h, :u, :k, :c, :n, :n2, :e, :ip, 0)",
        soci::use(token_hash), soci::use(uid), soci::use(k), soci::use(csrf), soci::use(now), soci::use(now),
        soci::use(expires_at), soci::use(ip);
    if (auto a = AuditIn(s, std::move(entry)); !a) return std::unexpected(a.error());
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

Result<std::optional<StoredSession>> AuthStore::FindSession(const std::string& token_hash) {
  return db::Guard([&]() -> Result<std::optional<StoredSession>> {
    auto s = db_.Acquire();
    long long uid = 0, revoked = 0;
    std::string kind;
    std::optional<std::string> csrf;
    StoredSession out;
    s.sql() << "SELECT user_id, kind, csrf_token, created_at, last_seen_at, expires_at, revoked FROM sessions "
               "WHERE token_hash = :h",
        soci::use(token_hash), soci::into(uid), soci::into(kind), soci::into(csrf), soci::into(out.created_at),
        soci::into(out.last_seen_at), soci::into(out.expires_at), soci::into(revoked);
    if (!s.sql().got_data()) return std::nullopt;
    out.user_id = UserId(uid);
    out.kind = kind == "browser" ? SessionKind::kBrowser : SessionKind::kBearer;
    out.csrf_token = csrf.value_or("");
    out.revoked = revoked != 0;
    return out;
  });
}

Result<std::optional<SessionState>> AuthStore::FindSessionState(const std::string& token_hash) {
  return db::Guard([&]() -> Result<std::optional<SessionState>> {
    auto s = db_.Acquire();
    // Runs on every authenticated request: prepared once per connection.
    auto q = s.Prepare(
        "SELECT s.user_id, s.kind, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.revoked, "
        "u.active, u.must_change_password FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = :h");
    q.Bind(token_hash);
    if (!q.Execute()) return std::nullopt;
    const soci::row& r = q.Row();
    SessionState out;
    out.session.user_id = UserId(db::RowInt(r, 0));
    out.session.kind = r.get<std::string>(1) == "browser" ? SessionKind::kBrowser : SessionKind::kBearer;
    out.session.csrf_token = db::RowOptStr(r, 2).value_or("");
    out.session.created_at = r.get<std::string>(3);
    out.session.last_seen_at = r.get<std::string>(4);
    out.session.expires_at = r.get<std::string>(5);
    out.session.revoked = db::RowInt(r, 6) != 0;
    out.user_active = db::RowInt(r, 7) != 0;
    out.must_change_password = db::RowInt(r, 8) != 0;
    return out;
  });
}

Status AuthStore::SetPassword(UserId id, const std::string& password_hash, bool must_change, const std::string& now,
                              const std::string& keep_session, audit::AuditEntry entry) {
  auto r = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto& sql = s.sql();
    long long uid = id.value, flag = must_change ? 1 : 0;
    soci::statement st = (sql.prepare << "UPDATE users SET password_hash = :h, must_change_password = :m, "
                                         "password_changed_at = :n WHERE id = :id",
                          soci::use(password_hash), soci::use(flag), soci::use(now), soci::use(uid));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Failure(Code::kNotFound, "user.not_found", {{"id", std::to_string(id.value)}}, "id");
    sql << "UPDATE sessions SET revoked = 1 WHERE user_id = :id AND token_hash <> :keep", soci::use(uid),
        soci::use(keep_session);
    if (auto a = AuditIn(s, std::move(entry)); !a) return std::unexpected(a.error());
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

Result<std::string> AuthStore::PasswordHash(UserId id) {
  return db::Guard([&]() -> Result<std::string> {
    auto s = db_.Acquire();
    long long uid = id.value;
    std::string hash;
    s.sql() << "SELECT password_hash FROM users WHERE id = :id", soci::use(uid), soci::into(hash);
    if (!s.sql().got_data())
      return Failure(Code::kNotFound, "user.not_found", {{"id", std::to_string(id.value)}}, "id");
    return hash;
  });
}

Status AuthStore::TouchSession(const std::string& token_hash, const std::string& now) {
  auto r = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    s.sql() << "UPDATE sessions SET last_seen_at = :n WHERE token_hash = :h", soci::use(now), soci::use(token_hash);
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

Status AuthStore::RevokeSession(const std::string& token_hash) {
  auto r = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    s.sql() << "UPDATE sessions SET revoked = 1 WHERE token_hash = :h", soci::use(token_hash);
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

Result<long long> AuthStore::PurgeExpired(const std::string& now) {
  return db_.InTransaction<long long>([&](db::Session& s) -> Result<long long> {
    soci::statement st = (s.sql().prepare << "DELETE FROM sessions WHERE expires_at < :n", soci::use(now));
    st.execute(true);
    return static_cast<long long>(st.get_affected_rows());
  });
}

Status AuthStore::SetAccess(UserId id, const std::vector<Role>& roles, const std::optional<std::string>& area_code,
                            bool active, audit::AuditEntry entry) {
  auto r = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto& sql = s.sql();
    long long uid = id.value, found = 0;
    sql << "SELECT COUNT(*) FROM users WHERE id = :id", soci::use(uid), soci::into(found);
    if (found == 0) return Failure(Code::kNotFound, "user.not_found", {{"id", std::to_string(uid)}}, "id");
    if (area_code) {
      long long n = 0;
      sql << "SELECT COUNT(*) FROM areas WHERE code = :c", soci::use(*area_code), soci::into(n);
      if (n == 0) return Failure(Code::kFailedPrecondition, "area.not_found", {{"code", *area_code}}, "area_code");
    }
    const int flag = active ? 1 : 0;
    sql << "UPDATE users SET area_code = :a, active = :f WHERE id = :id", soci::use(area_code), soci::use(flag),
        soci::use(uid);
    ReplaceRolesAndEndSessions(sql, uid, roles);
    if (auto a = AuditIn(s, std::move(entry)); !a) return std::unexpected(a.error());
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

}  // namespace sanad::auth
