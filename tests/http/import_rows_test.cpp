// Households with their members imported over HTTP and reviewed row by row, on SQLite and PostgreSQL
// (SANAD_TEST_DB): one file becomes one request; its reviewer pages through the staged rows with the
// count per commune and each row's warnings; a caller outside the request's area gets the 404 of the
// request itself; the read is audited and refused when it cannot be; a household's pending requests
// include the imports that add members to it.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "registry/import_columns.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

const std::string kHeader =
    "household_ref,commune_code,urban,address,record_id,relationship,given_name_ar,family_name_ar,sex,birth_date,"
    "national_id\n";

class ImportRowsOverHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    server_ = std::make_unique<TestServer>(options);
    const std::string agent_pw = server_->AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03.231");
    const std::string coord_pw = server_->AddUser("coord.fes", {auth::Role::kRegionalCoordinator}, "MA-03");
    const std::string casa_pw = server_->AddUser("coord.casa", {auth::Role::kRegionalCoordinator}, "MA-06");
    auto c = server_->Client();
    agent_ = *BearerToken(c, "agent.fes", agent_pw);
    coord_ = *BearerToken(c, "coord.fes", coord_pw);
    casa_ = *BearerToken(c, "coord.casa", casa_pw);
  }

  HttpResponse Upload(const std::string& path, const std::string& body, const std::string& type = "text/csv") {
    return server_->Client().Request("POST", path, body,
                                     {{"Content-Type", type}, {"Authorization", "Bearer " + agent_}});
  }

  std::unique_ptr<TestServer> server_;
  std::string agent_, coord_, casa_;
};

