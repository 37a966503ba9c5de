// What authors see of their change requests, over HTTP on SQLite and PostgreSQL: their own requests,
// withdrawal (only the author, only while pending), notices of decisions in the reader's language,
// and the coded refusal of self-approval.
#include <gtest/gtest.h>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

TEST(AuthorsOverHttp, AuthorsListWithdrawAndAreNotifiedOfDecisions) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  const std::string agent_pw = server.AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03.231");
  const std::string other_pw = server.AddUser("agent2.fes", {auth::Role::kDataEntry}, "MA-03.231");
  const std::string casa_pw = server.AddUser("agent.casa", {auth::Role::kDataEntry}, "MA-06");
  const std::string coord_pw = server.AddUser("coord.fes", {auth::Role::kRegionalCoordinator}, "MA-03");
  auto c = server.Client();
  auto agent = BearerToken(c, "agent.fes", agent_pw);
  auto other = BearerToken(c, "agent2.fes", other_pw);
  auto casa = BearerToken(c, "agent.casa", casa_pw);
  auto coord = BearerToken(c, "coord.fes", coord_pw);
  ASSERT_TRUE(agent && other && casa && coord);

  auto file = [&](const std::string& token) {
    const Json body = Json::parse(R"({"kind": "create_household", "payload": {
        "household": {"commune_code": "MA-03.231.01.03", "urban": true},
        "members": [{"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "sex": "M",
                     "birth_date": "1970-03-02"}]}})");
    auto r = c.PostJson("/api/v1/change-requests", body.dump(), Bearer(token));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::to_string(r.Json()["id"].get<std::int64_t>());
  };
  const std::string withdrawn = file(*agent), applied = file(*agent), rejected = file(*agent);
  file(*other);

  auto mine = c.Get("/api/v1/me/change-requests", Bearer(*agent));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json()["total"], 3);
  for (const auto& item : mine.Json()["items"]) EXPECT_EQ(item["author"], "agent.fes");

  const std::string path = "/api/v1/change-requests/" + withdrawn + "/withdraw";
  auto by_other = c.PostJson(path, "{}", Bearer(*other));
  EXPECT_EQ(by_other.status, 403) << by_other.body;
  EXPECT_EQ(by_other.Json()["error"]["reason"], "change_request.not_author");
  EXPECT_EQ(c.PostJson(path, "{}", Bearer(*casa)).status, 404) << "outside their area it does not exist";
  auto ok = c.PostJson(path, R"({"comment": "filed twice"})", Bearer(*agent));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["status"], "withdrawn");
  EXPECT_EQ(ok.Json()["review_comment"], "filed twice");
  auto twice = c.PostJson(path, "", Bearer(*agent));
  EXPECT_EQ(twice.status, 422) << twice.body;
  EXPECT_EQ(twice.Json()["error"]["reason"], "change_request.not_pending");
  EXPECT_EQ(c.PostJson(path, R"({"reason": "x"})", Bearer(*agent)).status, 400) << "unknown fields are refused";

  ASSERT_EQ(c.PostJson("/api/v1/change-requests/" + applied + "/approve", "{}", Bearer(*coord)).status, 200);
  auto late = c.PostJson("/api/v1/change-requests/" + applied + "/withdraw", "{}", Bearer(*agent));
  EXPECT_EQ(late.status, 422) << late.body;
  ASSERT_EQ(c.PostJson("/api/v1/change-requests/" + rejected + "/reject", R"({"comment": "adresse manquante"})",
                       Bearer(*coord))
                .status,
            200);

  auto only_rejected = c.Get("/api/v1/me/change-requests?status=rejected", Bearer(*agent));
  ASSERT_EQ(only_rejected.status, 200);
  ASSERT_EQ(only_rejected.Json()["items"].size(), 1u);
  EXPECT_EQ(only_rejected.Json()["items"][0]["review_comment"], "adresse manquante");
  EXPECT_EQ(only_rejected.Json()["items"][0]["reviewer"], "coord.fes");
  EXPECT_FALSE(only_rejected.Json()["items"][0]["reviewed_at"].is_null());
  EXPECT_EQ(c.Get("/api/v1/me/change-requests?status=withdrawn", Bearer(*agent)).Json()["total"], 1);
  EXPECT_EQ(c.Get("/api/v1/change-requests?status=withdrawn", Bearer(*coord)).Json()["total"], 1);

  auto headers = Bearer(*agent);
  headers.emplace_back("Accept-Language", "fr");
  auto notices = c.Get("/api/v1/me/notifications", headers);
  ASSERT_EQ(notices.status, 200) << notices.body;
  const Json page = notices.Json();
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["unread"], 2);
  const Json latest = page["items"][0];
  EXPECT_EQ(latest["code"], "notification.change_request_rejected");
  EXPECT_EQ(latest["change_request_id"].get<std::int64_t>(), std::stoll(rejected));
  EXPECT_EQ(latest["params"]["comment"], "adresse manquante");
  EXPECT_EQ(latest["message"], "Votre demande n° " + rejected + " (Nouveau ménage) a été rejetée par coord.fes.");
  EXPECT_EQ(page["items"][1]["code"], "notification.change_request_applied");

  const std::string read_path =
      "/api/v1/me/notifications/" + std::to_string(latest["id"].get<std::int64_t>()) + "/read";
  EXPECT_EQ(c.PostJson(read_path, "", Bearer(*coord)).status, 404) << "another user's notice";
  auto read = c.PostJson(read_path, "", Bearer(*agent));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_FALSE(read.Json()["read_at"].is_null());
  EXPECT_EQ(c.Get("/api/v1/me/notifications?unread=true", Bearer(*agent)).Json()["unread"], 1);
  EXPECT_EQ(c.PostJson("/api/v1/me/notifications/read-all", "", Bearer(*agent)).Json()["marked"], 1);
  EXPECT_EQ(c.Get("/api/v1/me/notifications", Bearer(*agent)).Json()["unread"], 0);
  EXPECT_EQ(c.Get("/api/v1/me/notifications").status, 401);
  EXPECT_EQ(c.Get("/api/v1/me/notifications?unread=maybe", Bearer(*agent)).status, 400);

  // Four eyes: a coordinator's own request is refused with a code the UI can key on.
  const std::string own = file(*coord);
  auto self = c.PostJson("/api/v1/change-requests/" + own + "/approve", "{}", Bearer(*coord));
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_EQ(self.Json()["error"]["reason"], "change_request.own_request");
}

