#include "auth/auth_service.h"

#include <fmt/format.h>
#include <sodium.h>

#include "auth/password.h"

namespace sanad::auth {

Status CheckUsername(std::string_view u) {
  if (u.size() < 3 || u.size() > 64) {
    return Fail(Code::kInvalidArgument, "usernames have 3 to 64 characters", "username");
  }
  if (!(u[0] >= 'a' && u[0] <= 'z')) return Fail(Code::kInvalidArgument, "usernames start with a letter a–z", "username");
  for (char c : u) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return Fail(Code::kInvalidArgument, "usernames may hold only a–z, 0–9, '.', '_' and '-'", "username");
  }
  return Ok();
}

AuthService::AuthService(AuthStore& store, audit::AuditLog& audit, const Clock& clock, SessionPolicy policy,
                         ThrottlePolicy throttle)
    : store_(store), audit_(audit), clock_(clock), policy_(policy), throttle_(clock, throttle) {
  EnsureSodium();
}

std::string AuthService::DigestHex(const std::string& secret) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  std::string hex(2 * sizeof d, '\0');
  sodium_bin2hex(hex.data(), hex.size() + 1, d, sizeof d);
  return hex;
}

std::string AuthService::RandomToken(std::size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password, SessionKind kind,
                                       const RequestOrigin& origin) {
  auto audit_line = [&](std::string action, std::optional<std::int64_t> uid, std::string details) {
    audit::AuditEntry e;
    e.user_id = uid;
    e.username = username.substr(0, 64);
    e.action = std::move(action);
    e.record_type = "user";
    e.record_id = uid ? std::to_string(*uid) : "";
    e.ip = origin.ip;
    e.request_id = origin.request_id;
    e.details = std::move(details);
    (void)audit_.Append(std::move(e));
  };
  if (auto wait = throttle_.RetryAfter(username, origin.ip)) {
    audit_line("login_throttled", std::nullopt, fmt::format(R"({{"retry_after":{}}})", *wait));
    Error err{Code::kResourceExhausted, fmt::format("too many failed sign-ins; retry in {} s", *wait), "", *wait};
    return std::unexpected(err);
  }
  auto found = store_.FindByUsername(username);
  if (!found) return std::unexpected(found.error());
  bool ok = false;
  if (*found) {
    ok = VerifyPassword(password, (*found)->second) && (*found)->first.active;
  } else {
    BurnVerifyTime(password);
  }
  if (!ok) {
    throttle_.RecordFailure(username, origin.ip);
    audit_line("login_failed", *found ? std::optional<std::int64_t>((*found)->first.id.value) : std::nullopt, "{}");
    return Fail(Code::kUnauthenticated, "unknown username or wrong password");
  }
  throttle_.RecordSuccess(username);
  const User& user = (*found)->first;
  LoginResult out;
  out.user = user;
  out.secret = RandomToken();
  const TimePoint now = clock_.Now();
  auto lifetime = kind == SessionKind::kBrowser ? policy_.absolute_timeout : policy_.bearer_lifetime;
  out.expires_in = static_cast<int>(lifetime.count());
  out.expires_at = FormatTimestamp(now + lifetime);
  if (kind == SessionKind::kBrowser) out.csrf_token = RandomToken();
  if (auto s = store_.InsertSession(DigestHex(out.secret), user.id, kind, out.csrf_token, FormatTimestamp(now),
                                    out.expires_at, origin.ip);
      !s) {
    return std::unexpected(s.error());
  }
  audit_line(kind == SessionKind::kBrowser ? "login" : "token_issued", user.id.value, "{}");
  return out;
}

