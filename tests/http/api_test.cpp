// The HTTP API end to end over real sockets: health and metrics, sessions, CSRF, bearer tokens, expiry,
// throttling, the permission matrix, deny by default, request ids, areas, audit and users.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// One server for the tests that do not move the clock or trip the throttle.
class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    admin_password_ = new std::string(server_->AddUser("admin", {auth::Role::kAdmin}));
    auditor_password_ = new std::string(server_->AddUser("auditor", {auth::Role::kAuditor}));
    worker_password_ = new std::string(server_->AddUser("worker", {auth::Role::kSocialWorker}, "MA-03.231"));
    admin_token_ = new std::string(*BearerToken(server_->Client(), "admin", *admin_password_));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete admin_password_;
    delete auditor_password_;
    delete worker_password_;
    delete admin_token_;
  }

  HttpClient client() const { return server_->Client(); }
  static Headers Admin() { return Bearer(*admin_token_); }

  static TestServer* server_;
  static std::string* admin_password_;
  static std::string* auditor_password_;
  static std::string* worker_password_;
  static std::string* admin_token_;
};

TestServer* Api::server_ = nullptr;
std::string* Api::admin_password_ = nullptr;
std::string* Api::auditor_password_ = nullptr;
std::string* Api::worker_password_ = nullptr;
std::string* Api::admin_token_ = nullptr;

// ---------------------------------------------------------------------------------------------------
// System routes, request ids, access log

TEST_F(Api, HealthzAnswersOkWithoutAnAccount) {
  auto r = client().Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Json(), json({{"status", "ok"}}));
  EXPECT_EQ(r.Header("content-type"), "application/json");
}

TEST_F(Api, EveryResponseCarriesARequestId) {
  for (const auto& target : {"/healthz", "/metrics", "/api/v1/areas", "/api/v1/nothing", "/api/v1/areas?limit=x"}) {
    auto r = client().Get(target);
    ASSERT_NE(r.status, 0) << target;
    auto id = r.Header("x-request-id");
    ASSERT_TRUE(id) << target;
    EXPECT_TRUE(http::AcceptableRequestId(*id)) << *id;
  }
  auto del = client().Request("DELETE", "/healthz");
  EXPECT_TRUE(del.Header("x-request-id"));
}

