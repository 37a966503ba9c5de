// Programme cycles over HTTP on SQLite and PostgreSQL: a payment officer generates a cycle (202 and a
// job to follow, then 200 with the cycle when asked again), cannot approve it (403 cycle.own_cycle in
// the reader's language, and the cycle page says why beforehand), a second officer approves it; an
// approved cycle is never discarded; a regional coordinator sees the figures and entries of their region
// only and decides nothing; other roles see nothing; reads of entries are audited. The entries
// computation is the stand-in of src/cycles/test_support.h.
#include <gtest/gtest.h>

#include <thread>

#include "cycles/test_support.h"
#include "test_db.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;

class CyclesApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("sanad-cycles-http-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto st = cycles::testing::WriteSyntheticRegistry(dir_, 60, 5);
    ASSERT_TRUE(st) << st.error().message;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  static TestServerOptions Options() {
    TestServerOptions o;
    o.db_url = FreshDatabaseUrl(BackendFromEnv());
    o.cycle_entries = cycles::testing::StandInEntries;
    return o;
  }

  void SetUp() override {
    const std::string today = DateOf(server_.clock().Now()).ToString();
    registry::Actor author{100, "importer", {std::nullopt, today}, "test", "t1"};
    registry::Actor reviewer{101, "reviewer", {std::nullopt, today}, "test", "t2"};
    auto& p = server_.platform();
    auto st =
        cycles::testing::ImportSyntheticRegistry(dir_, *p.registry, *p.changes, server_.clock(), author, reviewer);
    ASSERT_TRUE(st) << st.error().reason << " " << st.error().message;
    officer_ = Token("officer", {auth::Role::kPaymentOfficer});
    approver_ = Token("approver", {auth::Role::kPaymentOfficer});
    analyst_ = Token("analyst", {auth::Role::kNationalAnalyst});
  }

  Headers Token(const std::string& user, const std::vector<auth::Role>& roles,
                const std::optional<std::string>& area = std::nullopt, const std::string& lang = "en") {
    const std::string pw = server_.AddUser(user, roles, area);
    auto token = BearerToken(c_, user, pw);
    EXPECT_TRUE(token);
    return {{"Authorization", "Bearer " + token.value_or("")}, {"Accept-Language", lang}};
  }

  // Generates the ASD cycle of 2026-03 as the officer and waits for its job; returns the cycle id.
  std::int64_t Generate() {
    auto r = c_.PostJson("/api/v1/programs/ASD/cycles", json{{"period", "2026-03"}}.dump(), officer_);
    EXPECT_EQ(r.status, 202) << r.body;
    const std::int64_t job = r.Json()["job"]["id"];
    for (int i = 0; i < 500; ++i) {
      auto j = c_.Get("/api/v1/cycle-jobs/" + std::to_string(job), officer_);
      EXPECT_EQ(j.status, 200) << j.body;
      const json body = j.Json();
      if (body["state"] == "succeeded") return body["cycle_id"];
      if (body["state"] == "failed") {
        ADD_FAILURE() << body;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the generation job did not finish";
    return 0;
  }

  static inline std::filesystem::path dir_;
  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
  Headers officer_, approver_, analyst_;
};

TEST_F(CyclesApi, GeneratedByOneOfficerApprovedByAnother) {
  const std::int64_t id = Generate();
  ASSERT_GT(id, 0);
  const std::string path = "/api/v1/cycles/" + std::to_string(id);

  auto again = c_.PostJson("/api/v1/programs/ASD/cycles", json{{"period", "2026-03"}}.dump(), approver_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["cycle"]["id"], id);

  auto page = c_.Get(path, officer_);
  ASSERT_EQ(page.status, 200) << page.body;
  json cycle = page.Json();
  EXPECT_EQ(cycle["state"], "draft");
  EXPECT_EQ(cycle["generated_by"], "officer");
  EXPECT_GT(cycle["households_considered"].get<long long>(), 0);
  EXPECT_GE(cycle["regions"].size(), 2u);
  ASSERT_TRUE(cycle["approve_blocked"].is_object()) << cycle;
  EXPECT_EQ(cycle["approve_blocked"]["reason"], "cycle.own_cycle");

  auto own = c_.PostJson(path + "/approve", "{}", {officer_[0], {"Accept-Language", "fr"}});
  ASSERT_EQ(own.status, 403) << own.body;
  EXPECT_EQ(own.Json()["error"]["reason"], "cycle.own_cycle");
  EXPECT_NE(own.Json()["error"]["message"].get<std::string>().find("un autre utilisateur"), std::string::npos)
      << own.body;

  auto approved = c_.PostJson(path + "/approve", json{{"acknowledge_flags", false}}.dump(), approver_);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["state"], "approved");
  EXPECT_EQ(approved.Json()["approved_by"], "approver");
  EXPECT_TRUE(c_.Get(path, approver_).Json()["approve_blocked"].is_null());

  auto discard = c_.PostJson(path + "/discard", "{}", officer_);
  EXPECT_EQ(discard.status, 409) << discard.body;
  EXPECT_EQ(discard.Json()["error"]["reason"], "cycle.not_draft");
  auto close = c_.PostJson(path + "/close", "{}", officer_);
  EXPECT_EQ(close.status, 409) << close.body;
  EXPECT_EQ(close.Json()["error"]["reason"], "cycle.not_paid");

  auto list = c_.Get("/api/v1/cycles?programme=ASD&state=approved", officer_);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json()["items"].size(), 1u);
  EXPECT_EQ(list.Json()["items"][0]["id"], id);

  auto entries = c_.Get(path + "/entries?eligible=true&limit=5", officer_);
  ASSERT_EQ(entries.status, 200) << entries.body;
  const json e = entries.Json();
  EXPECT_EQ(e["total"], cycle["households_eligible"]);
  ASSERT_FALSE(e["items"].empty());
  EXPECT_TRUE(e["items"][0]["eligible"]);
  EXPECT_TRUE(e["items"][0]["details"].is_object());
  ASSERT_TRUE(server_.platform().audit->Fold());  // SQLite spools audit lines before the chain
  auto s = server_.platform().db->Acquire();
  long long audited = 0;
  s.sql() << "SELECT COUNT(*) FROM audit_log WHERE record_type = 'cycle_entry'", soci::into(audited);
  EXPECT_EQ(audited, 1);
}

