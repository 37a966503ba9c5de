// The middleware every request goes through, in one place: request id, body limit, authentication
// (session cookie or bearer token), CSRF on state-changing browser requests, the route's declared
// permission (deny by default), a catch-all around the handler, security headers, metrics and a
// JSON-lines access log.
//
// Thread safety: Handle may be called concurrently.
#pragma once

#include <spdlog/logger.h>
#include <chrono>
#include <memory>

#include "http/authenticator.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/route.h"

namespace sanad::http {

inline constexpr const char* kSessionCookie = "sanad_session";

// How clients reach the server, from the server's configuration (never from request headers such as
// X-Forwarded-Proto, which any client can send).
struct TransportSecurity {
  bool https = false;  // behind TLS: session cookies get `Secure`, responses carry HSTS
  std::chrono::seconds hsts_max_age{365 * 24 * 3600};
};

bool AcceptableRequestId(const std::string& id);

class Pipeline {
 public:
  Pipeline(Authenticator& auth, Metrics& metrics, std::shared_ptr<spdlog::logger> access_log,
           TransportSecurity transport = {})
      : auth_(auth), metrics_(metrics), access_log_(std::move(access_log)), transport_(transport) {}

  // Runs `route` for `req` and passes the finished response to `send` once it may be sent: at once on
  // this thread, or — when the handler deferred it (the audit entry of a read must be durable first,
  // see Deferred) — on the thread that completes the last deferred work, this thread being free to
  // serve other requests meanwhile. A failed completion replaces the response by its error. Metrics
  // and the access log see the response as sent, with the time until then.
  void HandleAsync(const Route& route, std::shared_ptr<Request> req, std::function<void(Response)> send);
  // The same, waiting on this thread for deferred work (tests, callers without a transport).
  Response Handle(const Route& route, Request& req);
  // Finishes a response produced outside a route (404, 405, static files): headers, metrics, log.
  Response Finish(Request& req, Response resp, const std::string& route_name, double seconds);

  static std::string NewRequestId();

 private:
  Response Run(const Route& route, Request& req);
  Response RunGuarded(const Route& route, Request& req);
  static Response Conceal(const Request& req, Response resp);

  Authenticator& auth_;
  Metrics& metrics_;
  std::shared_ptr<spdlog::logger> access_log_;
  TransportSecurity transport_;
};

}  // namespace sanad::http