TEST_F(Api, ASaneRequestIdIsEchoedAndAnUnsafeOneReplaced) {
  auto r = client().Get("/healthz", {{"X-Request-Id", "trace-42.abc_DEF"}});
  EXPECT_EQ(r.Header("x-request-id"), "trace-42.abc_DEF");
  auto denied = client().Get("/api/v1/audit", {{"X-Request-Id", "trace-43"}});
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.Header("x-request-id"), "trace-43");
  auto missing = client().Get("/api/v1/nope", {{"X-Request-Id", "trace-44"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("x-request-id"), "trace-44");

  for (const std::string& bad :
       std::vector<std::string>{"has space", "quote\"inject", std::string(65, 'a'), "{\"json\":1}", "a/b"}) {
    auto b = client().Get("/healthz", {{"X-Request-Id", bad}});
    ASSERT_TRUE(b.Header("x-request-id"));
    EXPECT_NE(*b.Header("x-request-id"), bad);
    EXPECT_TRUE(http::AcceptableRequestId(*b.Header("x-request-id")));
  }
}

TEST_F(Api, TheAccessLogHasOneJsonLineWithTheRequestId) {
  auto r = client().Get("/healthz", {{"X-Request-Id", "access-log-probe-1"}});
  ASSERT_EQ(r.status, 200);
  std::ifstream in(server_->access_log_path());
  std::string line;
  bool found = false;
  while (std::getline(in, line)) {
    auto j = json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    if (j.value("request_id", "") == "access-log-probe-1") {
      found = true;
      EXPECT_EQ(j["status"], 200);
      EXPECT_EQ(j["route"], "/healthz");
      EXPECT_EQ(j["method"], "GET");
      EXPECT_EQ(j["remote"], "127.0.0.1");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(Api, MetricsArePrometheusTextWithCountsHistogramsAndPoolFigures) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client().Get("/healthz").status, 200);
  ASSERT_EQ(client().Get("/api/v1/areas/MA-01", Admin()).status, 200);
  ASSERT_EQ(client().Get("/api/v1/areas/MA-01").status, 401);
  auto r = client().Get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(*r.Header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  const std::string& m = r.body;
  EXPECT_THAT(m, HasSubstr("# TYPE sanad_http_requests_total counter"));
  EXPECT_THAT(m, HasSubstr("# TYPE sanad_http_request_duration_seconds histogram"));
  EXPECT_GE(CountRequests(m, "200", "/healthz"), 3);
  // Labelled by the route pattern, never the raw path; 401 counted apart from 200.
  EXPECT_GE(CountRequests(m, "200", "/api/v1/areas/:code"), 1);
  EXPECT_GE(CountRequests(m, "401", "/api/v1/areas/:code"), 1);
  EXPECT_THAT(m, Not(HasSubstr("route=\"/api/v1/areas/MA-01\"")));
  EXPECT_THAT(
      m, HasSubstr(
             R"(sanad_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="0.005"})"));
  EXPECT_THAT(
      m,
      HasSubstr(R"(sanad_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="+Inf"})"));
  EXPECT_THAT(m, HasSubstr(R"(sanad_http_request_duration_seconds_sum{method="GET",route="/healthz",status="200"})"));
  EXPECT_THAT(m, HasSubstr(R"(sanad_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"})"));
  EXPECT_THAT(m, HasSubstr("# TYPE sanad_db_pool_connections gauge"));
  EXPECT_THAT(m, HasSubstr("sanad_db_pool_connections 6\n"));  // threads + 2
  EXPECT_THAT(m, HasSubstr("sanad_db_pool_in_use "));
  EXPECT_THAT(m, HasSubstr("sanad_db_pool_acquired_total "));
  EXPECT_THAT(m, HasSubstr("sanad_db_pool_waits_total "));
  // Every sample line is "name{labels} value" or "name value" with a numeric value.
  std::istringstream lines(m);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    ASSERT_NE(space, std::string::npos) << line;
    EXPECT_NO_THROW((void)std::stod(line.substr(space + 1))) << line;
  }
}

// ---------------------------------------------------------------------------------------------------
// Sessions, CSRF, bearer tokens

TEST_F(Api, LoginSetsAnHttpOnlyStrictCookieAndReturnsACsrfToken) {
  auto r = client().PostJson("/api/v1/auth/login", json{{"username", "admin"}, {"password", *admin_password_}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto cookie = r.Header("set-cookie");
  ASSERT_TRUE(cookie);
  EXPECT_TRUE(cookie->starts_with("sanad_session="));
  EXPECT_THAT(*cookie, HasSubstr("; HttpOnly"));
  EXPECT_THAT(*cookie, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(*cookie, HasSubstr("; Path=/"));
  EXPECT_THAT(*cookie, Not(HasSubstr("Secure")));  // plain HTTP on loopback
  auto body = r.Json();
  EXPECT_GE(body.value("csrf_token", "").size(), 40u);
  EXPECT_EQ(body["user"]["username"], "admin");
  EXPECT_EQ(body["user"]["roles"], json::array({"admin"}));
  EXPECT_TRUE(body["expires_at"].is_string());
  EXPECT_EQ(body.dump().find(cookie->substr(15, 43)), std::string::npos) << "the session secret is only in the cookie";
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  // Secure cookies and HSTS follow the server's configuration: account_security_test.cpp.
}

TEST_F(Api, TheSessionCookieAuthenticates) {
  auto s = LoginBrowser(client(), "auditor", *auditor_password_);
  ASSERT_TRUE(s);
  auto me = client().Get("/api/v1/auth/me", s->Auth(false));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["user"]["username"], "auditor");
  EXPECT_EQ(me.Json()["csrf_token"], s->csrf);
  EXPECT_EQ(client().Get("/api/v1/audit?limit=1", s->Auth(false)).status, 200);
  EXPECT_EQ(client().Get("/api/v1/auth/me", {{"Cookie", "sanad_session=not-a-session"}}).status, 401);
  EXPECT_EQ(client().Get("/api/v1/auth/me", {{"Cookie", "other=1; " + s->cookie + "; more=2"}}).status, 200);
}

TEST_F(Api, AStateChangingCookieRequestNeedsTheRightCsrfToken) {
  auto s = LoginBrowser(client(), "admin", *admin_password_);
  ASSERT_TRUE(s);
  const std::string body =
      json{{"username", "csrf.victim"}, {"password", "long-enough-password"}, {"roles", {"counselor"}}}.dump();
  Headers no_token{{"Cookie", s->cookie}, {"Content-Type", "application/json"}};
  auto missing = client().Request("POST", "/api/v1/users", body, no_token);
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.Json()["error"]["field"], "X-CSRF-Token");

  Headers wrong = no_token;
  wrong.emplace_back("X-CSRF-Token", s->csrf.substr(0, s->csrf.size() - 1) + (s->csrf.back() == 'A' ? "B" : "A"));
  EXPECT_EQ(client().Request("POST", "/api/v1/users", body, wrong).status, 403);
  Headers shorter = no_token;
  shorter.emplace_back("X-CSRF-Token", s->csrf.substr(1));
  EXPECT_EQ(client().Request("POST", "/api/v1/users", body, shorter).status, 403);
  Headers empty = no_token;
  empty.emplace_back("X-CSRF-Token", "");
  EXPECT_EQ(client().Request("POST", "/api/v1/users", body, empty).status, 403);
  // Another session's token is no good either.
  auto other = LoginBrowser(client(), "admin", *admin_password_);
  Headers foreign = no_token;
  foreign.emplace_back("X-CSRF-Token", other->csrf);
  EXPECT_EQ(client().Request("POST", "/api/v1/users", body, foreign).status, 403);
  // Logout is state-changing too.
  EXPECT_EQ(client().Request("POST", "/api/v1/auth/logout", "", {{"Cookie", s->cookie}}).status, 403);

  Headers right = no_token;
  right.emplace_back("X-CSRF-Token", s->csrf);
  auto created = client().Request("POST", "/api/v1/users", body, right);
  EXPECT_EQ(created.status, 201) << created.body;
  // Reads need no token.
  EXPECT_EQ(client().Get("/api/v1/users", s->Auth(false)).status, 200);
}

TEST_F(Api, ABearerTokenAuthenticatesAndNeedsNoCsrfToken) {
  auto r = client().PostJson("/api/v1/auth/token", json{{"username", "admin"}, {"password", *admin_password_}}.dump());
  ASSERT_EQ(r.status, 200);
  auto body = r.Json();
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 3600);
  EXPECT_FALSE(r.Header("set-cookie"));
  const std::string token = body["access_token"];
  auto me = client().Get("/api/v1/auth/me", Bearer(token));
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.Json()["user"]["username"], "admin");
  Headers h = Bearer(token);
  h.emplace_back("Content-Type", "application/json");
  auto created = client().Request(
      "POST", "/api/v1/users",
      json{{"username", "bearer.made"}, {"password", "long-enough-password"}, {"roles", {"auditor"}}}.dump(), h);
  EXPECT_EQ(created.status, 201) << created.body;
  // "bearer" in lower case is accepted too (RFC 7235: the scheme is case-insensitive).
  EXPECT_EQ(client().Get("/api/v1/auth/me", {{"Authorization", "bearer " + token}}).status, 200);
}

TEST_F(Api, ATokenOfOneKindIsRefusedAsTheOther) {
  auto s = LoginBrowser(client(), "admin", *admin_password_);
  ASSERT_TRUE(s);
  const std::string cookie_secret = s->cookie.substr(std::string("sanad_session=").size());
  EXPECT_EQ(client().Get("/api/v1/auth/me", Bearer(cookie_secret)).status, 401);
  EXPECT_EQ(client().Get("/api/v1/auth/me", {{"Cookie", "sanad_session=" + *admin_token_}}).status, 401);
}

TEST_F(Api, LogoutRevokesTheSessionAndTheToken) {
  auto s = LoginBrowser(client(), "auditor", *auditor_password_);
  ASSERT_TRUE(s);
  ASSERT_EQ(client().Get("/api/v1/auth/me", s->Auth()).status, 200);
  auto out = client().Request("POST", "/api/v1/auth/logout", "", s->Auth());
  EXPECT_EQ(out.status, 204);
  EXPECT_THAT(out.Header("set-cookie").value_or(""), HasSubstr("Max-Age=0"));
  auto after = client().Get("/api/v1/auth/me", s->Auth());
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.Json()["error"]["code"], "unauthenticated");

  auto token = BearerToken(client(), "auditor", *auditor_password_);
  ASSERT_TRUE(token);
  ASSERT_EQ(client().Get("/api/v1/auth/me", Bearer(*token)).status, 200);
  EXPECT_EQ(client().Request("POST", "/api/v1/auth/logout", "", Bearer(*token)).status, 204);
  EXPECT_EQ(client().Get("/api/v1/auth/me", Bearer(*token)).status, 401);
  EXPECT_EQ(client().Request("POST", "/api/v1/auth/logout", "", Bearer(*token)).status, 401);
}

