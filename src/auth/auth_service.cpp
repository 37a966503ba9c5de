#include "auth/auth_service.h"

#include <sodium.h>
#include <spdlog/spdlog.h>
#include <algorithm>

#include "auth/password.h"

namespace sanad::auth {

Status CheckUsername(std::string_view u) {
  if (u.size() < 3 || u.size() > 64) {
    return Failure(Code::kInvalidArgument, "user.username_length", {{"min", "3"}, {"max", "64"}}, "username");
  }
  if (!(u[0] >= 'a' && u[0] <= 'z')) return Failure(Code::kInvalidArgument, "user.username_start", {}, "username");
  for (char c : u) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return Failure(Code::kInvalidArgument, "user.username_chars", {}, "username");
  }
  return Ok();
}

namespace {

std::vector<std::string> RoleNames(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  names.reserve(roles.size());
  for (Role r : roles) names.emplace_back(RoleName(r));
  return names;
}

}  // namespace

AuthService::AuthService(AuthStore& store, audit::AuditLog& audit, const Clock& clock, SessionPolicy policy,
                         ThrottlePolicy throttle)
    : store_(store),
      audit_(audit),
      clock_(clock),
      policy_(policy),
      throttle_(throttle),
      throttle_store_(store.database()) {
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

audit::AuditEntry AuthService::Entry(const std::string& action, const std::string& username,
                                     std::optional<std::int64_t> uid, const RequestOrigin& origin,
                                     const nlohmann::json& details) {
  audit::AuditEntry e;
  e.user_id = uid;
  e.username = username.substr(0, 64);
  e.action = action;
  e.record_type = "user";
  e.record_id = uid ? std::to_string(*uid) : "";
  e.ip = origin.ip;
  e.request_id = origin.request_id;
  e.details = details.dump();
  return e;
}

void AuthService::AuditEvent(audit::AuditEntry entry) {
  const std::string action = entry.action, request_id = entry.request_id;
  if (auto a = audit_.Append(std::move(entry)); !a) {
    spdlog::error("request {}: the audit entry '{}' could not be written: {}", request_id.empty() ? "-" : request_id,
                  action, a.error().message);
  }
}

Result<Admission> AuthService::Admit(const std::string& username, const RequestOrigin& origin) {
  const TimePoint now = clock_.Now();
  auto a = throttle_store_.Update(username, origin.ip, FormatTimestamp(now),
                                  [&](ThrottleRows& rows) { return AdmitAttempt(throttle_, now, rows); });
  if (!a) return std::unexpected(a.error());
  if (!a->admitted) {
    auto err =
        Failure(Code::kResourceExhausted, "login.throttled", {{"seconds", std::to_string(a->retry_after_seconds)}});
    err.error().retry_after_seconds = a->retry_after_seconds;
    return err;
  }
  return a;
}

void AuthService::GiveBack(const std::string& username, const RequestOrigin& origin, const Admission& admission) {
  const TimePoint now = clock_.Now();
  auto updated = throttle_store_.Update(username, origin.ip, FormatTimestamp(now), [&](ThrottleRows& rows) {
    RecordSuccess(throttle_, now, admission, rows);
    return admission;
  });
  // The sign-in goes ahead: the pair's failure count is only left higher than it should be.
  if (!updated) {
    spdlog::error("request {}: the sign-in throttle could not be reset: {}", origin.request_id,
                  updated.error().message);
  }
}

void AuthService::AuditLockEvents(const std::string& username, const RequestOrigin& origin, const LockEvents& ev) {
  for (auto [happened, scope] : {std::pair{ev.pair_locked, "pair"}, std::pair{ev.account_guarded, "account"},
                                 std::pair{ev.address_slowed, "address"}}) {
    if (happened) AuditEvent(Entry("login_locked", username, std::nullopt, origin, {{"scope", scope}}));
  }
}

void AuthService::MaybeSweep() {
  const std::int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_.Now().time_since_epoch()).count();
  std::int64_t last = last_sweep_us_.load();
  const std::int64_t interval_us =
      std::chrono::duration_cast<std::chrono::microseconds>(throttle_.sweep_interval).count();
  if (now_us - last < interval_us || !last_sweep_us_.compare_exchange_strong(last, now_us)) return;
  if (auto swept = SweepThrottle(); !swept) {
    spdlog::error("the sign-in throttle sweep failed: {}", swept.error().message);
  }
}