Result<Principal> AuthService::Authenticate(const std::string& secret, SessionKind expected_kind) {
  if (secret.empty() || secret.size() > 256) return Fail(Code::kUnauthenticated, "missing or malformed credentials");
  const std::string hash = DigestHex(secret);
  const TimePoint now = clock_.Now();
  const std::string now_text = FormatTimestamp(now);
  auto valid = [&](const StoredSession& s) -> Status {
    if (s.revoked) return Fail(Code::kUnauthenticated, "the session has ended; sign in again");
    if (s.kind != expected_kind) return Fail(Code::kUnauthenticated, "credentials of the wrong kind");
    if (s.expires_at <= now_text) return Fail(Code::kUnauthenticated, "the session has expired; sign in again");
    if (s.kind == SessionKind::kBrowser) {
      auto last = ParseTimestamp(s.last_seen_at);
      if (!last || *last + policy_.idle_timeout <= now) {
        return Fail(Code::kUnauthenticated, "the session was idle too long; sign in again");
      }
    }
    return Ok();
  };
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(hash); it != cache_.end() && it->second.cached_at + policy_.cache_ttl > now) {
      if (auto ok = valid(it->second.session); !ok) return std::unexpected(ok.error());
      return it->second.principal;
    }
  }
  auto stored = store_.FindSession(hash);
  if (!stored) return std::unexpected(stored.error());
  if (!*stored) return Fail(Code::kUnauthenticated, "unknown session; sign in again");
  StoredSession session = **stored;
  if (auto ok = valid(session); !ok) return std::unexpected(ok.error());
  auto user = store_.FindById(session.user_id);
  if (!user) return std::unexpected(user.error());
  if (!*user || !(*user)->active) return Fail(Code::kUnauthenticated, "the account is disabled");
  if (session.kind == SessionKind::kBrowser) {
    auto last = ParseTimestamp(session.last_seen_at);
    if (last && *last + policy_.touch_interval <= now) {
      (void)store_.TouchSession(hash, now_text);
      session.last_seen_at = now_text;
    }
  }
  Principal p{**user, session.kind, hash, session.csrf_token};
  std::lock_guard lock(cache_mu_);
  if (cache_.size() > 50000) cache_.clear();
  cache_[hash] = CacheEntry{p, session, now};
  return p;
}

Status AuthService::Logout(const Principal& p, const RequestOrigin& origin) {
  {
    std::lock_guard lock(cache_mu_);
    cache_.erase(p.session_hash);
  }
  if (auto s = store_.RevokeSession(p.session_hash); !s) return s;
  audit::AuditEntry e;
  e.user_id = p.user.id.value;
  e.username = p.user.username;
  e.action = "logout";
  e.record_type = "user";
  e.record_id = std::to_string(p.user.id.value);
  e.ip = origin.ip;
  e.request_id = origin.request_id;
  (void)audit_.Append(std::move(e));
  return Ok();
}

Result<User> AuthService::CreateUser(const std::string& username, const std::string& password,
                                     const std::vector<Role>& roles, const std::optional<std::string>& area_code) {
  if (auto s = CheckUsername(username); !s) return std::unexpected(s.error());
  if (auto s = CheckPasswordPolicy(password); !s) return std::unexpected(s.error());
  if (roles.empty()) return Fail(Code::kInvalidArgument, "a user needs at least one role", "role");
  auto hash = HashPassword(password);
  if (!hash) return std::unexpected(hash.error());
  return store_.CreateUser(username, *hash, roles, area_code, FormatTimestamp(clock_.Now()));
}

Result<User> AuthService::UpsertUser(const std::string& username, const std::string& password,
                                     const std::vector<Role>& roles, const std::optional<std::string>& area_code) {
  auto found = store_.FindByUsername(username);
  if (!found) return std::unexpected(found.error());
  if (!*found) return CreateUser(username, password, roles, area_code);
  if (auto s = CheckPasswordPolicy(password); !s) return std::unexpected(s.error());
  auto hash = HashPassword(password);
  if (!hash) return std::unexpected(hash.error());
  User u = (*found)->first;
  if (auto s = store_.UpdateUser(u.id, *hash, roles, area_code, FormatTimestamp(clock_.Now())); !s) {
    return std::unexpected(s.error());
  }
  u.roles = roles;
  u.area_code = area_code;
  return u;
}

}  // namespace sanad::auth