// ---------------------------------------------------------------------------------------------------
// Permissions

TEST_F(Api, AuditorsReadTheAuditLogSocialWorkersDoNotAndStrangersMustSignIn) {
  auto auditor = BearerToken(client(), "auditor", *auditor_password_);
  auto worker = BearerToken(client(), "worker", *worker_password_);
  ASSERT_TRUE(auditor && worker);
  EXPECT_EQ(client().Get("/api/v1/audit", Bearer(*auditor)).status, 200);
  auto denied = client().Get("/api/v1/audit", Bearer(*worker));
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Json()["error"]["code"], "permission_denied");
  EXPECT_THAT(denied.Json()["error"]["message"].get<std::string>(), HasSubstr("audit.read"));
  auto anonymous = client().Get("/api/v1/audit");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.Json()["error"]["code"], "unauthenticated");
}

// Every route of grievances and placements, writes included, for every role: refused (403) exactly when
// the role lacks the route's permission; otherwise the request gets past the check (it may then fail on
// its empty body or unknown id, never with 401/403). Without credentials: 401.
TEST_F(Api, GrievanceAndPlacementRoutesFollowThePermissionMatrix) {
  using P = auth::Permission;
  struct Probe {
    const char* method;
    const char* target;
    P permission;
  };
  const Probe probes[] = {{"GET", "/api/v1/grievances", P::kGrievancesRead},
                          {"POST", "/api/v1/grievances", P::kGrievancesFile},
                          {"GET", "/api/v1/grievances/categories", P::kGrievancesRead},
                          {"PUT", "/api/v1/grievances/categories/other", P::kGrievancesManage},
                          {"POST", "/api/v1/grievances/escalation", P::kGrievancesDecide},
                          {"GET", "/api/v1/grievances/escalation/999999", P::kGrievancesDecide},
                          {"GET", "/api/v1/grievances/999999", P::kGrievancesRead},
                          {"POST", "/api/v1/grievances/999999/review", P::kGrievancesDecide},
                          {"POST", "/api/v1/grievances/999999/resolve", P::kGrievancesDecide},
                          {"POST", "/api/v1/grievances/999999/appeal", P::kGrievancesFile},
                          {"POST", "/api/v1/grievances/999999/appeal-decision", P::kGrievancesDecide},
                          {"POST", "/api/v1/grievances/999999/close", P::kGrievancesDecide},
                          {"GET", "/api/v1/placements/overdue", P::kCasesRead},
                          {"GET", "/api/v1/cases/999999/placements", P::kCasesRead},
                          {"POST", "/api/v1/cases/999999/placements", P::kCasesWork},
                          {"POST", "/api/v1/placements/999999/visits", P::kCasesWork},
                          {"POST", "/api/v1/placements/999999/end", P::kCasesWork}};
  int n = 0;
  for (auth::Role role : auth::AllRoles()) {
    const std::string name = fmt::format("gmatrix{}", n++);
    auto token = BearerToken(client(), name, server_->AddUser(name, {role}));
    ASSERT_TRUE(token) << name;
    for (const auto& p : probes) {
      auto h = Bearer(*token);
      h.emplace_back("Content-Type", "application/json");
      const int status = client().Request(p.method, p.target, p.method[0] == 'G' ? "" : "{}", h).status;
      if (auth::Grants(std::array{role}, p.permission)) {
        EXPECT_TRUE(status != 401 && status != 403 && status > 0 && status < 500)
            << auth::RoleName(role) << " " << p.method << " " << p.target << ": " << status;
      } else {
        EXPECT_EQ(status, 403) << auth::RoleName(role) << " " << p.method << " " << p.target;
      }
    }
  }
  for (const auto& p : probes) {
    Headers h{{"Content-Type", "application/json"}};
    EXPECT_EQ(client().Request(p.method, p.target, p.method[0] == 'G' ? "" : "{}", h).status, 401) << p.target;
  }
  // The public routes need no account.
  EXPECT_EQ(client().Get("/api/v1/public/grievances/ABCD-EFGH-JKMN-PQRS-TVWX").status, 404);
  // Four eyes needs two deciders in a region: coordinators decide; social workers file and read only.
  EXPECT_TRUE(auth::Grants(std::array{auth::Role::kRegionalCoordinator}, P::kGrievancesDecide));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kSocialWorker}, P::kGrievancesDecide));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kRegionalCoordinator}, P::kGrievancesManage));
}

