// A route: method, express-style path pattern, the permission it requires, the body size it accepts
// and its handler. Routes are declared in the api module's route files and assembled in one table.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "http/message.h"
#include "http/rate_limiter.h"

namespace sanad::http {

using Handler = std::function<Response(Request&)>;

inline constexpr std::size_t kDefaultMaxBody = 1 << 20;  // 1 MiB for JSON requests

struct Route {
  std::string method;   // GET | POST | PUT | PATCH | DELETE
  std::string pattern;  // "/api/v1/areas/:code"
  // Deny by default: a route whose permission is not declared answers 403 to everyone.
  std::optional<auth::Permission> permission;
  Handler handler;
  std::size_t max_body = kDefaultMaxBody;
  // Reachable while the account must change its password (after an administrator's reset); every
  // other authenticated route answers 403 with reason password.change_required until then.
  bool allowed_before_password_change = false;
  // Requests a client address may make (public routes that cost the server work); null: no limit.
  std::shared_ptr<RateLimiter> limit;
};

using RouteTable = std::vector<Route>;

}  // namespace sanad::http
