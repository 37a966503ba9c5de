// Search pages reuse the persons they wrote before only while the database holds the same version: two
// app servers on one database (SQLite file or PostgreSQL, SANAD_TEST_DB selects), a change approved on
// one is in the other's next answer at once — a changed field, a person who left the caller's area —
// and an unchanged person is written from the kept copy (GET /metrics counts it).
#include <gtest/gtest.h>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kFes = "MA-03.231.01.03";
constexpr const char* kCasablanca = "MA-06.371.01.01";

long long Metric(const std::string& text, const std::string& name) {
  auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

class SearchPageCache : public ::testing::Test {
 protected:
  void SetUp() override {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    a_ = std::make_unique<TestServer>(options);
    b_ = std::make_unique<TestServer>(options);
    ca_ = std::make_unique<HttpClient>(a_->Client());
    cb_ = std::make_unique<HttpClient>(b_->Client());
    using R = auth::Role;
    admin_ = Login("admin", a_->AddUser("admin", {R::kAdmin}));
    admin2_ = Login("admin2", a_->AddUser("admin2", {R::kAdmin}));
    fes_ = Login("fes", a_->AddUser("fes", {R::kRegionalCoordinator}, "MA-03"));
  }

  Headers Login(const std::string& user, const std::string& password) {
    auto token = BearerToken(*ca_, user, password);
    EXPECT_TRUE(token) << user;
    return Bearer(token.value_or(""));
  }

  // Files on server B and approves there.
  void Change(const std::string& kind, const Json& payload) {
    auto r = cb_->PostJson("/api/v1/change-requests", Json{{"kind", kind}, {"payload", payload}}.dump(), admin_);
    ASSERT_EQ(r.status, 201) << r.body;
    const auto id = r.Json().value("id", std::int64_t{0});
    auto ok = cb_->PostJson("/api/v1/change-requests/" + std::to_string(id) + "/approve", "{}", admin2_);
    ASSERT_EQ(ok.status, 200) << ok.body;
  }

  Json SearchOnA(const std::string& cin, const Headers& who) {
    auto r = ca_->Get("/api/v1/persons?national_id=" + cin, who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }

  std::unique_ptr<TestServer> a_, b_;
  std::unique_ptr<HttpClient> ca_, cb_;
  Headers admin_, admin2_, fes_;
};

TEST_F(SearchPageCache, AChangeOnAnotherServerIsInTheNextAnswer) {
  Change("create_household", {{"household", {{"commune_code", kFes}, {"urban", true}}},
                              {"members",
                               {{{"relationship", "head"},
                                 {"given_name_ar", "فاطمة"},
                                 {"family_name_ar", "الإدريسي"},
                                 {"sex", "F"},
                                 {"birth_date", "1975"},
                                 {"national_id", "CD102030"},
                                 {"phone", "0611111111"}}}}});
  auto first = SearchOnA("CD102030", fes_);
  ASSERT_EQ(first["items"].size(), 1U) << first;
  const auto person = first["items"][0]["id"].get<std::int64_t>();
  const auto household = first["items"][0]["household_id"].get<std::int64_t>();
  EXPECT_EQ(first["items"][0]["phone"], "+212611111111");
  EXPECT_EQ(first["items"][0]["commune_code"], kFes);

  // Unchanged: written from A's copy.
  const auto hits = Metric(ca_->Get("/metrics").body, "sanad_person_json_cache_hits_total");
  auto again = SearchOnA("CD102030", fes_);
  EXPECT_EQ(again, first);
  EXPECT_EQ(Metric(ca_->Get("/metrics").body, "sanad_person_json_cache_hits_total"), hits + 1);

  // A field changed on B: A's very next answer has it, with the new version.
  Change("update_person", {{"person_id", person}, {"changes", {{"phone", "0622222222"}}}});
  auto changed = SearchOnA("CD102030", fes_);
  ASSERT_EQ(changed["items"].size(), 1U) << changed;
  EXPECT_EQ(changed["items"][0]["phone"], "+212622222222");
  EXPECT_EQ(changed["items"][0]["version"], first["items"][0]["version"].get<int>() + 1);

  // The household moved to Casablanca on B: the Fès coordinator no longer sees the person on A, though
  // A keeps a copy; the national administrator sees where the person lives now.
  Change("update_household", {{"household_id", household}, {"changes", {{"commune_code", kCasablanca}}}});
  EXPECT_EQ(SearchOnA("CD102030", fes_)["items"].size(), 0U);
  auto national = SearchOnA("CD102030", admin_);
  ASSERT_EQ(national["items"].size(), 1U) << national;
  EXPECT_EQ(national["items"][0]["commune_code"], kCasablanca);
  EXPECT_EQ(national["items"][0]["phone"], "+212622222222");
}

}  // namespace
}  // namespace sanad::testing