// Every route of the empowerment funding calls and applications, writes included, for every role: 403
// exactly when the role lacks the route's permission, else past the check (an empty body or unknown id
// then fails with a 4xx, never 401/403/5xx). Without credentials: 401; her public routes need none.
TEST_F(Api, EmpowermentFundingRoutesFollowThePermissionMatrix) {
  using P = auth::Permission;
  struct Probe {
    const char* method;
    const char* target;
    P permission;
  };
  const Probe probes[] = {
      {"GET", "/api/v1/empowerment/calls", P::kEmpowermentRead},
      {"POST", "/api/v1/empowerment/calls", P::kEmpowermentManage},
      {"GET", "/api/v1/empowerment/calls/999999", P::kEmpowermentRead},
      {"PUT", "/api/v1/empowerment/calls/999999", P::kEmpowermentManage},
      {"POST", "/api/v1/empowerment/calls/999999/applications", P::kEmpowermentManage},
      {"GET", "/api/v1/empowerment/applications/999999", P::kEmpowermentRead},
      {"POST", "/api/v1/empowerment/applications/999999/submit", P::kEmpowermentManage},
      {"POST", "/api/v1/empowerment/applications/999999/eligibility", P::kEmpowermentManage},
      {"POST", "/api/v1/empowerment/applications/999999/transitions", P::kEmpowermentManage},
      {"POST", "/api/v1/empowerment/applications/999999/reviews", P::kEmpowermentCommittee},
      {"POST", "/api/v1/empowerment/applications/999999/decision", P::kEmpowermentCommittee},
      {"POST", "/api/v1/empowerment/applications/999999/decision/confirm", P::kEmpowermentCommittee},
      {"POST", "/api/v1/empowerment/applications/999999/agreement", P::kEmpowermentManage},
      {"POST", "/api/v1/empowerment/applications/999999/tranches/1/pay", P::kEmpowermentManage}};
  int n = 0;
  for (auth::Role role : auth::AllRoles()) {
    const std::string name = fmt::format("ematrix{}", n++);
    auto token = BearerToken(client(), name, server_->AddUser(name, {role}));
    ASSERT_TRUE(token) << name;
    for (const auto& p : probes) {
      auto h = Bearer(*token);
      h.emplace_back("Content-Type", "application/json");
      const int status = client().Request(p.method, p.target, p.method[0] == 'G' ? "" : "{}", h).status;
      if (auth::Grants(std::array{role}, p.permission)) {
        EXPECT_TRUE(status != 401 && status != 403 && status > 0 && status < 500)
            << auth::RoleName(role) << " " << p.method << " " << p.target << ": " << status;
      } else {
        EXPECT_EQ(status, 403) << auth::RoleName(role) << " " << p.method << " " << p.target;
      }
    }
  }
  for (const auto& p : probes) {
    Headers h{{"Content-Type", "application/json"}};
    EXPECT_EQ(client().Request(p.method, p.target, p.method[0] == 'G' ? "" : "{}", h).status, 401) << p.target;
  }
  // Her routes by tracking code need no account: an unknown code is 404, not 401.
  EXPECT_EQ(client().Get("/api/v1/public/empowerment/registrations/ABCD-EFGH-JKMN-PQRS/applications").status, 404);
}