TEST_F(ImportRowsOverHttp, TheReviewerPagesThroughTheRowsOfOneRequestPerFile) {
  auto c = server_->Client();
  const std::string file = kHeader +
                           "F-1,MA-03.231.01.03,1,12 Derb Sidi Ali,F-1-1,head,محمد,العلوي,M,1970-03-02,AB123456\n"
                           "F-1,MA-03.231.01.03,1,12 Derb Sidi Ali,F-1-2,spouse,فاطمة,بناني,F,1975,AB123456\n"
                           "F-1,,,,F-1-3,child,يوسف,العلوي,M,2010-09-01,\n"
                           "F-2,MA-03.231.01.15,0,Douar Tazi,F-2-1,head,أحمد,التازي,M,1980,CD654321\n"
                           "F-2,MA-03.231.01.15,0,Douar Tazi,F-2-2,child,سعاد,التازي,F,2012,\n";
  auto filed = Upload("/api/v1/imports/households-with-members?file_name=both.csv", file);
  ASSERT_EQ(filed.status, 201) << filed.body;
  const Json cr = filed.Json()["change_request"];
  EXPECT_EQ(cr["kind"], "import_households_with_members");
  EXPECT_EQ(cr["item_count"], 5);
  const std::string rows = fmt::format("/api/v1/change-requests/{}/rows", cr["id"].get<std::int64_t>());

  auto first = c.Get(rows + "?limit=2", Bearer(coord_));
  ASSERT_EQ(first.status, 200) << first.body;
  Json page = first.Json();
  EXPECT_EQ(page["total"], 5);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["row"], 1);
  EXPECT_EQ(page["items"][0]["household_ref"], "F-1");
  EXPECT_EQ(page["items"][0]["household"]["address"], "12 Derb Sidi Ali");
  EXPECT_EQ(page["items"][0]["person"]["given_name_ar"], "محمد");
  EXPECT_EQ(page["communes"], Json::parse(R"([{"commune_code": "MA-03.231.01.03", "rows": 3, "households": 1},
                                               {"commune_code": "MA-03.231.01.15", "rows": 2, "households": 1}])"));
  // The national ID given to two rows of the file is flagged on both.
  ASSERT_EQ(page["items"][1]["warnings"].size(), 1u) << page.dump();
  EXPECT_EQ(page["items"][1]["warnings"][0]["reason"], "import.national_id_repeated");
  EXPECT_EQ(page["items"][1]["warnings"][0]["params"]["row"], "1");
  EXPECT_FALSE(page["items"][1]["warnings"][0]["message"].get<std::string>().empty());
  auto last = c.Get(rows + "?limit=2&offset=4", Bearer(coord_)).Json();
  ASSERT_EQ(last["items"].size(), 1u);
  EXPECT_EQ(last["items"][0]["person"]["record_id"], nullptr) << "registry references come on approval";
  EXPECT_EQ(last["items"][0]["household"]["commune_code"], "MA-03.231.01.15");
  EXPECT_EQ(c.Get(rows + "?limit=201", Bearer(coord_)).status, 400) << "the page is bounded";
  EXPECT_EQ(c.Get(rows + "?sort=name", Bearer(coord_)).status, 400);

  // Outside the request's area: the same answer as for the request itself.
  auto hidden = c.Get(rows, Bearer(casa_));
  auto hidden_cr = c.Get(fmt::format("/api/v1/change-requests/{}", cr["id"].get<std::int64_t>()), Bearer(casa_));
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.Json()["error"]["code"], hidden_cr.Json()["error"]["code"]);
  EXPECT_EQ(hidden.Json()["error"]["message"], hidden_cr.Json()["error"]["message"]);
  EXPECT_EQ(hidden.body.find("F-1"), std::string::npos);
  EXPECT_EQ(c.Get("/api/v1/change-requests/999999/rows", Bearer(coord_)).status, 404);

  // Audited, and refused without its audit line.
  audit::AuditQuery q;
  q.record_type = "change_request_rows";
  auto audited = server_->platform().audit->Query(q);
  ASSERT_TRUE(audited);
  EXPECT_EQ(audited->items.size(), 2u) << "the two pages read (not the refused ones)";
  MakeAuditUnwritable(*server_->platform().db, true);
  auto refused = c.Get(rows, Bearer(coord_));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.body.find("Derb Sidi Ali"), std::string::npos);
  MakeAuditUnwritable(*server_->platform().db, false);

  // Two rows share a national ID: the reviewer is told, and approval needs the explicit decision.
  const std::string approve = fmt::format("/api/v1/change-requests/{}/approve", cr["id"].get<std::int64_t>());
  auto review = c.Get(fmt::format("/api/v1/change-requests/{}", cr["id"].get<std::int64_t>()), Bearer(coord_)).Json();
  ASSERT_EQ(review["warnings"].size(), 1u) << review.dump();
  EXPECT_EQ(review["warnings"][0]["reason"], "import.national_ids_repeated");
  auto undecided = c.PostJson(approve, "{}", Bearer(coord_));
  EXPECT_EQ(undecided.status, 422) << undecided.body;
  EXPECT_EQ(undecided.Json()["error"]["reason"], "import.national_ids_repeated");
  EXPECT_EQ(undecided.Json()["error"]["field"], "national_id_decision");

  // Approved: every household with its members and one head; no staged row is left.
  auto approved = c.PostJson(
      approve, R"({"national_id_decision":"not_same_person","comment":"spouses share a card number by error"})",
      Bearer(coord_));
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto households = c.Get("/api/v1/households?limit=10", Bearer(coord_));
  ASSERT_EQ(households.status, 200) << households.body;
  EXPECT_EQ(households.Json()["total"], 2);
  EXPECT_EQ(c.Get(rows, Bearer(coord_)).Json()["total"], 0);
}

