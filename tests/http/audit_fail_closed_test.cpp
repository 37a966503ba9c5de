// Reads of personal data fail closed: when the audit entry of a read cannot be written, the caller
// gets 503 and none of the data. The audit table is made unwritable by a trigger that raises, on
// SQLite and on PostgreSQL (SANAD_TEST_DB). Also: name searches record the ids they returned, and
// listing change requests (which carry names) is audited.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

TEST(AuditFailsClosed, PersonalDataIsNotReturnedWhenItsReadCannotBeAudited) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  const std::string agent_pw = server.AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03.231");
  const std::string coord_pw = server.AddUser("coord.fes", {auth::Role::kRegionalCoordinator}, "MA-03");
  const std::string partner_pw = server.AddUser("cnss", {auth::Role::kPartnerSystem});
  auto c = server.Client();
  auto agent = BearerToken(c, "agent.fes", agent_pw);
  auto coord = BearerToken(c, "coord.fes", coord_pw);
  auto partner = BearerToken(c, "cnss", partner_pw);
  ASSERT_TRUE(agent && coord && partner);

  const Json household = Json::parse(R"({"kind": "create_household", "payload": {
      "household": {"commune_code": "MA-03.231.01.03", "urban": true, "address": "12 Derb Lamtiyine"},
      "members": [
        {"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "given_name_lat": "Mohamed",
         "family_name_lat": "Benali", "sex": "M", "birth_date": "1970-03-02"},
        {"relationship": "spouse", "given_name_ar": "فاطمة", "family_name_ar": "العلوي", "sex": "F", "birth_date": "1975"}]}})");
  auto filed = c.PostJson("/api/v1/change-requests", household.dump(), Bearer(*agent));
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::string cr = std::to_string(filed.Json()["id"].get<std::int64_t>());
  // A second request stays pending (the listing below filters on it).
  Json pending = household;
  pending["payload"]["members"].erase(1);
  ASSERT_EQ(c.PostJson("/api/v1/change-requests", pending.dump(), Bearer(*agent)).status, 201);
  ASSERT_EQ(c.PostJson("/api/v1/change-requests/" + cr + "/approve", "{}", Bearer(*coord)).status, 200);

  auto found = c.Get("/api/v1/persons?q=Mohamed%20Benali", Bearer(*coord));
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_GE(found.Json()["items"].size(), 1u);
  const std::int64_t person = found.Json()["items"][0]["id"].get<std::int64_t>();
  const std::string hh = std::to_string(found.Json()["items"][0]["household_id"].get<std::int64_t>());
  const std::string pid = std::to_string(person);
  const std::string record_ref = found.Json()["items"][0]["record_id"].get<std::string>();

  const Json dci =
      Json::parse(R"({"header": {"version": "1.0.0", "message_id": "m1", "message_ts": "2026-12-04T10:00:00Z",
      "action": "search", "sender_id": "cnss", "total_count": 1},
      "message": {"transaction_id": "t1", "search_request": [{"reference_id": "r1", "timestamp": "2026-12-04T10:00:00Z",
        "search_criteria": {"reg_type": "ns:org:RegistryType:Social", "query_type": "idtype-value",
                            "query": {"type": "record_id", "value": ")" +
                  record_ref + R"("}}}]}})");

  struct Read {
    std::string what;
    std::function<HttpResponse()> send;
    std::string secret;  // what the response carries when it is served
  };
  const std::vector<Read> reads = {
      {"name search", [&] { return c.Get("/api/v1/persons?q=Mohamed%20Benali", Bearer(*coord)); }, "Benali"},
      {"person list", [&] { return c.Get("/api/v1/persons", Bearer(*coord)); }, "Benali"},
      {"person", [&] { return c.Get("/api/v1/persons/" + pid, Bearer(*coord)); }, "Benali"},
      {"person benefits", [&] { return c.Get("/api/v1/persons/" + pid + "/benefits", Bearer(*coord)); }, "\"items\""},
      {"household list", [&] { return c.Get("/api/v1/households", Bearer(*coord)); }, "Derb Lamtiyine"},
      {"household", [&] { return c.Get("/api/v1/households/" + hh, Bearer(*coord)); }, "Benali"},
      {"household as of", [&] { return c.Get("/api/v1/households/" + hh + "?as_of=2099-01-01", Bearer(*coord)); },
       "Benali"},
      {"household history", [&] { return c.Get("/api/v1/households/" + hh + "/history", Bearer(*coord)); },
       "create_household"},
      {"household benefits", [&] { return c.Get("/api/v1/households/" + hh + "/benefits", Bearer(*coord)); },
       "\"items\""},
      {"household score", [&] { return c.Get("/api/v1/households/" + hh + "/score", Bearer(*coord)); }, "\"history\""},
      {"change-request list", [&] { return c.Get("/api/v1/change-requests", Bearer(*coord)); }, "بن علي"},
      {"change request", [&] { return c.Get("/api/v1/change-requests/" + cr, Bearer(*coord)); }, "Benali"},
      {"export", [&] { return c.Get("/api/v1/exports/persons", Bearer(*coord)); }, "Benali"},
      {"DCI search", [&] { return c.PostJson("/dci/registry/sync/search", dci.dump(), Bearer(*partner)); }, "Benali"},
  };
  for (const auto& r : reads) {
    auto ok = r.send();
    EXPECT_EQ(ok.status, 200) << r.what << ": " << ok.body;
    EXPECT_NE(ok.body.find(r.secret), std::string::npos)
        << r.what << " serves its data while the audit works: " << ok.body;
  }

  MakeAuditUnwritable(*server.platform().db, true);
  for (const auto& r : reads) {
    auto refused = r.send();
    EXPECT_EQ(refused.status, 503) << r.what << ": " << refused.body;
    EXPECT_EQ(refused.body.find(r.secret), std::string::npos) << r.what << " leaked data without an audit entry";
    EXPECT_EQ(refused.body.find("no space left"), std::string::npos) << "the database error stays in the server log";
  }
  MakeAuditUnwritable(*server.platform().db, false);

  // The name search records which persons it returned; the change-request listing is audited.
  ASSERT_EQ(c.Get("/api/v1/persons?q=Mohamed%20Benali", Bearer(*coord)).status, 200);
  ASSERT_EQ(c.Get("/api/v1/change-requests?status=pending", Bearer(*coord)).status, 200);
  audit::AuditQuery q;
  q.action = "search";
  q.record_type = "person";
  q.limit = 1;
  auto searches = server.platform().audit->Query(q);
  ASSERT_TRUE(searches && searches->items.size() == 1u);
  auto details = Json::parse(searches->items[0].details);
  ASSERT_TRUE(details.contains("ids")) << searches->items[0].details;
  EXPECT_NE(std::find(details["ids"].begin(), details["ids"].end(), Json(person)), details["ids"].end())
      << details.dump();
  q.record_type = "change_request";
  auto listings = server.platform().audit->Query(q);
  ASSERT_TRUE(listings && listings->items.size() == 1u) << "listing change requests is audited";
  EXPECT_EQ(Json::parse(listings->items[0].details)["ids"].size(), 1u) << listings->items[0].details;
  auto chain = server.platform().audit->Verify();
  ASSERT_TRUE(chain);
  EXPECT_FALSE(chain->first_broken_id) << chain->reason;
}

}  // namespace
}  // namespace sanad::testing