TEST_F(Api, ThePermissionMatrixHoldsForEveryRole) {
  struct Probe {
    const char* target;
    auth::Permission permission;
  };
  const Probe probes[] = {{"/api/v1/areas?limit=1", auth::Permission::kAreasRead},
                          {"/api/v1/audit?limit=1", auth::Permission::kAuditRead},
                          {"/api/v1/users?limit=1", auth::Permission::kUsersManage},
                          {"/api/v1/auth/me", auth::Permission::kAuthenticated},
                          {"/api/v1/empowerment/registrations?limit=1", auth::Permission::kEmpowermentRead},
                          {"/api/v1/empowerment/cooperatives", auth::Permission::kEmpowermentRead},
                          {"/api/v1/empowerment/trainings", auth::Permission::kEmpowermentRead},
                          {"/api/v1/empowerment/figures", auth::Permission::kEmpowermentRead},
                          {"/api/v1/microcredit/portfolio", auth::Permission::kMicrocreditRead},
                          {"/api/v1/microcredit/applications?limit=1", auth::Permission::kMicrocreditRead},
                          {"/api/v1/microcredit/pre-registrations?limit=1", auth::Permission::kMicrocreditRead},
                          {"/api/v1/microcredit/tasks?limit=1", auth::Permission::kMicrocreditRead},
                          {"/api/v1/eservices/units", auth::Permission::kReportsTriage},
                          {"/api/v1/eservices/overdue", auth::Permission::kReportsOverdue},
                          {"/api/v1/affiliation/workers?limit=1", auth::Permission::kAffiliationRead},
                          {"/api/v1/affiliation/campaign", auth::Permission::kAffiliationRead},
                          {"/api/v1/affiliation/lists", auth::Permission::kAffiliationReview},
                          {"/api/v1/dci/partners", auth::Permission::kUsersManage},
                          {"/api/v1/auth/me", auth::Permission::kAuthenticated},
                          {"/api/v1/cases?limit=1", auth::Permission::kCasesRead},
                          {"/api/v1/cases/protocols", auth::Permission::kCasesRead},
                          {"/api/v1/counselling/counsellors", auth::Permission::kCounsellingRead},
                          {"/api/v1/counselling/slots", auth::Permission::kCounsellingRead},
                          {"/api/v1/counselling/bookings", auth::Permission::kCounsellingRead},
                          {"/api/v1/counselling/requests", auth::Permission::kCounsellingRead},
                          {"/api/v1/counselling/outbox", auth::Permission::kCounsellingManage},
                          {"/api/v1/grievances?limit=1", auth::Permission::kGrievancesRead},
                          {"/api/v1/grievances/categories", auth::Permission::kGrievancesRead},
                          {"/api/v1/placements/overdue", auth::Permission::kCasesRead}};
  int n = 0;
  for (auth::Role role : auth::AllRoles()) {
    const std::string name = fmt::format("matrix{}", n++);
    const std::string password = server_->AddUser(name, {role});
    auto token = BearerToken(client(), name, password);
    ASSERT_TRUE(token) << name;
    for (const auto& p : probes) {
      const int expected = auth::Grants(std::array{role}, p.permission) ? 200 : 403;
      EXPECT_EQ(client().Get(p.target, Bearer(*token)).status, expected) << auth::RoleName(role) << " " << p.target;
    }
  }
  for (const auto& p : probes) EXPECT_EQ(client().Get(p.target).status, 401) << p.target;
  // Spot checks that do not depend on the matrix itself.
  EXPECT_TRUE(auth::Grants(std::array{auth::Role::kAuditor}, auth::Permission::kAuditRead));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kSocialWorker}, auth::Permission::kAuditRead));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kNationalAnalyst}, auth::Permission::kUsersManage));
  // Micro-credit: committee members score and decide; officers enter and disburse; neither does both.
  EXPECT_TRUE(auth::Grants(std::array{auth::Role::kCommitteeMember}, auth::Permission::kMicrocreditCommittee));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kCommitteeMember}, auth::Permission::kMicrocreditManage));
  EXPECT_TRUE(auth::Grants(std::array{auth::Role::kSocialWorker}, auth::Permission::kMicrocreditManage));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kSocialWorker}, auth::Permission::kMicrocreditCommittee));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kPartnerSystem}, auth::Permission::kMicrocreditRead));
  // Counselling: counsellors record sessions but do not manage counsellors; coordinators the reverse.
  EXPECT_TRUE(auth::Grants(std::array{auth::Role::kCounselor}, auth::Permission::kCounsellingSession));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kCounselor}, auth::Permission::kCounsellingManage));
  EXPECT_TRUE(auth::Grants(std::array{auth::Role::kRegionalCoordinator}, auth::Permission::kCounsellingManage));
  EXPECT_FALSE(auth::Grants(std::array{auth::Role::kRegionalCoordinator}, auth::Permission::kCounsellingSession));
}