TEST_F(ImportRowsOverHttp, WarningsComeFromTheRegistryAndTheHouseholdListsThePendingImports) {
  auto c = server_->Client();
  auto filed =
      Upload("/api/v1/imports/households-with-members",
             kHeader + "F-1,MA-03.231.01.03,1,12 Derb Sidi Ali,F-1-1,head,محمد,العلوي,M,1970-03-02,AB123456\n");
  ASSERT_EQ(filed.status, 201) << filed.body;
  ASSERT_EQ(c.PostJson(fmt::format("/api/v1/change-requests/{}/approve",
                                   filed.Json()["change_request"]["id"].get<std::int64_t>()),
                       "{}", Bearer(coord_))
                .status,
            200);
  auto found = c.Get("/api/v1/persons?national_id=AB123456", Bearer(coord_)).Json();
  ASSERT_EQ(found["items"].size(), 1u);
  const std::int64_t household = found["items"][0]["household_id"].get<std::int64_t>();

  // A persons file that adds a member to F-1 with the head's national ID.
  auto persons = Upload("/api/v1/imports/persons",
                        "record_id,household_ref,relationship,given_name_ar,family_name_ar,sex,birth_date,national_id\n"
                        "F-1-9,F-1,child,ليلى,العلوي,F,2015,AB123456\n");
  ASSERT_EQ(persons.status, 201) << persons.body;
  const std::int64_t id = persons.Json()["change_request"]["id"].get<std::int64_t>();
  auto page = c.Get(fmt::format("/api/v1/change-requests/{}/rows", id), Bearer(coord_));
  ASSERT_EQ(page.status, 200) << page.body;
  const Json item = page.Json()["items"][0];
  EXPECT_EQ(item["commune_code"], "MA-03.231.01.03");
  EXPECT_FALSE(item.contains("household")) << "a persons import names existing households";
  ASSERT_EQ(item["warnings"].size(), 1u);
  EXPECT_EQ(item["warnings"][0]["reason"], "import.national_id_in_use");
  EXPECT_EQ(item["warnings"][0]["column"], "national_id");

  // The reviewer must decide: the same person (reject, then merge) or not (a documented override).
  auto undecided = c.PostJson(fmt::format("/api/v1/change-requests/{}/approve", id), "{}", Bearer(coord_));
  EXPECT_EQ(undecided.status, 422) << undecided.body;
  EXPECT_EQ(undecided.Json()["error"]["reason"], "import.national_ids_in_use");
  EXPECT_EQ(undecided.Json()["error"]["params"]["national_id"], "AB123456");

  auto pending =
      c.Get(fmt::format("/api/v1/change-requests?status=pending&household_id={}", household), Bearer(coord_));
  ASSERT_EQ(pending.status, 200) << pending.body;
  ASSERT_EQ(pending.Json()["items"].size(), 1u) << pending.body;
  EXPECT_EQ(pending.Json()["items"][0]["id"], id);

  // Another kind of request has no rows.
  const Json update{{"kind", "update_household"},
                    {"payload", {{"household_id", household}, {"changes", {{"address", "13 Derb Sidi Ali"}}}}}};
  auto other = c.PostJson("/api/v1/change-requests", update.dump(), Bearer(agent_));
  ASSERT_EQ(other.status, 201) << other.body;
  auto none =
      c.Get(fmt::format("/api/v1/change-requests/{}/rows", other.Json()["id"].get<std::int64_t>()), Bearer(coord_));
  EXPECT_EQ(none.status, 422) << none.body;
  EXPECT_EQ(none.Json()["error"]["reason"], "change_request.not_an_import");
}

TEST_F(ImportRowsOverHttp, TheXlsxTemplateImportsAndAHeaderAloneFilesNothing) {
  auto c = server_->Client();
  const std::string xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  auto tmpl = c.Get("/api/v1/imports/template?level=both&format=xlsx", Bearer(agent_));
  ASSERT_EQ(tmpl.status, 200);
  auto filed = Upload("/api/v1/imports/households-with-members", tmpl.body, xlsx);
  ASSERT_EQ(filed.status, 201) << filed.body;
  for (const std::string level : {"households", "persons", "households-with-members"}) {
    const auto kind = level == "households" ? registry::ImportKind::kHouseholds
                      : level == "persons"  ? registry::ImportKind::kPersons
                                            : registry::ImportKind::kHouseholdsWithMembers;
    const std::string csv = registry::ImportTemplateCsv(kind);
    auto r = Upload("/api/v1/imports/" + level + "?file_name=empty.csv", csv.substr(0, csv.find('\n') + 1));
    EXPECT_EQ(r.status, 422) << level << ": " << r.body;
    EXPECT_EQ(r.Json()["report"]["errors"][0]["reason"], "import.no_rows") << level;
  }
  auto list = c.Get("/api/v1/change-requests?status=pending", Bearer(coord_));
  EXPECT_EQ(list.Json()["total"], 1) << "only the template's request was filed";
}

}  // namespace
}  // namespace sanad::testing
