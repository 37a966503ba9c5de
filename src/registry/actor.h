// Who acts on the registry: the user, their area scope, and where the request came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "registry/records.h"

namespace sanad::registry {

struct Actor {
  std::optional<std::int64_t> user_id;
  std::string username;
  Scope scope;
  std::string ip;
  std::string request_id;
  bool administrator = false;  // holds the admin role (e.g. may cancel another user's national job)
};

}  // namespace sanad::registry