TEST_F(Api, AuditorsVerifyTheAuditChainOthersMayNot) {
  auto auditor = BearerToken(client(), "auditor", *auditor_password_);
  auto worker = BearerToken(client(), "worker", *worker_password_);
  ASSERT_TRUE(auditor && worker);
  // A job: 202 with its id, then its report once it has run (tests/http/audit_verify_job_test.cpp).
  auto started = client().PostJson("/api/v1/audit/verify", "{}", Bearer(*auditor));
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string target = "/api/v1/audit/verify/" + std::to_string(started.Json()["id"].get<std::int64_t>());
  json job;
  for (int i = 0; i < 400; ++i) {
    job = client().Get(target, Bearer(*auditor)).Json();
    if (job["status"] != "queued" && job["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_EQ(job["report"]["ok"], true);
  EXPECT_GT(job["report"]["checked"].get<long long>(), 0);
  EXPECT_TRUE(job["report"]["first_broken_id"].is_null());
  EXPECT_EQ(client().PostJson("/api/v1/audit/verify", "{}", Admin()).status, 202);
  EXPECT_EQ(client().PostJson("/api/v1/audit/verify", "{}", Bearer(*worker)).status, 403);
  EXPECT_EQ(client().PostJson("/api/v1/audit/verify", "{}").status, 401);
  // The check itself is in the log.
  auto log = client().Get("/api/v1/audit?action=verify&record_type=audit_log", Bearer(*auditor)).Json();
  EXPECT_GE(log["total"].get<long long>(), 1);
}

TEST_F(Api, InputErrorsAreCodesRenderedInTheClientsLanguage) {
  Headers ar = Admin();
  ar.emplace_back("Accept-Language", "ar");
  auto unknown = client().PostJson("/api/v1/users", R"({"username":"x","password":"y","roles":[],"bogus":1})", ar);
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.Json()["error"]["reason"], "field.unknown");
  EXPECT_EQ(unknown.Json()["error"]["field"], "bogus");
  EXPECT_EQ(unknown.Json()["error"]["message"], "حقل غير معروف: \u2068bogus\u2069.");
  Headers fr = Admin();
  fr.emplace_back("Accept-Language", "fr");
  auto missing = client().PostJson("/api/v1/users", R"({"password":"y","roles":[]})", fr);
  EXPECT_EQ(missing.Json()["error"]["reason"], "field.required");
  EXPECT_EQ(missing.Json()["error"]["message"], "Nom d'utilisateur est obligatoire.") << missing.body;
  auto role = client().PostJson("/api/v1/users", R"({"username":"x","password":"y","roles":["wizard"]})", fr);
  EXPECT_EQ(role.Json()["error"]["reason"], "user.unknown_role");
  EXPECT_EQ(role.Json()["error"]["field"], "roles[0]");
  EXPECT_EQ(role.Json()["error"]["message"], "Rôle inconnu : wizard.");
}

TEST_F(Api, AdministratorsSetRolesScopeAndDisableAccounts) {
  const std::string password = server_->AddUser("clerk", {auth::Role::kSocialWorker}, "MA-03.231");
  auto token = BearerToken(client(), "clerk", password);
  ASSERT_TRUE(token);
  long long id = 0;
  // The list's JSON is kept in a variable: a range-for over a member of a temporary would dangle.
  const json users = client().Get("/api/v1/users?limit=100", Admin()).Json();
  for (const auto& u : users["items"]) {
    if (u["username"] == "clerk") id = u["id"].get<long long>();
  }
  ASSERT_GT(id, 0) << users.dump();
  const std::string target = "/api/v1/users/" + std::to_string(id);
  auto changed = client().Request("PATCH", target, R"({"roles":["auditor"],"area_code":null})",
                                  {{"Content-Type", "application/json"}, Admin()[0]});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json()["roles"], json::array({"auditor"}));
  EXPECT_TRUE(changed.Json()["area_code"].is_null());
  // Their sessions ended with the change; a new one has the new rights.
  EXPECT_EQ(client().Get("/api/v1/audit?limit=1", Bearer(*token)).status, 401);
  auto again = BearerToken(client(), "clerk", password);
  ASSERT_TRUE(again);
  EXPECT_EQ(client().Get("/api/v1/audit?limit=1", Bearer(*again)).status, 200);
  // Disabled: no sign-in.
  auto disabled =
      client().Request("PATCH", target, R"({"active":false})", {{"Content-Type", "application/json"}, Admin()[0]});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.Json()["active"], false);
  EXPECT_EQ(disabled.Json()["roles"], json::array({"auditor"})) << "fields left out keep their value";
  EXPECT_FALSE(BearerToken(client(), "clerk", password));
  // Bad input names the field; an administrator cannot lock themselves out.
  auto unknown_area =
      client().Request("PATCH", target, R"({"area_code":"XX-99"})", {{"Content-Type", "application/json"}, Admin()[0]});
  EXPECT_EQ(unknown_area.status, 422);
  EXPECT_EQ(unknown_area.Json()["error"]["field"], "area_code");
  auto no_role =
      client().Request("PATCH", target, R"({"roles":[]})", {{"Content-Type", "application/json"}, Admin()[0]});
  EXPECT_EQ(no_role.status, 400);
  EXPECT_EQ(no_role.Json()["error"]["reason"], "user.roles_required");
  long long admin_id = 0;
  for (const auto& u : users["items"]) {
    if (u["username"] == "admin") admin_id = u["id"].get<long long>();
  }
  auto self = client().Request("PATCH", "/api/v1/users/" + std::to_string(admin_id), R"({"active":false})",
                               {{"Content-Type", "application/json"}, Admin()[0]});
  EXPECT_EQ(self.status, 422);
  EXPECT_EQ(self.Json()["error"]["reason"], "user.cannot_restrict_self");
  EXPECT_EQ(client()
                .Request("PATCH", "/api/v1/users/999999", R"({"active":true})",
                         {{"Content-Type", "application/json"}, Admin()[0]})
                .status,
            404);
}

