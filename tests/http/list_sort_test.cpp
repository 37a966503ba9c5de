// The administrative lists sort on the server over the whole list, on SQLite and PostgreSQL: accounts,
// the audit log and the deduplication review queue take `sort` (a key of the store's allow-list, "-"
// first for descending) with `limit`/`offset`, and refuse any other value naming the field `sort`.
#include <gtest/gtest.h>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

void ExpectSortRefused(const HttpClient& c, const std::string& path, const Headers& who) {
  auto r = c.Get(path, who);
  EXPECT_EQ(r.status, 400) << path << ": " << r.body;
  EXPECT_EQ(r.Json()["error"]["reason"], "query.not_one_of") << r.body;
  EXPECT_EQ(r.Json()["error"]["field"], "sort") << r.body;
}

// The `key` of every item of a list page.
std::vector<std::string> Column(const HttpResponse& r, const std::string& key) {
  std::vector<std::string> out;
  const Json body = r.Json();
  for (const auto& item : body["items"]) out.push_back(item[key].is_string() ? item[key].get<std::string>() : "");
  return out;
}

TEST(ListSortOverHttp, AccountsAuditAndDuplicatesSortTheWholeListAndRefuseUnknownKeys) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  const std::string admin_pw = server.AddUser("admin", {auth::Role::kAdmin});
  const std::string zahra_pw = server.AddUser("zahra.fes", {auth::Role::kDataEntry}, "MA-03");
  server.AddUser("mourad.casa", {auth::Role::kDataEntry}, "MA-06");
  server.AddUser("amine", {auth::Role::kNationalAnalyst});
  auto c = server.Client();
  auto admin = BearerToken(c, "admin", admin_pw);
  auto zahra = BearerToken(c, "zahra.fes", zahra_pw);
  ASSERT_TRUE(admin && zahra);
  const Headers who = Bearer(*admin);

  // Accounts: one-row pages, so the order must be the whole list's and not one page's.
  auto first_user = [&](const std::string& sort, int offset = 0) {
    auto r = c.Get("/api/v1/users?limit=1&offset=" + std::to_string(offset) + "&sort=" + sort, who);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json()["total"], 4) << r.body;
    return r.Json()["items"][0]["username"].get<std::string>();
  };
  EXPECT_EQ(first_user("username"), "admin");
  EXPECT_EQ(first_user("-username"), "zahra.fes");
  EXPECT_EQ(first_user("-username", 1), "mourad.casa");
  EXPECT_EQ(first_user("-area"), "mourad.casa");   // MA-06
  EXPECT_EQ(first_user("-area", 1), "zahra.fes");  // MA-03, then the national accounts
  EXPECT_EQ(first_user("area"), "admin");          // national first, ties by id
  EXPECT_EQ(first_user("-created_at"), first_user("-created_at"));
  ExpectSortRefused(c, "/api/v1/users?sort=password_hash", who);
  ExpectSortRefused(c, "/api/v1/users?sort=username%20DESC", who);

  // The audit log: sign-ins and list views are entries; any column orders the whole log.
  ASSERT_EQ(c.Get("/api/v1/users", Bearer(*zahra)).status, 403);
  auto audit = [&](const std::string& sort) {
    auto r = c.Get("/api/v1/audit?limit=200&sort=" + sort, who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r;
  };
  for (int i = 0; i < 2; ++i) c.Get("/api/v1/audit", who);  // each view of the log is an entry too
  auto by_user = Column(audit("username"), "username");
  ASSERT_GT(by_user.size(), 3u);
  EXPECT_TRUE(std::is_sorted(by_user.begin(), by_user.end())) << audit("username").body;
  auto by_user_desc = Column(audit("-username"), "username");
  EXPECT_TRUE(std::is_sorted(by_user_desc.rbegin(), by_user_desc.rend()));
  EXPECT_EQ(by_user_desc.front(), "zahra.fes");
  auto by_action = Column(audit("-action"), "action");
  EXPECT_TRUE(std::is_sorted(by_action.rbegin(), by_action.rend()));
  EXPECT_NE(by_action.front(), by_action.back());
  auto first_at = Column(audit("at"), "at"), last_at = Column(audit("-at"), "at");
  EXPECT_TRUE(std::is_sorted(first_at.begin(), first_at.end()));
  EXPECT_TRUE(std::is_sorted(last_at.rbegin(), last_at.rend()));
  auto page2 = c.Get("/api/v1/audit?limit=1&offset=1&sort=-username", who);
  EXPECT_EQ(Column(page2, "username"), std::vector<std::string>{by_user_desc[1]}) << page2.body;
  ExpectSortRefused(c, "/api/v1/audit?sort=ip", who);
  ExpectSortRefused(c, "/api/v1/audit?sort=at%3BDROP%20TABLE%20users", who);

  // The review queue takes the same kind of sort (its order is tested with real pairs in dedup_test).
  for (const char* sort : {"score", "-score", "created_at", "-created_at"}) {
    auto r = c.Get(std::string("/api/v1/linkage/candidates?status=all&limit=10&sort=") + sort, who);
    EXPECT_EQ(r.status, 200) << sort << ": " << r.body;
  }
  ExpectSortRefused(c, "/api/v1/linkage/candidates?sort=weight", who);
}

}  // namespace
}  // namespace sanad::testing
