// The bad-input table, its rows about the request rather than its body: query parameters, unknown
// routes and wrong methods, bad credentials and CSRF tokens (bad_input_table.cpp has the body rows).
#include <string>
#include <utility>

#include "tests/http/bad_input_table.h"

namespace sanad::testing {

namespace {

using nlohmann::json;

constexpr const char* kJsonType = "application/json";

}  // namespace

void AddRequestRows(std::vector<BadRequest>& t, const nlohmann::json& good_user) {
  // --- Bad query parameters ----------------------------------------------------------------------
  struct Q {
    const char* target;
    const char* field;
  };
  const Q queries[] = {
      {"/api/v1/areas?limit=abc", "limit"},
      {"/api/v1/areas?limit=-1", "limit"},
      {"/api/v1/areas?limit=0", "limit"},
      {"/api/v1/areas?limit=2001", "limit"},
      {"/api/v1/areas?limit=99999999999999999999", "limit"},
      {"/api/v1/areas?limit=1.5", "limit"},
      {"/api/v1/areas?limit=1e3", "limit"},
      {"/api/v1/areas?limit=+5", "limit"},
      {"/api/v1/areas?limit=%205", "limit"},
      {"/api/v1/areas?limit=", "limit"},
      {"/api/v1/areas?limit", "limit"},
      {"/api/v1/areas?limit=0x10", "limit"},
      {"/api/v1/areas?offset=-1", "offset"},
      {"/api/v1/areas?offset=abc", "offset"},
      {"/api/v1/areas?offset=10000001", "offset"},
      {"/api/v1/areas?offset=18446744073709551616", "offset"},
      {"/api/v1/areas?foo=1", "foo"},
      {"/api/v1/areas?Country=MA", "Country"},
      {"/api/v1/areas?as_of=2023-02-30", "as_of"},
      {"/api/v1/areas?as_of=2023-02-29", "as_of"},
      {"/api/v1/areas?as_of=2023-13-01", "as_of"},
      {"/api/v1/areas?as_of=2023-00-10", "as_of"},
      {"/api/v1/areas?as_of=2023-04-31", "as_of"},
      {"/api/v1/areas?as_of=20230101", "as_of"},
      {"/api/v1/areas?as_of=2023-1-1", "as_of"},
      {"/api/v1/areas?as_of=yesterday", "as_of"},
      {"/api/v1/areas?as_of=2023-01-01T00:00:00Z", "query"},  // ':' must be percent-encoded
      {"/api/v1/areas?as_of=", "as_of"},
      {"/api/v1/areas?as_of=2999-01-01", "as_of"},
      {"/api/v1/areas?as_of=1700-01-01", "as_of"},
      {"/api/v1/areas?as_of=%EF%BC%92023-01-01", "as_of"},
      {"/api/v1/areas?country=FR", "country"},
      {"/api/v1/areas?country=ma", "country"},
      {"/api/v1/areas?country=", "country"},
      {"/api/v1/areas?level=wilaya", "level"},
      {"/api/v1/areas?level=Region", "level"},
      {"/api/v1/areas?level=region%00", "level"},
      {"/api/v1/areas?country=MA&country=DZ", "country"},
      {"/api/v1/areas?country=MA&country=MA", "country"},
      {"/api/v1/areas?limit=1&limit=2", "limit"},
      {"/api/v1/areas?as_of=2026-01-01&as_of=2027-01-01", "as_of"},
      {"/api/v1/areas?q=%ff%fe", "query"},       // invalid UTF-8 once decoded
      {"/api/v1/areas?parent=%c0%af", "query"},  // overlong UTF-8
      {"/api/v1/areas?%zz=1", "query"},
      {"/api/v1/areas?%ff=1", "query"},
      {"/api/v1/areas?as_of=2023-01-01T00%3A00%3A00Z", "as_of"},
      {"/api/v1/areas?q=%zz", "query"},
      {"/api/v1/areas?q=%4", "query"},
      {"/api/v1/areas?q=100%", "query"},
      {"/api/v1/areas/MA-01?as_of=2023-02-30", "as_of"},
      {"/api/v1/areas/MA-01?lang=fr", "lang"},
      {"/api/v1/areas/MA-01?as_of=2027-01-01&as_of=2027-01-01", "as_of"},
      {"/api/v1/areas/boundaries", "country"},
      {"/api/v1/areas/boundaries?country=FR", "country"},
      {"/api/v1/areas/boundaries?country=MA&simplify=1", "simplify"},
      {"/api/v1/audit?from=2023-02-30", "from"},
      {"/api/v1/audit?to=2023-13-13", "to"},
      {"/api/v1/audit?limit=0", "limit"},
      {"/api/v1/audit?limit=1001", "limit"},
      {"/api/v1/audit?user=a&user=b", "user"},
      {"/api/v1/audit?actor=admin", "actor"},
      {"/api/v1/users?offset=x", "offset"},
      {"/api/v1/users?role=admin", "role"},
      {"/api/v1/auth/me?verbose=1", "verbose"},
  };
  for (const auto& q : queries) t.push_back({q.target, "GET", q.target, "", {}, As::kAdminBearer, 400, "", q.field});
  t.push_back({"areas: overlong parent",
               "GET",
               "/api/v1/areas?parent=" + std::string(65, 'P'),
               "",
               {},
               As::kAdminBearer,
               400,
               "",
               "parent"});
  t.push_back({"areas: overlong q",
               "GET",
               "/api/v1/areas?q=" + std::string(2000, 'q'),
               "",
               {},
               As::kAdminBearer,
               400,
               "",
               "q"});
  t.push_back({"areas: overlong limit",
               "GET",
               "/api/v1/areas?limit=" + std::string(50, '1'),
               "",
               {},
               As::kAdminBearer,
               400,
               "",
               "limit"});
  t.push_back({"areas: overlong code",
               "GET",
               "/api/v1/areas/" + std::string(33, 'C'),
               "",
               {},
               As::kAdminBearer,
               400,
               "",
               "code"});
  t.push_back({"areas: overlong unknown parameter",
               "GET",
               "/api/v1/areas?" + std::string(3000, 'k') + "=1",
               "",
               {},
               As::kAdminBearer,
               400,
               "",
               std::string(3000, 'k')});

  // --- Unknown routes (404) and wrong methods (405) ----------------------------------------------
  for (const char* target :
       {"/api/v1/nothing", "/api/v2/areas", "/api/v1/", "/api", "/api/v1/areas/MA-01/children", "/api/v1/audit/1",
        "/api/v1/users/1/roles", "/api/v1/AREAS", "/api/v1/areas/%2e%2e/users"}) {
    t.push_back({std::string("GET ") + target, "GET", target, "", {}, As::kAdminBearer, 404, "", ""});
  }
  t.push_back({"POST to an unknown route",
               "POST",
               "/api/v1/nothing",
               "{}",
               {{"Content-Type", kJsonType}},
               As::kAnonymous,
               404,
               "",
               "path"});
  t.push_back(
      {"area that does not exist", "GET", "/api/v1/areas/MA-99.999.99.99", "", {}, As::kAdminBearer, 404, "", "code"});
  t.push_back(
      {"area code of another country", "GET", "/api/v1/areas/FR-75", "", {}, As::kAdminBearer, 404, "", "code"});
  struct M {
    const char* method;
    const char* target;
    const char* allow;
  };
  const M methods[] = {
      {"DELETE", "/api/v1/areas", "GET"},
      {"POST", "/api/v1/areas", "GET"},
      {"PUT", "/api/v1/areas/MA-01", "GET"},
      {"DELETE", "/api/v1/areas/boundaries", "GET"},
      {"GET", "/api/v1/auth/login", "POST"},
      {"PUT", "/api/v1/auth/login", "POST"},
      {"GET", "/api/v1/auth/token", "POST"},
      {"GET", "/api/v1/auth/logout", "POST"},
      {"POST", "/api/v1/auth/me", "GET"},
      {"PATCH", "/api/v1/users", "GET, POST"},
      {"DELETE", "/api/v1/users", "GET, POST"},
      {"POST", "/api/v1/audit", "GET"},
      {"GET", "/api/v1/users/1", "PATCH"},
      {"GET", "/api/v1/audit/verify", "POST"},
      {"DELETE", "/healthz", "GET"},
      {"POST", "/metrics", "GET"},
      {"OPTIONS", "/api/v1/areas", "GET"},
  };
  for (const auto& m : methods) {
    t.push_back({fmt::format("{} {}", m.method, m.target),
                 m.method,
                 m.target,
                 "",
                 {},
                 As::kAdminBearer,
                 405,
                 "",
                 "method",
                 m.allow});
  }

  // --- Bad credentials ---------------------------------------------------------------------------
  const std::pair<std::string, std::string> bad_auth[] = {
      {"Basic", "Basic YWRtaW46MDEyMzQ1Njc4OQ=="},
      {"empty Bearer", "Bearer "},
      {"bare Bearer", "Bearer"},
      {"empty header", ""},
      {"Token scheme", "Token abc"},
      {"Bearer with two spaces", "Bearer  abc"},
      {"unknown token", "Bearer not-a-token"},
      {"10 KB token", "Bearer " + std::string(10 * 1024, 'A')},
      {"token with non-ASCII bytes", "Bearer \xc3\xa9\xe2\x82\xac"},
      {"Digest", "Digest username=\"admin\""},
  };
  for (const auto& [name, value] : bad_auth) {
    t.push_back({"Authorization: " + name,
                 "GET",
                 "/api/v1/auth/me",
                 "",
                 {{"Authorization", value}},
                 As::kAnonymous,
                 401,
                 "",
                 ""});
  }
  t.push_back({"no credentials on a protected GET", "GET", "/api/v1/areas", "", {}, As::kAnonymous, 401, "", ""});
  t.push_back({"no credentials on a protected POST",
               "POST",
               "/api/v1/users",
               good_user.dump(),
               {{"Content-Type", kJsonType}},
               As::kAnonymous,
               401,
               "",
               ""});
  t.push_back({"garbage session cookie",
               "GET",
               "/api/v1/auth/me",
               "",
               {{"Cookie", "sanad_session=garbage"}},
               As::kAnonymous,
               401,
               "",
               ""});
  t.push_back({"10 KB session cookie",
               "GET",
               "/api/v1/auth/me",
               "",
               {{"Cookie", "sanad_session=" + std::string(10 * 1024, 'z')}},
               As::kAnonymous,
               401,
               "",
               ""});
  t.push_back({"empty session cookie",
               "GET",
               "/api/v1/auth/me",
               "",
               {{"Cookie", "sanad_session="}},
               As::kAnonymous,
               401,
               "",
               ""});
  t.push_back({"cookie without CSRF token",
               "POST",
               "/api/v1/users",
               good_user.dump(),
               {{"Content-Type", kJsonType}},
               As::kAdminCookie,
               403,
               "",
               "X-CSRF-Token"});
}

}  // namespace sanad::testing