// ---------------------------------------------------------------------------------------------------
// Audit

TEST_F(Api, LoginsAndFailedLoginsAreAuditedAndTheChainStaysIntact) {
  const std::string password = server_->AddUser("audited", {auth::Role::kCounselor});
  auto c = client();
  ASSERT_EQ(
      c.PostJson("/api/v1/auth/login", json{{"username", "audited"}, {"password", "not-the-password"}}.dump()).status,
      401);
  ASSERT_TRUE(LoginBrowser(c, "audited", password));
  ASSERT_TRUE(BearerToken(c, "audited", password));
  auto auditor = BearerToken(c, "auditor", *auditor_password_);
  ASSERT_TRUE(auditor);

  auto by_user = c.Get("/api/v1/audit?user=audited", Bearer(*auditor));
  ASSERT_EQ(by_user.status, 200) << by_user.body;
  auto j = by_user.Json();
  EXPECT_EQ(j["total"], 3);
  std::vector<std::string> actions;
  for (const auto& e : j["items"]) {
    actions.push_back(e["action"]);
    EXPECT_EQ(e["username"], "audited");
    EXPECT_EQ(e["ip"], "127.0.0.1");
    EXPECT_EQ(e["hash"].get<std::string>().size(), 64u);
  }
  // Newest first.
  EXPECT_EQ(actions, (std::vector<std::string>{"token_issued", "login", "login_failed"}));
  const std::string user_id = j["items"][0]["record_id"];

  auto failed = c.Get("/api/v1/audit?user=audited&action=login_failed", Bearer(*auditor)).Json();
  EXPECT_EQ(failed["total"], 1);
  // The account's creation (by the command line, in the same commit as the account) and the three above.
  auto by_record = c.Get("/api/v1/audit?record_type=user&record_id=" + user_id, Bearer(*auditor)).Json();
  EXPECT_EQ(by_record["total"], 4);
  const std::string today = DateOf(std::chrono::system_clock::now()).ToString();
  auto dated = c.Get("/api/v1/audit?user=audited&from=" + today + "&to=" + today, Bearer(*auditor)).Json();
  EXPECT_EQ(dated["total"], 3);
  EXPECT_EQ(c.Get("/api/v1/audit?user=audited&to=2000-01-01", Bearer(*auditor)).Json()["total"], 0);
  EXPECT_EQ(c.Get("/api/v1/audit?user=audited&from=2199-01-01", Bearer(*auditor)).Json()["total"], 0);
  auto paged = c.Get("/api/v1/audit?user=audited&limit=1&offset=1", Bearer(*auditor)).Json();
  EXPECT_EQ(paged["total"], 3);
  ASSERT_EQ(paged["items"].size(), 1u);
  EXPECT_EQ(paged["items"][0]["action"], "login");

  // Reading the audit log is itself audited.
  auto views = c.Get("/api/v1/audit?user=auditor&action=view&record_type=audit_log", Bearer(*auditor)).Json();
  EXPECT_GE(views["total"], 1);

  auto report = server_->platform().audit->Verify();
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->first_broken_id) << report->reason;
  EXPECT_GT(report->checked, 5);
}

