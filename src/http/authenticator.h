// How the pipeline learns who is calling. The transport knows the principal type (auth/user.h) and
// nothing of how accounts and sessions are stored: the composition root (app/) implements this over
// auth::AuthService.
#pragma once

#include <string>

#include "auth/user.h"
#include "core/error.h"

namespace sanad::http {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The principal of a session cookie's or bearer token's secret. Errors: kUnauthenticated for an
  // unknown, expired or wrong-kind session; kUnavailable when the store cannot be read.
  virtual Result<auth::Principal> Authenticate(const std::string& secret, auth::SessionKind expected_kind) = 0;
};

}  // namespace sanad::http