Result<ThrottleSweep> AuthService::SweepThrottle() {
  const TimePoint now = clock_.Now();
  auto sweep = throttle_store_.Sweep(FormatTimestamp(now), FormatTimestamp(now - throttle_.reset_after),
                                     FormatTimestamp(now - throttle_.known_pair_memory));
  if (!sweep) return sweep;
  if (sweep->failures + sweep->refused > 0) {
    nlohmann::json top = nlohmann::json::array();
    for (const auto& [ip, n] : sweep->top_addresses) top.push_back({{"ip", ip}, {"attempts", n}});
    AuditEvent(Entry("login_failures_summary", "", std::nullopt, {"", ""},
                     {{"failures", sweep->failures},
                      {"refused", sweep->refused},
                      {"addresses", sweep->addresses},
                      {"accounts", sweep->accounts},
                      {"top_addresses", std::move(top)}}));
  }
  return sweep;
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password, SessionKind kind,
                                       const RequestOrigin& origin) {
  MaybeSweep();
  // Counted before the password is checked: parallel guesses cannot overrun the budget.
  auto admission = Admit(username, origin);
  if (!admission) return std::unexpected(admission.error());
  auto found = store_.FindByUsername(username);
  if (!found) return std::unexpected(found.error());
  bool ok = false;
  if (*found) {
    ok = VerifyPassword(password, (*found)->second) && (*found)->first.active;
  } else {
    BurnVerifyTime(password);
  }
  if (!ok) {
    // Each wrong password is audited: the throttle bounds how many checks anyone gets. Refused
    // attempts (429) are only counted, in the throttle table.
    AuditEvent(Entry("login_failed", username,
                     *found ? std::optional<std::int64_t>((*found)->first.id.value) : std::nullopt, origin));
    AuditLockEvents(username, origin, admission->events);
    return Failure(Code::kUnauthenticated, "login.failed");
  }
  GiveBack(username, origin, *admission);
  const User& user = (*found)->first;
  LoginResult out;
  out.user = user;
  out.secret = RandomToken();
  const TimePoint now = clock_.Now();
  auto lifetime = kind == SessionKind::kBrowser ? policy_.absolute_timeout : policy_.bearer_lifetime;
  out.expires_in = static_cast<int>(lifetime.count());
  out.expires_at = FormatTimestamp(now + lifetime);
  if (kind == SessionKind::kBrowser) out.csrf_token = RandomToken();
  if (auto s = store_.InsertSession(
          DigestHex(out.secret), user.id, kind, out.csrf_token, FormatTimestamp(now), out.expires_at, origin.ip,
          Entry(kind == SessionKind::kBrowser ? "login" : "token_issued", username, user.id.value, origin));
      !s) {
    return std::unexpected(s.error());
  }
  return out;
}

Result<Principal> AuthService::Authenticate(const std::string& secret, SessionKind expected_kind) {
  if (secret.empty() || secret.size() > 256) return Failure(Code::kUnauthenticated, "session.malformed");
  const std::string hash = DigestHex(secret);
  const TimePoint now = clock_.Now();
  const std::string now_text = FormatTimestamp(now);
  // One indexed read per request: the session and its account as they are now, on every server.
  auto stored = store_.FindSessionState(hash);
  if (!stored) return std::unexpected(stored.error());
  if (!*stored) return Failure(Code::kUnauthenticated, "session.unknown");
  const SessionState& state = **stored;
  const StoredSession& s = state.session;
  if (s.revoked) return Failure(Code::kUnauthenticated, "session.ended");
  if (s.kind != expected_kind) return Failure(Code::kUnauthenticated, "session.wrong_kind");
  if (s.expires_at <= now_text) return Failure(Code::kUnauthenticated, "session.expired");
  std::optional<TimePoint> last_seen;
  if (s.kind == SessionKind::kBrowser) {
    auto last = ParseTimestamp(s.last_seen_at);
    if (!last || *last + policy_.idle_timeout <= now) {
      return Failure(Code::kUnauthenticated, "session.idle");
    }
    last_seen = *last;
  }
  if (!state.user_active) return Failure(Code::kUnauthenticated, "account.disabled");
  std::optional<User> user;
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(hash); it != cache_.end()) user = it->second;
  }
  if (!user) {
    auto found = store_.FindById(s.user_id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return Failure(Code::kUnauthenticated, "account.disabled");
    user = **found;
    std::lock_guard lock(cache_mu_);
    if (cache_.size() > 50000) cache_.clear();
    cache_[hash] = *user;
  }
  user->active = true;
  user->must_change_password = state.must_change_password;
  if (last_seen && *last_seen + policy_.touch_interval <= now) (void)store_.TouchSession(hash, now_text);
  return Principal{*user, s.kind, hash, s.csrf_token};
}

Status AuthService::Logout(const Principal& p, const RequestOrigin& origin) {
  {
    std::lock_guard lock(cache_mu_);
    cache_.erase(p.session_hash);
  }
  // The session ends even when its logout cannot be audited: keeping it alive would be the greater harm.
  if (auto s = store_.RevokeSession(p.session_hash); !s) return s;
  AuditEvent(Entry("logout", p.user.username, p.user.id.value, origin));
  return Ok();
}

