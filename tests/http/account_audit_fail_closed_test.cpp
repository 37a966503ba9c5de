// Account changes fail closed: an administrative change to an account and its audit entry commit
// together or not at all. With the audit table refusing new lines (a trigger that raises, on SQLite
// and on PostgreSQL: SANAD_TEST_DB), creating a user, changing roles/scope/active, resetting or
// changing a password, and signing in all answer 500 with the generic message, and nothing changes.
#include <gtest/gtest.h>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

// The concealed internal error: a fixed message and the request id, no database text.
void ExpectConcealed500(const HttpResponse& r, const std::string& what) {
  EXPECT_EQ(r.status, 500) << what << ": " << r.body;
  EXPECT_EQ(r.body.find("no space left"), std::string::npos) << what << ": the database error stays in the log";
  EXPECT_EQ(r.body.find("audit_log"), std::string::npos) << what << ": " << r.body;
  if (r.status == 500) {
    EXPECT_EQ(r.Json()["error"]["reason"], "error.internal") << what << ": " << r.body;
  }
}

long long AuditRows(db::Database& db) {
  auto s = db.Acquire();
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM audit_log", soci::into(n);
  return n;
}

TEST(AccountAuditFailsClosed, NoAccountChangeOrSessionWithoutItsAuditEntry) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  const std::string admin_pw = server.AddUser("admin.rabat", {auth::Role::kAdmin});
  const std::string amina_pw = server.AddUser("amina", {auth::Role::kDataEntry}, "MA-03.231");
  auto c = server.Client();
  auto admin = BearerToken(c, "admin.rabat", admin_pw);
  auto amina = LoginBrowser(c, "amina", amina_pw);
  ASSERT_TRUE(admin && amina);
  auto me = c.Get("/api/v1/auth/me", amina->Auth());
  ASSERT_EQ(me.status, 200) << me.body;
  const std::string amina_id = std::to_string(me.Json()["user"]["id"].get<std::int64_t>());
  auth::AuthStore& store = server.platform().auth->store();
  auto before = store.FindById(UserId(std::stoll(amina_id)));
  ASSERT_TRUE(before && *before);

  db::Database& db = *server.platform().db;
  const long long rows = AuditRows(db);
  MakeAuditUnwritable(db, true);

  ExpectConcealed500(
      c.Request("PATCH", "/api/v1/users/" + amina_id,
                Json{{"roles", {"regional_coordinator"}}, {"area_code", nullptr}, {"active", false}}.dump(),
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + *admin}}),
      "update access");
  ExpectConcealed500(c.PostJson("/api/v1/users/" + amina_id + "/password",
                                Json{{"password", "Temporary-Oasis-Gate-42"}}.dump(), Bearer(*admin)),
                     "reset password");
  ExpectConcealed500(
      c.PostJson("/api/v1/users",
                 Json{{"username", "omar"}, {"password", "Atlas-Cedar-Forest-77"}, {"roles", {"auditor"}}}.dump(),
                 Bearer(*admin)),
      "create user");
  ExpectConcealed500(
      c.PostJson("/api/v1/me/password",
                 Json{{"current_password", amina_pw}, {"new_password", "Chosen-Saffron-Taliouine-9"}}.dump(),
                 amina->Auth()),
      "change own password");
  auto login = c.PostJson("/api/v1/auth/login", Json{{"username", "amina"}, {"password", amina_pw}}.dump());
  ExpectConcealed500(login, "login");
  EXPECT_FALSE(login.Header("set-cookie")) << "no session is handed out without its audit entry";
  auto token = c.PostJson("/api/v1/auth/token", Json{{"username", "amina"}, {"password", amina_pw}}.dump());
  ExpectConcealed500(token, "token");
  EXPECT_EQ(token.body.find("access_token"), std::string::npos) << token.body;

  MakeAuditUnwritable(db, false);
  EXPECT_EQ(AuditRows(db), rows) << "nothing was audited, so nothing may have changed";

  // Nothing changed: roles, scope, active, password; no account was created; amina's session lives.
  auto after = store.FindById(UserId(std::stoll(amina_id)));
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->roles, (*before)->roles);
  EXPECT_EQ((*after)->area_code, (*before)->area_code);
  EXPECT_TRUE((*after)->active);
  EXPECT_FALSE((*after)->must_change_password) << "the reset did not happen";
  auto omar = store.FindByUsername("omar");
  ASSERT_TRUE(omar);
  EXPECT_FALSE(*omar) << "the account was not created";
  EXPECT_EQ(c.Get("/api/v1/auth/me", amina->Auth()).status, 200) << "her session was not ended";
  EXPECT_TRUE(BearerToken(c, "amina", amina_pw)) << "her password is unchanged";

  // With the audit writable again, each change is made and audited in the same commit.
  auto patched = c.Request("PATCH", "/api/v1/users/" + amina_id, Json{{"roles", {"data_entry", "counselor"}}}.dump(),
                           {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + *admin}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  audit::AuditQuery q;
  q.action = "user_update";
  q.limit = 1;
  auto updates = server.platform().audit->Query(q);
  ASSERT_TRUE(updates && updates->items.size() == 1u);
  const Json details = Json::parse(updates->items[0].details);
  EXPECT_EQ(details["username"], "amina") << details.dump();
  EXPECT_EQ(details["roles"], Json::array({"data_entry", "counselor"})) << details.dump();
  EXPECT_EQ(details["area_code"], "MA-03.231") << details.dump();
  EXPECT_EQ(details["active"], true) << details.dump();
  auto created = c.PostJson(
      "/api/v1/users", Json{{"username", "omar"}, {"password", "Atlas-Cedar-Forest-77"}, {"roles", {"auditor"}}}.dump(),
      Bearer(*admin));
  ASSERT_EQ(created.status, 201) << created.body;
  q.action = "create";
  q.record_type = "user";
  auto creates = server.platform().audit->Query(q);
  ASSERT_TRUE(creates && creates->items.size() == 1u);
  EXPECT_EQ(creates->items[0].username, "admin.rabat");
  EXPECT_EQ(creates->items[0].record_id, std::to_string(created.Json()["id"].get<std::int64_t>()));
  auto chain = server.platform().audit->Verify();
  ASSERT_TRUE(chain);
  EXPECT_FALSE(chain->first_broken_id) << chain->reason;
}

}  // namespace
}  // namespace sanad::testing
