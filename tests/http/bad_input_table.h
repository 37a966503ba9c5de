// The bad-input table: every malformed request the HTTP suite sends, with the 4xx and error it expects.
#pragma once

#include <string>
#include <vector>

#include "tests/http/test_server.h"

namespace sanad::testing {

enum class As { kAnonymous, kAdminBearer, kAdminCookie };

struct BadRequest {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
  Headers headers;  // Content-Type is added for bodies unless a test sets its own
  As as = As::kAdminBearer;
  int status = 400;
  std::string code;   // expected error.code; derived from the status when empty
  std::string field;  // expected error.field; not checked when empty
  std::string allow;  // expected Allow header for 405
};

// Malformed JSON on every JSON route, wrong types, bad paths and parameters, oversized and hostile
// requests: at least 100 rows.
std::vector<BadRequest> BadInputTable();

// Appends the rows about the request rather than its body (query, route, method, credentials);
// `good_user` is a valid POST /api/v1/users body.
void AddRequestRows(std::vector<BadRequest>& t, const nlohmann::json& good_user);

}  // namespace sanad::testing