// ---------------------------------------------------------------------------------------------------
// Users

TEST_F(Api, AnAdminCreatesAUserWithRolesAndAnAreaWhoCanThenSignIn) {
  Headers h = Admin();
  h.emplace_back("Content-Type", "application/json");
  auto r = client().Request("POST", "/api/v1/users",
                            json{{"username", "new.worker"},
                                 {"password", "a-long-password"},
                                 {"roles", {"social_worker", "data_entry"}},
                                 {"area_code", "MA-03.231"}}
                                .dump(),
                            h);
  ASSERT_EQ(r.status, 201) << r.body;
  auto u = r.Json();
  EXPECT_EQ(u["username"], "new.worker");
  EXPECT_EQ(u["roles"], json::array({"social_worker", "data_entry"}));
  EXPECT_EQ(u["area_code"], "MA-03.231");
  EXPECT_EQ(u["active"], true);
  EXPECT_FALSE(u.contains("password"));
  EXPECT_EQ(r.body.find("argon2"), std::string::npos);

  auto s = LoginBrowser(client(), "new.worker", "a-long-password");
  ASSERT_TRUE(s);
  EXPECT_EQ(client().Get("/api/v1/auth/me", s->Auth()).Json()["user"]["area_code"], "MA-03.231");

  auto again = client().Request(
      "POST", "/api/v1/users",
      json{{"username", "new.worker"}, {"password", "a-long-password"}, {"roles", {"auditor"}}}.dump(), h);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Json()["error"]["field"], "username");

  auto list = client().Get("/api/v1/users?limit=1000", Admin()).Json();
  std::vector<std::string> names;
  for (const auto& i : list["items"]) names.push_back(i["username"]);
  EXPECT_THAT(names, Contains("new.worker"));
  EXPECT_EQ(list["total"], static_cast<long long>(names.size()));
}

TEST_F(Api, CreatingAUserWithBadRolesPasswordsOrAreasSaysWhichField) {
  Headers h = Admin();
  h.emplace_back("Content-Type", "application/json");
  struct Case {
    json body;
    int status;
    std::string field;
  };
  const Case cases[] = {
      {{{"username", "u.one"}, {"password", "a-long-password"}, {"roles", {"superuser"}}}, 400, "roles[0]"},
      {{{"username", "u.one"}, {"password", "a-long-password"}, {"roles", {"auditor", "root"}}}, 400, "roles[1]"},
      {{{"username", "u.one"}, {"password", "short"}, {"roles", {"auditor"}}}, 400, "password"},
      {{{"username", "u.one"}, {"password", "123456789"}, {"roles", {"auditor"}}}, 400, "password"},
      {{{"username", "u.one"}, {"password", "a-long-password"}, {"roles", json::array()}}, 400, "roles"},
      {{{"username", "U One"}, {"password", "a-long-password"}, {"roles", {"auditor"}}}, 400, "username"},
      {{{"username", "ab"}, {"password", "a-long-password"}, {"roles", {"auditor"}}}, 400, "username"},
      {{{"username", "u.one"}, {"password", "a-long-password"}, {"roles", {"auditor"}}, {"area_code", "MA-99"}},
       422,
       "area_code"},
  };
  for (const auto& c : cases) {
    auto r = client().Request("POST", "/api/v1/users", c.body.dump(), h);
    EXPECT_EQ(r.status, c.status) << c.body.dump() << " → " << r.body;
    EXPECT_EQ(r.Json()["error"].value("field", ""), c.field) << c.body.dump() << " → " << r.body;
  }
  auto list = client().Get("/api/v1/users?limit=1000", Admin());
  EXPECT_EQ(list.body.find("u.one"), std::string::npos);
}

}  // namespace
}  // namespace sanad::testing
