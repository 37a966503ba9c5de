// Re-scoring on approval (targeting/rescoring.h, docs/decisions/0009-rescoring.md) over HTTP, on SQLite
// and PostgreSQL: a household created and then given a child through approved change requests gets a
// score, then a new one with the old one in its history; a change approved while no server re-scores is
// re-scored by the next server that does, from the position kept in the database.
#include <gtest/gtest.h>

#include <thread>

#include "targeting/test_support.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

targeting::Model HandModel() {
  auto m = targeting::ParseModel(targeting::testing::kHandModel);
  if (!m) throw std::runtime_error(m.error().message);
  return *m;
}

class Rescoring : public ::testing::Test {
 protected:
  TestServerOptions Options(bool with_model) {
    TestServerOptions o;
    o.db_url = url_;
    if (with_model) o.score_model = HandModel();
    return o;
  }

  // Files `body` as the agent and approves it as the coordinator; returns the request's id.
  std::int64_t FileAndApprove(TestServer& server, const Json& body) {
    auto c = server.Client();
    auto agent = BearerToken(c, "agent.fes", agent_pw_);
    auto coord = BearerToken(c, "coord.fes", coord_pw_);
    EXPECT_TRUE(agent && coord);
    auto filed = c.PostJson("/api/v1/change-requests", body.dump(), Bearer(*agent));
    EXPECT_EQ(filed.status, 201) << filed.body;
    const std::int64_t id = filed.Json()["id"].get<std::int64_t>();
    auto approved = c.PostJson("/api/v1/change-requests/" + std::to_string(id) + "/approve", "{}", Bearer(*coord));
    EXPECT_EQ(approved.status, 200) << approved.body;
    return id;
  }

  // The test's only household.
  std::int64_t HouseholdOf(TestServer& server) {
    auto c = server.Client();
    auto coord = BearerToken(c, "coord.fes", coord_pw_);
    auto found = c.Get("/api/v1/households?area=MA-03&limit=10", Bearer(*coord));
    EXPECT_EQ(found.status, 200) << found.body;
    return found.Json()["items"][0]["id"].get<std::int64_t>();
  }

  // The household's score as the API gives it, once it satisfies `ready` (the follower re-scores within
  // its poll interval, 200 ms in tests).
  Json ScoreWhen(TestServer& server, std::int64_t household, const std::function<bool(const Json&)>& ready) {
    auto c = server.Client();
    auto coord = BearerToken(c, "coord.fes", coord_pw_);
    Json last;
    for (int i = 0; i < 100; ++i) {
      auto r = c.Get("/api/v1/households/" + std::to_string(household) + "/score", Bearer(*coord));
      EXPECT_EQ(r.status, 200) << r.body;
      last = r.Json();
      if (ready(last)) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "score not as expected: " << last.dump();
    return last;
  }

  void Users(TestServer& server) {
    agent_pw_ = server.AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03.231");
    coord_pw_ = server.AddUser("coord.fes", {auth::Role::kRegionalCoordinator}, "MA-03");
  }

  static Json NewHousehold() {
    return Json::parse(R"({"kind": "create_household", "payload": {
      "household": {"commune_code": "MA-03.231.01.03", "urban": true, "address": "12 Derb Lamtiyine"},
      "members": [
        {"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "sex": "M", "birth_date": "1970-03-02"},
        {"relationship": "spouse", "given_name_ar": "فاطمة", "family_name_ar": "العلوي", "sex": "F", "birth_date": "1975-01-01"},
        {"relationship": "child", "given_name_ar": "يوسف", "family_name_ar": "بن علي", "sex": "M", "birth_date": "2010-09-01"}]}})");
  }

  static Json NewChild(std::int64_t household) {
    return Json{{"kind", "add_member"},
                {"payload",
                 {{"household_id", household},
                  {"person",
                   {{"relationship", "child"},
                    {"given_name_ar", "سلمى"},
                    {"family_name_ar", "بن علي"},
                    {"sex", "F"},
                    {"birth_date", "2023-04-10"}}}}}};
  }

  std::string url_ = FreshDatabaseUrl(BackendFromEnv());
  std::string agent_pw_, coord_pw_;
};

// Hand model (targeting/test_support.h), urban MA-03: 9.825 + 0.12 − 0.138·n + 0.00469·n² − 0.25·(children
// under 15)/n. Three members, no child under 15: 9.57321. A fourth, a child of 3: 9.484293 − 0.0625.
constexpr double kThree = 9.825 + 0.12 - 0.138 * 3 + 0.00469 * 9;
constexpr double kFour = 9.825 + 0.12 - 0.138 * 4 + 0.00469 * 16 - 0.25 / 4;

TEST_F(Rescoring, AnApprovedChangeRescoresTheHouseholdAndKeepsTheOldScore) {
  TestServer server(Options(true));
  Users(server);
  FileAndApprove(server, NewHousehold());
  const auto household = HouseholdOf(server);
  auto first = ScoreWhen(server, household, [](const Json& j) { return !j["score"].is_null(); });
  EXPECT_NEAR(first["score"].get<double>(), kThree, 1e-9) << first;
  EXPECT_EQ(first["model"], "test");
  EXPECT_EQ(first["model_version"], "1");
  EXPECT_TRUE(first["history"].empty());
  EXPECT_NEAR(first["contributions"]["region"].get<double>(), 0.12, 1e-12) << first;

  FileAndApprove(server, NewChild(household));
  auto second = ScoreWhen(server, household, [](const Json& j) { return j["history"].size() == 1; });
  EXPECT_NEAR(second["score"].get<double>(), kFour, 1e-9) << second;
  EXPECT_NEAR(second["history"][0]["score"].get<double>(), kThree, 1e-9) << second;
  EXPECT_NEAR(second["contributions"]["children_under_15/per_capita"].get<double>(), -0.0625, 1e-12) << second;
}

TEST_F(Rescoring, AChangeApprovedWhileNoServerRescoresIsRescoredByTheNextOne) {
  std::int64_t household = 0;
  {
    TestServer server(Options(true));  // records the feed position
    Users(server);
    FileAndApprove(server, NewHousehold());
    household = HouseholdOf(server);
    ScoreWhen(server, household, [](const Json& j) { return !j["score"].is_null(); });
  }
  {
    TestServer server(Options(false));  // no model: approves without re-scoring
    FileAndApprove(server, NewChild(household));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto c = server.Client();
    auto coord = BearerToken(c, "coord.fes", coord_pw_);
    auto r = c.Get("/api/v1/households/" + std::to_string(household) + "/score", Bearer(*coord));
    EXPECT_NEAR(r.Json()["score"].get<double>(), kThree, 1e-9) << r.body;
  }
  TestServer server(Options(true));
  auto caught_up = ScoreWhen(server, household, [](const Json& j) { return j["history"].size() == 1; });
  EXPECT_NEAR(caught_up["score"].get<double>(), kFour, 1e-9) << caught_up;
}

}  // namespace
}  // namespace sanad::testing