TEST_F(CyclesApi, RefusesBadInputNamingTheField) {
  auto period = c_.PostJson("/api/v1/programs/ASD/cycles", json{{"period", "2026-13"}}.dump(), officer_);
  EXPECT_EQ(period.status, 400) << period.body;
  EXPECT_EQ(period.Json()["error"]["field"], "period");
  auto unknown =
      c_.PostJson("/api/v1/programs/ASD/cycles", json{{"period", "2026-03"}, {"cutoff", "x"}}.dump(), officer_);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  auto programme = c_.PostJson("/api/v1/programs/NOPE/cycles", json{{"period", "2026-03"}}.dump(), officer_);
  EXPECT_EQ(programme.status, 404) << programme.body;
  auto missing = c_.Get("/api/v1/cycles/999", officer_);
  EXPECT_EQ(missing.status, 404) << missing.body;
  auto flag = c_.Get("/api/v1/cycles/1/entries?eligible=yes", officer_);
  EXPECT_EQ(flag.status, 400) << flag.body;
}

TEST_F(CyclesApi, ARegionalCoordinatorSeesTheirRegionAndDecidesNothing) {
  const std::int64_t id = Generate();
  ASSERT_GT(id, 0);
  const std::string path = "/api/v1/cycles/" + std::to_string(id);
  const json national = c_.Get(path, officer_).Json();
  const json region = national["regions"][0];
  const std::string code = region["region"];
  Headers coordinator = Token("coordinator", {auth::Role::kRegionalCoordinator}, code);

  auto page = c_.Get(path, coordinator);
  ASSERT_EQ(page.status, 200) << page.body;
  const json mine = page.Json();
  EXPECT_EQ(mine["scope_area"], code);
  EXPECT_EQ(mine["households_considered"], region["households_considered"]);
  EXPECT_EQ(mine["total_minor"], region["total_minor"]);
  ASSERT_EQ(mine["regions"].size(), 1u);
  auto entries = c_.Get(path + "/entries?limit=500", coordinator);
  ASSERT_EQ(entries.status, 200) << entries.body;
  EXPECT_EQ(entries.Json()["total"], region["households_considered"]);
  for (const auto& e : entries.Json()["items"]) {
    EXPECT_TRUE(e["commune_code"].get<std::string>().starts_with(code + ".")) << e["commune_code"];
  }
  EXPECT_EQ(c_.PostJson(path + "/approve", "{}", coordinator).status, 403);
  EXPECT_EQ(c_.PostJson("/api/v1/programs/ASD/cycles", json{{"period", "2026-04"}}.dump(), coordinator).status, 403);

  // A payment officer limited to an area reads but never decides.
  Headers regional_officer = Token("regional-officer", {auth::Role::kPaymentOfficer}, code);
  auto refused = c_.PostJson(path + "/approve", "{}", regional_officer);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["reason"], "cycle.national_only");

  EXPECT_EQ(c_.Get("/api/v1/cycles", analyst_).status, 403);
  EXPECT_EQ(c_.Get(path + "/entries", analyst_).status, 403);
}

}  // namespace
}  // namespace sanad::testing
