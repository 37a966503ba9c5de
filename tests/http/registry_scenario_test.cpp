// The registry's end-to-end scenario over HTTP, on SQLite and on PostgreSQL (SANAD_TEST_DB selects): an
// agent files a household with three members, a coordinator approves it, a search for a
// transliteration variant of the head's name in the other script finds it, and the household as of a
// day before the approval does not exist.
#include <gtest/gtest.h>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

TEST(RegistryOverHttp, AgentFilesCoordinatorApprovesAndTheOtherScriptFindsTheHead) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  const std::string agent_pw = server.AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03.231");
  const std::string coord_pw = server.AddUser("coord.fes", {auth::Role::kRegionalCoordinator}, "MA-03");
  const std::string casa_pw = server.AddUser("coord.casa", {auth::Role::kRegionalCoordinator}, "MA-06");
  auto c = server.Client();
  auto agent = BearerToken(c, "agent.fes", agent_pw);
  auto coord = BearerToken(c, "coord.fes", coord_pw);
  auto casa = BearerToken(c, "coord.casa", casa_pw);
  ASSERT_TRUE(agent && coord && casa);

  const Json household = Json::parse(R"({"kind": "create_household", "payload": {
      "household": {"commune_code": "MA-03.231.01.03", "urban": true, "address": "12 Derb Lamtiyine"},
      "members": [
        {"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "sex": "M", "birth_date": "1970-03-02"},
        {"relationship": "spouse", "given_name_ar": "فاطمة", "family_name_ar": "العلوي", "sex": "F", "birth_date": "1975"},
        {"relationship": "child", "given_name_ar": "يوسف", "family_name_ar": "بن علي", "sex": "M", "birth_date": "2010-09-01"}]}})");
  auto filed = c.PostJson("/api/v1/change-requests", household.dump(), Bearer(*agent));
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::int64_t cr = filed.Json()["id"].get<std::int64_t>();

  auto search = [&](const std::string& token) {
    return c.Get("/api/v1/persons?q=Mohamed%20Benali&limit=10", Bearer(token));
  };
  ASSERT_EQ(search(*coord).Json()["items"].size(), 0u) << "nothing is in the registry before approval";

  auto own = c.PostJson("/api/v1/change-requests/" + std::to_string(cr) + "/approve", "{}", Bearer(*agent));
  EXPECT_EQ(own.status, 403) << "the agent may not approve (role, and four eyes)";
  auto elsewhere = c.PostJson("/api/v1/change-requests/" + std::to_string(cr) + "/approve", "{}", Bearer(*casa));
  EXPECT_EQ(elsewhere.status, 404) << "a Casablanca coordinator does not see a Fès request";
  auto approved = c.PostJson("/api/v1/change-requests/" + std::to_string(cr) + "/approve", R"({"comment": "visited"})",
                             Bearer(*coord));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["status"], "applied");

  auto found = search(*coord);
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_GE(found.Json()["items"].size(), 1u) << found.body;
  const Json head = found.Json()["items"][0];
  EXPECT_EQ(head["given_name_ar"], "محمد");
  EXPECT_EQ(head["relationship"], "head");
  EXPECT_EQ(head["commune_code"], "MA-03.231.01.03");
  const std::string household_path = "/api/v1/households/" + std::to_string(head["household_id"].get<std::int64_t>());

  auto now = c.Get(household_path, Bearer(*coord));
  ASSERT_EQ(now.status, 200);
  EXPECT_EQ(now.Json()["members"].size(), 3u);
  EXPECT_EQ(c.Get(household_path + "?as_of=2020-01-01", Bearer(*coord)).status, 404);
  EXPECT_EQ(c.Get(household_path, Bearer(*casa)).status, 404) << "scope is enforced in the query";
  EXPECT_EQ(search(*casa).Json()["items"].size(), 0u) << "and in the name search";

  auto history = c.Get(household_path + "/history", Bearer(*coord));
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.Json()["items"][0]["kind"], "create_household");
  EXPECT_EQ(history.Json()["items"][0]["reviewer"], "coord.fes");

  // An approved edit keeps the values it replaced, field by field.
  const std::string id = household_path.substr(household_path.rfind('/') + 1);
  auto edit = c.PostJson("/api/v1/change-requests",
                         R"({"kind": "update_household", "payload": {"household_id": )" + id +
                             R"(, "changes": {"address": "14 Derb Lamtiyine", "rooms": 3, "urban": false}}})",
                         Bearer(*agent));
  ASSERT_EQ(edit.status, 201) << edit.body;
  const std::string edit_id = std::to_string(edit.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(c.PostJson("/api/v1/change-requests/" + edit_id + "/approve", "{}", Bearer(*coord)).status, 200);
  auto after = c.Get(household_path + "/history", Bearer(*coord));
  ASSERT_EQ(after.status, 200) << after.body;
  const Json items = after.Json()["items"];
  ASSERT_EQ(items.size(), 2u) << after.body;
  EXPECT_EQ(items[0]["records"].size(), 4u) << "the creation wrote the household and three members";
  const Json& change = items[1];
  EXPECT_EQ(change["change_request_id"].get<std::int64_t>(), edit.Json()["id"].get<std::int64_t>());
  EXPECT_EQ(change["kind"], "update_household");
  EXPECT_EQ(change["author"], "agent.fes");
  EXPECT_EQ(change["reviewer"], "coord.fes");
  ASSERT_EQ(change["records"].size(), 1u);
  EXPECT_EQ(change["records"][0]["record_type"], "household");
  EXPECT_EQ(change["records"][0]["changes"], Json::parse(R"([{"field": "urban", "before": true, "after": false},
                            {"field": "address", "before": "12 Derb Lamtiyine", "after": "14 Derb Lamtiyine"},
                            {"field": "rooms", "before": null, "after": 3}])"));
  // A sort orders the whole result, not one page: the first of one-row pages is the oldest or the youngest.
  auto first_born = [&](const std::string& sort) {
    auto r = c.Get("/api/v1/persons?area=MA-03&limit=1&sort=" + sort, Bearer(*coord));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json()["total"], 3) << r.body;
    return r.Json()["items"][0]["birth_date"].get<std::string>();
  };
  EXPECT_EQ(first_born("birth_date"), "1970-03-02");
  EXPECT_EQ(first_born("-birth_date"), "2010-09-01");
  auto second = c.Get("/api/v1/persons?area=MA-03&limit=1&offset=1&sort=-birth_date", Bearer(*coord));
  EXPECT_EQ(second.Json()["items"][0]["birth_date"], "1975") << second.body;
  auto bad_sort = c.Get("/api/v1/persons?area=MA-03&sort=household_id", Bearer(*coord));
  EXPECT_EQ(bad_sort.status, 400);
  EXPECT_EQ(bad_sort.Json()["error"]["reason"], "query.not_one_of");

  auto outside = c.Get(household_path + "/history", Bearer(*casa));
  EXPECT_EQ(outside.status, 404) << "the history is scoped like the household";
  EXPECT_EQ(outside.Json()["error"]["reason"], "household.not_found");
}

}  // namespace
}  // namespace sanad::testing
