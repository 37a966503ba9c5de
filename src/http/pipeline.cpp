#include "http/pipeline.h"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>

#include "core/time.h"

namespace sanad::http {

namespace {

bool IsStateChanging(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

// Accepts a caller's X-Request-Id only when it is short and plain, so it cannot inject into logs.
bool AcceptableRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

std::string Pipeline::NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

// An internal error's message is for operators: it may hold SQL text, bound values (names, national
// ids, references) or a library's exception text. The client gets a fixed message and the request id
// that finds the full text in the error log.
Response Pipeline::Conceal(const Request& req, Response resp) {
  // An error's body is not rendered yet (Finish does it): log the error itself.
  const std::string detail = resp.error ? fmt::format("{} {} {} {}", CodeName(resp.error->code), resp.error->reason,
                                                      resp.error->field, resp.error->message)
                                        : resp.body;
  spdlog::error("request {} {} {} answered {}: {}", req.request_id, req.method, JsonEscape(req.path), resp.status,
                JsonEscape(detail));
  Error e{Code::kInternal, "internal error; quote request id " + req.request_id, "", 0, "error.internal"};
  e.params = {{"request_id", req.request_id}};
  Response out = ErrorResponse(e);
  out.status = resp.status;
  return out;
}

Response Pipeline::RunGuarded(const Route& route, Request& req) {
  try {
    return Run(route, req);
  } catch (const std::exception& e) {
    return ErrorResponse({Code::kInternal, fmt::format("uncaught exception: {}", e.what()), "", 0});
  } catch (...) {
    return ErrorResponse({Code::kInternal, "uncaught exception of unknown type", "", 0});
  }
}

void Pipeline::HandleAsync(const Route& route, std::shared_ptr<Request> req, std::function<void(Response)> send) {
  const auto start = std::chrono::steady_clock::now();
  req->deferred = std::make_shared<Deferred>();
  Response resp = RunGuarded(route, *req);
  auto deferred = req->deferred;
  deferred->Then([this, &route, req, start, resp = std::move(resp), send = std::move(send)](Status st) mutable {
    // May run on the audit writer thread: nothing may escape from here.
    try {
      if (!st) resp = ErrorResponse(st.error());
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      send(Finish(*req, std::move(resp), route.pattern, seconds));
    } catch (const std::exception& e) {
      spdlog::error("request {} could not be answered: {}", req->request_id, e.what());
    }
  });
}

Response Pipeline::Handle(const Route& route, Request& req) {
  const auto start = std::chrono::steady_clock::now();
  req.deferred = std::make_shared<Deferred>();
  Response resp = RunGuarded(route, req);
  std::mutex m;
  std::condition_variable cv;
  std::optional<Status> done;
  req.deferred->Then([&](Status st) {
    std::lock_guard lock(m);
    done = std::move(st);
    cv.notify_one();
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done.has_value(); });
  }
  if (!*done) resp = ErrorResponse(done->error());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Finish(req, std::move(resp), route.pattern, seconds);
}

Response Pipeline::Run(const Route& route, Request& req) {
  if (req.body.size() > route.max_body) {
    return ErrorResponse(Failure(Code::kPayloadTooLarge, "request.too_large",
                                 {{"size", std::to_string(req.body.size())}, {"max", std::to_string(route.max_body)}},
                                 "body")
                             .error());
  }
  if (!route.permission) {
    return ErrorResponse(Failure(Code::kPermissionDenied, "route.no_permission").error());
  }
  const auth::Permission permission = *route.permission;
  Result<auth::Principal> who = Failure(Code::kUnauthenticated, "auth.sign_in_required");
  const bool credential = req.Header("authorization") != nullptr || req.Cookie(kSessionCookie).has_value();
  if (credential) {
    if (const std::string* authz = req.Header("authorization")) {
      if (authz->size() > 7 && (authz->starts_with("Bearer ") || authz->starts_with("bearer "))) {
        who = auth_.Authenticate(authz->substr(7), auth::SessionKind::kBearer);
      } else {
        who = Failure(Code::kUnauthenticated, "auth.bad_authorization", {}, "Authorization");
      }
    } else if (auto cookie = req.Cookie(kSessionCookie)) {
      who = auth_.Authenticate(*cookie, auth::SessionKind::kBrowser);
    }
  }
  if (permission == auth::Permission::kPublic) {
    // A public route never acts on the caller's authority (Request::viewer). A credential that is not
    // valid (a session that ended) is a citizen's: no 401 on a public page.
    if (credential && who) req.viewer = std::move(*who);
  } else {
    if (!who) return ErrorResponse(who.error());
    req.principal = std::move(*who);
    if (req.principal->kind == auth::SessionKind::kBrowser && IsStateChanging(req.method)) {
      const std::string* csrf = req.Header("x-csrf-token");
      const std::string& expected = req.principal->csrf_token;
      if (!csrf || csrf->size() != expected.size() ||
          sodium_memcmp(csrf->data(), expected.data(), expected.size()) != 0) {
        return ErrorResponse(Failure(Code::kPermissionDenied, "auth.csrf", {}, "X-CSRF-Token").error());
      }
    }
    if (req.principal->user.must_change_password && !route.allowed_before_password_change) {
      return ErrorResponse(Failure(Code::kPermissionDenied, "password.change_required").error());
    }
    if (!auth::Grants(req.principal->user.roles, permission)) {
      return ErrorResponse(Failure(Code::kPermissionDenied, "auth.role_missing",
                                   {{"permission", std::string(auth::PermissionName(permission))}})
                               .error());
    }
  }
  if (route.limit) {
    if (auto wait = route.limit->Take(req.remote_ip)) {
      auto refused = Failure(Code::kResourceExhausted, "request.rate_limited", {{"seconds", std::to_string(*wait)}});
      refused.error().retry_after_seconds = *wait;
      return ErrorResponse(refused.error());
    }
  }
  return route.handler(req);
}

Response Pipeline::Finish(Request& req, Response resp, const std::string& route_name, double seconds) {
  if (resp.status >= 500 && resp.status != 503) resp = Conceal(req, std::move(resp));
  if (resp.error) {
    // Errors speak the client's language; API clients that send no Accept-Language get English.
    const i18n::Lang lang = RequestLang(req);
    resp.body = ErrorBody(*resp.error, lang, req.request_id);
    SayLanguage(resp, lang);
  }
  resp.Header("X-Request-Id", req.request_id);
  resp.Header("X-Content-Type-Options", "nosniff");
  resp.Header("Referrer-Policy", "no-referrer");
  if (req.path.starts_with("/api/")) resp.Header("Cache-Control", "no-store");
  if (transport_.https) {
    resp.Header("Strict-Transport-Security", fmt::format("max-age={}", transport_.hsts_max_age.count()));
    for (auto& [name, value] : resp.headers) {
      if (name == "Set-Cookie" && !value.ends_with("; Secure")) value += "; Secure";
    }
  }
  metrics_.Observe(req.method, route_name, resp.status, seconds);
  if (access_log_) {
    access_log_->info(
        R"({{"ts":"{}","request_id":"{}","remote":"{}","method":"{}","path":"{}","route":"{}","status":{},"bytes":{},"ms":{:.3f},"user":"{}"}})",
        FormatTimestamp(std::chrono::system_clock::now()), req.request_id, JsonEscape(req.remote_ip),
        JsonEscape(req.method), JsonEscape(req.path), JsonEscape(route_name), resp.status, resp.body.size(),
        seconds * 1000, req.principal ? JsonEscape(req.principal->user.username) : "");
  }
  return resp;
}

}  // namespace sanad::http
