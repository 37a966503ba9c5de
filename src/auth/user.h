// Accounts and the authenticated principal of a request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "core/ids.h"

namespace sanad::auth {

struct User {
  UserId id;
  std::string username;
  std::vector<Role> roles;
  std::optional<std::string> area_code;  // scope: the user sees only records under this area
  bool active = true;
  std::string created_at;
  // Set by an administrator's password reset: until the user chooses a new password, the session may
  // only change it.
  bool must_change_password = false;
};

enum class SessionKind { kBrowser, kBearer };

// Who is calling, attached to every authenticated request.
struct Principal {
  User user;
  SessionKind kind = SessionKind::kBrowser;
  std::string session_hash;  // identifies the session (for logout); never the secret itself
  std::string csrf_token;    // browser sessions only
};

}  // namespace sanad::auth