Status AuthService::ChangeOwnPassword(const Principal& p, const std::string& current, const std::string& new_password,
                                      const RequestOrigin& origin) {
  // Checking the current password is a guessing oracle for whoever holds a stolen session: throttled.
  auto admission = Admit(p.user.username, origin);
  if (!admission) return std::unexpected(admission.error());
  auto hash = store_.PasswordHash(p.user.id);
  if (!hash) return std::unexpected(hash.error());
  if (!VerifyPassword(current, *hash)) {
    AuditLockEvents(p.user.username, origin, admission->events);
    return Failure(Code::kUnauthenticated, "password.wrong_current", {}, "current_password");
  }
  GiveBack(p.user.username, origin, *admission);
  if (auto s = CheckPasswordPolicy(new_password, p.user.username, "new_password"); !s) return s;
  auto same_a = NormalizePassword(current), same_b = NormalizePassword(new_password);
  if (same_a && same_b && *same_a == *same_b) {
    return Failure(Code::kInvalidArgument, "password.unchanged", {}, "new_password");
  }
  auto new_hash = HashPassword(new_password);
  if (!new_hash) return std::unexpected(new_hash.error());
  return store_.SetPassword(p.user.id, *new_hash, false, FormatTimestamp(clock_.Now()), p.session_hash,
                            Entry("password_changed", p.user.username, p.user.id.value, origin));
}

Status AuthService::ResetPassword(const Principal& admin, UserId target, const std::string& temporary,
                                  const RequestOrigin& origin) {
  auto user = store_.FindById(target);
  if (!user) return std::unexpected(user.error());
  if (!*user) return Failure(Code::kNotFound, "user.not_found", {{"id", std::to_string(target.value)}}, "id");
  if (auto s = CheckPasswordPolicy(temporary, (*user)->username); !s) return s;
  auto hash = HashPassword(temporary);
  if (!hash) return std::unexpected(hash.error());
  return store_.SetPassword(target, *hash, true, FormatTimestamp(clock_.Now()), "",
                            Entry("password_reset", admin.user.username, admin.user.id.value, origin,
                                  {{"user_id", target.value}, {"username", (*user)->username}}));
}

Result<User> AuthService::CreateUser(const std::string& username, const std::string& password,
                                     const std::vector<Role>& roles, const std::optional<std::string>& area_code,
                                     const AccountActor& by) {
  if (auto s = CheckUsername(username); !s) return std::unexpected(s.error());
  if (auto s = CheckPasswordPolicy(password, username); !s) return std::unexpected(s.error());
  if (roles.empty()) return Failure(Code::kInvalidArgument, "user.roles_required", {}, "role");
  auto hash = HashPassword(password);
  if (!hash) return std::unexpected(hash.error());
  // The entry's record is the new account (its id is filled in by the store).
  audit::AuditEntry entry = Entry("create", by.username, by.user_id, by.origin, {{"username", username}});
  return store_.CreateUser(username, *hash, roles, area_code, FormatTimestamp(clock_.Now()), std::move(entry));
}

Result<User> AuthService::UpsertUser(const std::string& username, const std::string& password,
                                     const std::vector<Role>& roles, const std::optional<std::string>& area_code) {
  auto found = store_.FindByUsername(username);
  if (!found) return std::unexpected(found.error());
  if (!*found) return CreateUser(username, password, roles, area_code);
  if (auto s = CheckPasswordPolicy(password, username); !s) return std::unexpected(s.error());
  auto hash = HashPassword(password);
  if (!hash) return std::unexpected(hash.error());
  User u = (*found)->first;
  const AccountActor cli;
  audit::AuditEntry entry = Entry("user_update", cli.username, std::nullopt, cli.origin,
                                  {{"user_id", u.id.value},
                                   {"username", username},
                                   {"roles", RoleNames(roles)},
                                   {"area_code", area_code ? nlohmann::json(*area_code) : nlohmann::json(nullptr)},
                                   {"password", "reset"}});
  if (auto s = store_.UpdateUser(u.id, *hash, roles, area_code, FormatTimestamp(clock_.Now()), std::move(entry)); !s) {
    return std::unexpected(s.error());
  }
  u.roles = roles;
  u.area_code = area_code;
  return u;
}

Result<User> AuthService::UpdateAccess(const Principal& admin, UserId target, const std::vector<Role>& roles,
                                       const std::optional<std::string>& area_code, bool active,
                                       const RequestOrigin& origin) {
  if (roles.empty()) return Failure(Code::kInvalidArgument, "user.roles_required", {}, "roles");
  if (target == admin.user.id &&
      (!active || std::find(roles.begin(), roles.end(), Role::kAdmin) == roles.end() || area_code)) {
    return Failure(Code::kFailedPrecondition, "user.cannot_restrict_self", {}, active ? "roles" : "active");
  }
  auto user = store_.FindById(target);
  if (!user) return std::unexpected(user.error());
  if (!*user) return Failure(Code::kNotFound, "user.not_found", {{"id", std::to_string(target.value)}}, "id");
  audit::AuditEntry entry = Entry("user_update", admin.user.username, admin.user.id.value, origin,
                                  {{"user_id", target.value},
                                   {"username", (*user)->username},
                                   {"roles", RoleNames(roles)},
                                   {"area_code", area_code ? nlohmann::json(*area_code) : nlohmann::json(nullptr)},
                                   {"active", active}});
  if (auto s = store_.SetAccess(target, roles, area_code, active, std::move(entry)); !s) {
    return std::unexpected(s.error());
  }
  User u = **user;
  u.roles = roles;
  u.area_code = area_code;
  u.active = active;
  return u;
}

}  // namespace sanad::auth
