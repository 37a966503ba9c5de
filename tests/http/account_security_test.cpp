// Passwords, forced password changes and transport security over HTTP: the real server in-process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_server.h"

namespace sanad::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr const char* kTemporary = "Temporary-Ifrane-Cedars-7";
constexpr const char* kChosen = "Chefchaouen-Blue-Stairs-42";

std::string Login(const HttpClient&, const std::string& user, const std::string& pw) {
  return json{{"username", user}, {"password", pw}}.dump();
}

TEST(TransportSecurity, ACookieIsNotMarkedSecureBecauseTheClientSaysHttps) {
  TestServer server;
  const std::string pw = server.AddUser("amina", {auth::Role::kCounselor});
  auto r = server.Client().PostJson("/api/v1/auth/login", Login(server.Client(), "amina", pw),
                                    {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(*r.Header("set-cookie"), Not(HasSubstr("Secure")));
  EXPECT_FALSE(r.Header("strict-transport-security"));
}

TEST(TransportSecurity, AServerConfiguredForHttpsMarksCookiesSecureAndSendsHsts) {
  TestServerOptions o;
  o.https = true;
  TestServer server(o);
  const std::string pw = server.AddUser("amina", {auth::Role::kCounselor});
  auto c = server.Client();
  auto r = c.PostJson("/api/v1/auth/login", Login(c, "amina", pw));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(*r.Header("set-cookie"), HasSubstr("; Secure"));
  EXPECT_THAT(r.Header("strict-transport-security").value_or(""), HasSubstr("max-age="));
  auto session = LoginBrowser(c, "amina", pw);
  ASSERT_TRUE(session);
  auto out = c.Request("POST", "/api/v1/auth/logout", "", session->Auth());
  ASSERT_EQ(out.status, 204);
  EXPECT_THAT(*out.Header("set-cookie"), HasSubstr("; Secure"));
  EXPECT_TRUE(c.Get("/healthz").Header("strict-transport-security"));
}

class Passwords : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_pw_ = server_.AddUser("admin", {auth::Role::kAdmin});
    amina_pw_ = server_.AddUser("amina", {auth::Role::kCounselor});
    admin_ = *BearerToken(c_, "admin", admin_pw_);
  }
  long long IdOf(const std::string& username) {
    auto r = c_.Get("/api/v1/users?limit=100", Bearer(admin_)).Json();
    for (const auto& u : r["items"]) {
      if (u["username"] == username) return u["id"].get<long long>();
    }
    return 0;
  }

  TestServer server_;
  HttpClient c_ = server_.Client();
  std::string admin_pw_, amina_pw_, admin_;
};

TEST_F(Passwords, CreatingAUserRefusesAWeakPasswordWithAReasonAndField) {
  auto r = c_.PostJson("/api/v1/users",
                       json{{"username", "karim"}, {"password", "Ouarzazate5"}, {"roles", {"counselor"}}}.dump(),
                       Bearer(admin_));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["reason"], "password.too_short");
  EXPECT_EQ(r.Json()["error"]["field"], "password");
  r = c_.PostJson("/api/v1/users",
                  json{{"username", "karim"}, {"password", "karim-password-2026"}, {"roles", {"counselor"}}}.dump(),
                  Bearer(admin_));
  EXPECT_EQ(r.Json()["error"]["reason"], "password.contains_username");
}

TEST_F(Passwords, AUserChangesTheirOwnPasswordAndTheirOtherSessionsEnd) {
  auto browser = LoginBrowser(c_, "amina", amina_pw_);
  auto other = BearerToken(c_, "amina", amina_pw_);
  ASSERT_TRUE(browser && other);
  auto wrong =
      c_.PostJson("/api/v1/me/password",
                  json{{"current_password", "not-my-password-x"}, {"new_password", kChosen}}.dump(), browser->Auth());
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Json()["error"]["reason"], "password.wrong_current");
  auto weak =
      c_.PostJson("/api/v1/me/password", json{{"current_password", amina_pw_}, {"new_password", "password1234"}}.dump(),
                  browser->Auth());
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.Json()["error"]["reason"], "password.common");
  EXPECT_EQ(weak.Json()["error"]["field"], "new_password");
  auto ok = c_.PostJson("/api/v1/me/password", json{{"current_password", amina_pw_}, {"new_password", kChosen}}.dump(),
                        browser->Auth());
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(c_.Get("/api/v1/auth/me", browser->Auth()).status, 200) << "the session that changed it goes on";
  EXPECT_EQ(c_.Get("/api/v1/auth/me", Bearer(*other)).status, 401) << "other sessions end";
  EXPECT_FALSE(BearerToken(c_, "amina", amina_pw_));
  EXPECT_TRUE(BearerToken(c_, "amina", kChosen));
}

TEST_F(Passwords, AnAdministratorsResetForcesAPasswordChangeBeforeAnythingElse) {
  const long long id = IdOf("amina");
  ASSERT_GT(id, 0);
  auto before = BearerToken(c_, "amina", amina_pw_);
  ASSERT_TRUE(before);
  auto reset =
      c_.PostJson(fmt::format("/api/v1/users/{}/password", id), json{{"password", kTemporary}}.dump(), Bearer(admin_));
  ASSERT_EQ(reset.status, 204) << reset.body;
  EXPECT_EQ(c_.Get("/api/v1/auth/me", Bearer(*before)).status, 401) << "a reset ends every session";

  auto login = c_.PostJson("/api/v1/auth/login", Login(c_, "amina", kTemporary));
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.Json()["must_change_password"], true);
  auto s = LoginBrowser(c_, "amina", kTemporary);
  ASSERT_TRUE(s);
  auto blocked = c_.Get("/api/v1/areas?country=MA&level=region", s->Auth());
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.Json()["error"]["reason"], "password.change_required");
  EXPECT_EQ(c_.Get("/api/v1/auth/me", s->Auth()).Json()["must_change_password"], true);
  auto changed = c_.PostJson("/api/v1/me/password",
                             json{{"current_password", kTemporary}, {"new_password", kChosen}}.dump(), s->Auth());
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(c_.Get("/api/v1/areas?country=MA&level=region", s->Auth()).status, 200);
  EXPECT_EQ(c_.Get("/api/v1/auth/me", s->Auth()).Json()["must_change_password"], false);
}

TEST_F(Passwords, OnlyAnAdministratorResetsPasswordsAndTheTemporaryOneFollowsThePolicy) {
  const long long id = IdOf("admin");
  auto amina = BearerToken(c_, "amina", amina_pw_);
  ASSERT_TRUE(amina);
  auto r =
      c_.PostJson(fmt::format("/api/v1/users/{}/password", id), json{{"password", kTemporary}}.dump(), Bearer(*amina));
  EXPECT_EQ(r.status, 403);
  r = c_.PostJson(fmt::format("/api/v1/users/{}/password", IdOf("amina")), json{{"password", "short-one"}}.dump(),
                  Bearer(admin_));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["reason"], "password.too_short");
  r = c_.PostJson("/api/v1/users/999999/password", json{{"password", kTemporary}}.dump(), Bearer(admin_));
  EXPECT_EQ(r.status, 404);
}

}  // namespace
}  // namespace sanad::testing