TEST(ChangeRequestSummariesOverHttp, ComeBackInTheReadersLanguage) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  const std::string agent_pw = server.AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03.231");
  const std::string coord_pw = server.AddUser("coord.fes", {auth::Role::kRegionalCoordinator}, "MA-03");
  auto c = server.Client();
  auto agent = BearerToken(c, "agent.fes", agent_pw);
  auto coord = BearerToken(c, "coord.fes", coord_pw);
  ASSERT_TRUE(agent && coord);
  const Json body = Json::parse(R"({"kind": "create_household", "payload": {
      "household": {"commune_code": "MA-03.231.01.03", "urban": true},
      "members": [{"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "sex": "M",
                   "birth_date": "1970-03-02"}]}})");
  auto filed = c.PostJson("/api/v1/change-requests", body.dump(), Bearer(*agent));
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.Json()["summary_code"], "summary.create_household");
  EXPECT_EQ(filed.Json()["summary_params"]["commune"], "MA-03.231.01.03");

  auto in = [&](const std::string& token, const std::string& lang, const std::string& path) {
    auto headers = Bearer(token);
    headers.emplace_back("Accept-Language", lang);
    auto r = c.Get(path, headers);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("content-language").value_or(""), lang.substr(0, 2));
    return r.Json();
  };
  const std::string ar =
      "أسرة جديدة في الجماعة \u2068MA-03.231.01.03\u2069 (عدد الأفراد: \u20681\u2069؛ ربّ الأسرة: محمد بن علي)";
  const std::string fr = "Nouveau ménage dans la commune MA-03.231.01.03 (membres : 1 ; chef : محمد بن علي)";
  auto list_ar = in(*coord, "ar", "/api/v1/change-requests?status=pending");
  ASSERT_EQ(list_ar["items"].size(), 1u);
  EXPECT_EQ(list_ar["items"][0]["summary"], ar);
  auto list_fr = in(*coord, "fr-FR,fr;q=0.9", "/api/v1/change-requests?status=pending");
  EXPECT_EQ(list_fr["items"][0]["summary"], fr);
  EXPECT_EQ(in(*agent, "ar", "/api/v1/me/change-requests")["items"][0]["summary"], ar);
  const std::string id = std::to_string(filed.Json()["id"].get<std::int64_t>());
  EXPECT_EQ(in(*coord, "fr", "/api/v1/change-requests/" + id)["summary"], fr);
  auto plain = c.Get("/api/v1/change-requests?status=pending", Bearer(*coord));
  EXPECT_EQ(plain.Json()["items"][0]["summary"],
            "New household in commune MA-03.231.01.03 (members: 1; head: محمد بن علي)")
      << "English without Accept-Language";
}

}  // namespace
}  // namespace sanad::testing
