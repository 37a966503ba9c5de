// Sign-in over real sockets with a server of its own per test: deny by default for routes without a
// permission, session and token expiry (the test clock moves), and login throttling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST(DenyByDefault, ARouteWithoutADeclaredPermissionIsRefusedToEveryone) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  TestServerOptions o;
  o.routes = [calls](api::Services& s) {
    http::RouteTable t = api::BuildRoutes(s);
    t.push_back({"GET", "/api/v1/undeclared", std::nullopt, [calls](http::Request&) {
                   ++*calls;
                   return http::JsonResponse(200, "{}");
                 }});
    t.push_back({"POST", "/api/v1/undeclared", std::nullopt, [calls](http::Request&) {
                   ++*calls;
                   return http::JsonResponse(200, "{}");
                 }});
    return t;
  };
  TestServer server(o);
  const std::string password = server.AddUser("admin", {auth::Role::kAdmin});
  auto c = server.Client();
  auto token = BearerToken(c, "admin", password);
  ASSERT_TRUE(token);
  auto anonymous = c.Get("/api/v1/undeclared");
  EXPECT_EQ(anonymous.status, 403);
  EXPECT_EQ(anonymous.Json()["error"]["code"], "permission_denied");
  EXPECT_EQ(c.Get("/api/v1/undeclared", Bearer(*token)).status, 403);
  EXPECT_EQ(c.Request("POST", "/api/v1/undeclared", "{}", Bearer(*token)).status, 403);
  EXPECT_EQ(*calls, 0);
  // The rest of the table is unaffected.
  EXPECT_EQ(c.Get("/api/v1/areas?limit=1", Bearer(*token)).status, 200);
}

// ---------------------------------------------------------------------------------------------------
// Expiry and throttling, on servers whose clock the test moves

TEST(SessionExpiry, ABrowserSessionEndsAfterBeingIdleTooLong) {
  TestServer server;
  const std::string password = server.AddUser("idler", {auth::Role::kCounselor});
  auto c = server.Client();
  auto s = LoginBrowser(c, "idler", password);
  ASSERT_TRUE(s);
  using std::chrono::minutes;
  // Activity keeps it alive: 29 minutes apart, three times (87 minutes > the 30-minute idle limit).
  for (int i = 0; i < 3; ++i) {
    server.clock().Advance(minutes(29));
    ASSERT_EQ(c.Get("/api/v1/auth/me", s->Auth()).status, 200) << i;
  }
  server.clock().Advance(minutes(31));
  auto r = c.Get("/api/v1/auth/me", s->Auth());
  EXPECT_EQ(r.status, 401);
  EXPECT_THAT(r.Json()["error"]["message"].get<std::string>(), HasSubstr("idle"));
}

TEST(SessionExpiry, ABrowserSessionEndsAtItsAbsoluteLimitEvenWhenActive) {
  auth::SessionPolicy policy;
  policy.absolute_timeout = std::chrono::hours(2);
  TestServerOptions o;
  o.session = policy;
  TestServer server(o);
  const std::string password = server.AddUser("busy", {auth::Role::kCounselor});
  auto c = server.Client();
  auto s = LoginBrowser(c, "busy", password);
  ASSERT_TRUE(s);
  for (int i = 0; i < 5; ++i) {  // 5 × 20 = 100 minutes of activity
    server.clock().Advance(std::chrono::minutes(20));
    ASSERT_EQ(c.Get("/api/v1/auth/me", s->Auth()).status, 200) << i;
  }
  server.clock().Advance(std::chrono::minutes(20));  // 120 minutes
  auto r = c.Get("/api/v1/auth/me", s->Auth());
  EXPECT_EQ(r.status, 401);
  EXPECT_THAT(r.Json()["error"]["message"].get<std::string>(), HasSubstr("expired"));
}

TEST(SessionExpiry, ABearerTokenEndsAfterItsLifetime) {
  TestServer server;
  const std::string password = server.AddUser("machine", {auth::Role::kAuditor});
  auto c = server.Client();
  auto token = BearerToken(c, "machine", password);
  ASSERT_TRUE(token);
  server.clock().Advance(std::chrono::minutes(59));
  EXPECT_EQ(c.Get("/api/v1/auth/me", Bearer(*token)).status, 200);
  server.clock().Advance(std::chrono::minutes(2));
  EXPECT_EQ(c.Get("/api/v1/auth/me", Bearer(*token)).status, 401);
}

TEST(LoginThrottling, RepeatedBadPasswordsForOneAccountGet429WithRetryAfter) {
  TestServer server;
  const std::string password = server.AddUser("victim", {auth::Role::kCounselor});
  auto c = server.Client();
  const std::string bad = json{{"username", "victim"}, {"password", "wrong-password-1"}}.dump();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(c.PostJson("/api/v1/auth/login", bad).status, 401) << i;
  auto r = c.PostJson("/api/v1/auth/login", bad);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Json()["error"]["code"], "resource_exhausted");
  ASSERT_TRUE(r.Header("retry-after"));
  EXPECT_EQ(*r.Header("retry-after"), "30");
  // Even the right password waits; so does the token route.
  const std::string good = json{{"username", "victim"}, {"password", password}}.dump();
  EXPECT_EQ(c.PostJson("/api/v1/auth/login", good).status, 429);
  EXPECT_EQ(c.PostJson("/api/v1/auth/token", good).status, 429);
  server.clock().Advance(std::chrono::seconds(31));
  EXPECT_EQ(c.PostJson("/api/v1/auth/login", good).status, 200);
}

TEST(LoginThrottling, OneAddressGuessingManyAccountsGets429) {
  TestServerOptions o;
  o.throttle.address_free_failures = 6;
  TestServer server(o);
  const std::string password = server.AddUser("bystander", {auth::Role::kCounselor});
  auto c = server.Client();
  for (int i = 0; i < 6; ++i) {
    auto r = c.PostJson("/api/v1/auth/token",
                        json{{"username", fmt::format("guess{}", i)}, {"password", "0123456789"}}.dump());
    ASSERT_EQ(r.status, 401) << i;
  }
  auto r = c.PostJson("/api/v1/auth/login", json{{"username", "bystander"}, {"password", password}}.dump());
  EXPECT_EQ(r.status, 429);
  ASSERT_TRUE(r.Header("retry-after"));
  EXPECT_GT(std::stoi(*r.Header("retry-after")), 0);
  server.clock().Advance(std::chrono::minutes(11));
  EXPECT_EQ(c.PostJson("/api/v1/auth/login", json{{"username", "bystander"}, {"password", password}}.dump()).status,
            200);
}

// ---------------------------------------------------------------------------------------------------
// Areas

}  // namespace
}  // namespace sanad::testing
