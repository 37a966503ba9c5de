// The authorization matrix on every route the server has, for every role: each request is sent to each
// route of the table api::BuildRoutes assembles (path parameters filled with an id that names nothing,
// an empty JSON object as the body of writes) with a token of each role, and without one. The route's
// guard refuses with 403 auth.role_missing exactly the roles that do not hold its permission
// (auth::Grants), and every route but the public ones answers 401 without a token. A new route is
// covered the day it is added to the table; nothing here lists routes by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "api/services.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

TEST(RoutePermissions, EveryRouteRefusesExactlyTheRolesWithoutItsPermission) {
  TestServer server;
  auto c = server.Client();
  std::vector<std::pair<auth::Role, Headers>> roles;
  int n = 0;
  for (auth::Role role : auth::AllRoles()) {
    const std::string name = fmt::format("routes{}", n++);
    auto token = BearerToken(c, name, server.AddUser(name, {role}));
    ASSERT_TRUE(token) << name;
    roles.emplace_back(role, Bearer(*token));
  }
  const std::regex param(":[A-Za-z_][A-Za-z0-9_]*");
  int routes = 0;
  // Signing out ends the tokens the walk uses: that route goes last.
  auto table = api::BuildRoutes(server.application().services());
  std::stable_partition(table.begin(), table.end(),
                        [](const http::Route& r) { return r.pattern != "/api/v1/auth/logout"; });
  for (const auto& r : table) {
    if (r.permission == auth::Permission::kPublic) continue;
    // A route without a declared permission is refused to everyone (deny by default).
    const auto granted = [&](auth::Role role) { return r.permission && auth::Grants(std::array{role}, *r.permission); };
    ++routes;
    const std::string target = std::regex_replace(r.pattern, param, "999999");
    const bool write = r.method != "GET" && r.method != "DELETE";
    for (const auto& [role, token] : roles) {
      Headers h = token;
      if (write) h.emplace_back("Content-Type", "application/json");
      const auto resp = c.Request(r.method, target, write ? "{}" : "", h);
      std::string reason;
      if (resp.status == 403) {
        auto body = nlohmann::json::parse(resp.body, nullptr, false);
        if (body.is_object() && body.contains("error")) reason = body["error"].value("reason", "");
      }
      const bool refused_by_guard = resp.status == 403 && reason == "auth.role_missing";
      EXPECT_EQ(refused_by_guard, !granted(role))
          << auth::RoleName(role) << " " << r.method << " " << r.pattern << " → " << resp.status << " " << resp.body;
      EXPECT_NE(resp.status, 401) << auth::RoleName(role) << " " << r.method << " " << r.pattern;
      EXPECT_LT(resp.status, 500) << auth::RoleName(role) << " " << r.method << " " << r.pattern << " " << resp.body;
    }
    EXPECT_EQ(c.Request(r.method, target, write ? "{}" : "",
                        write ? Headers{{"Content-Type", "application/json"}} : Headers{})
                  .status,
              401)
        << r.method << " " << r.pattern;
  }
  EXPECT_GT(routes, 150);  // the table really was walked
}

}  // namespace
}  // namespace sanad::testing
