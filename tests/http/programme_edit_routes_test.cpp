// Programmes edited over HTTP, on SQLite and on PostgreSQL (SANAD_TEST_DB selects): an analyst reads
// ASD's template, saves a change, the simulator uses it, a stale save gets 409, an invalid programme
// 422 with each problem's path, line and column, a copy under a new code is created, every save is in the
// audit log and the history; the rule checker answers as the editor types. Who may do it: administrators
// and national analysts, nobody else.
#include <gtest/gtest.h>

#include <set>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

class ProgrammesOverHttp : public ::testing::Test {
 protected:
  static TestServerOptions Options() {
    TestServerOptions o;
    o.db_url = FreshDatabaseUrl(BackendFromEnv());
    return o;
  }
  void SetUp() override {
    const std::string analyst_pw = server_.AddUser("analyst", {auth::Role::kNationalAnalyst});
    const std::string worker_pw = server_.AddUser("worker", {auth::Role::kSocialWorker}, "MA-03.231");
    const std::string auditor_pw = server_.AddUser("auditor", {auth::Role::kAuditor});
    analyst_ = Bearer(*BearerToken(c_, "analyst", analyst_pw));
    worker_ = Bearer(*BearerToken(c_, "worker", worker_pw));
    auditor_ = Bearer(*BearerToken(c_, "auditor", auditor_pw));
  }
  HttpResponse Put(const std::string& code, const Json& body, Headers h) {
    h.emplace_back("Content-Type", "application/json");
    return c_.Request("PUT", "/api/v1/programs/" + code, body.dump(), h);
  }
  Json Simulate(const Json& household) {
    return c_.PostJson("/api/v1/programs/ASD/simulate", Json{{"period", "2026-03"}, {"household", household}}.dump())
        .Json();
  }

  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
  Headers analyst_, worker_, auditor_;
};

// A definition as GET answers it, less the members a save does not take.
Json Editable(Json j) {
  for (const char* k : {"builtin", "updated_at", "updated_by"}) j.erase(k);
  return j;
}

const Json kFlatHousehold = {{"country", "MA"},
                             {"socio_economic_index", 9.1},
                             {"receives_family_allowance", false},
                             {"members", {{{"relationship", "head"}, {"sex", "M"}, {"birth_date", "1960-01-01"}}}}};

TEST_F(ProgrammesOverHttp, AnAnalystChangesAsdAndTheSimulatorUsesIt) {
  auto got = c_.Get("/api/v1/programs/ASD", analyst_);
  ASSERT_EQ(got.status, 200) << got.body;
  Json asd = got.Json();
  EXPECT_EQ(asd["version"], 0);
  EXPECT_TRUE(asd["builtin"]);
  EXPECT_EQ(Simulate(kFlatHousehold)["monthly_amount"], 500);

  // The 2026 flat amount raised to 550 DH.
  Json change = Editable(asd);
  change["parameter_sets"].back()["params"]["asd.flat"] = 550;
  change["budget_minor"] = 2'500'000'000'000;
  auto saved = Put("ASD", change, analyst_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.Json()["version"], 1);
  EXPECT_EQ(saved.Json()["updated_by"], "analyst");
  EXPECT_EQ(Simulate(kFlatHousehold)["monthly_amount"], 550);

  // The list (public, as before) shows the saved version and its budget.
  auto list = c_.Get("/api/v1/programs").Json();
  EXPECT_EQ(list["items"][0]["code"], "ASD");
  EXPECT_EQ(list["items"][0]["version"], 1);
  EXPECT_EQ(list["items"][0]["budget_minor"], 2'500'000'000'000);

  // A colleague who loaded version 0 saves over it: 409, naming the current version.
  auto stale = Put("ASD", Editable(asd), analyst_);
  ASSERT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.Json()["error"]["reason"], "program.stale_version");
  EXPECT_EQ(stale.Json()["error"]["params"]["current"], "1");

  // The history and the audit log keep the save.
  auto history = c_.Get("/api/v1/programs/ASD/history", analyst_).Json();
  ASSERT_EQ(history["items"].size(), 1U) << history;
  EXPECT_EQ(history["items"][0]["saved_by"], "analyst");
  EXPECT_EQ(history["items"][0]["definition"]["parameter_sets"].back()["params"]["asd.flat"], 550);
  auto audit = c_.Get("/api/v1/audit?record_type=programme&record_id=ASD", auditor_).Json();
  ASSERT_EQ(audit["items"].size(), 1U) << audit;
  EXPECT_EQ(audit["items"][0]["action"], "update");
  EXPECT_EQ(audit["items"][0]["username"], "analyst");
}

TEST_F(ProgrammesOverHttp, AnInvalidProgrammeIsRefusedWithEachProblemsPathLineAndColumn) {
  Json asd = Editable(c_.Get("/api/v1/programs/ASD", analyst_).Json());
  asd["eligibility"][1]["rule"] = "!receives_family_allowance &&\n  socio_economic_index <= ";
  asd["parameter_sets"][1]["params"]["asd.floor"] = 500.5;
  Headers fr = analyst_;
  fr.emplace_back("Accept-Language", "fr");
  auto r = Put("ASD", asd, fr);
  ASSERT_EQ(r.status, 422) << r.body;
  const Json error = r.Json()["error"];
  EXPECT_EQ(error["reason"], "program.invalid");
  std::vector<std::string> fields;
  for (const auto& p : error["problems"]) fields.push_back(p["field"]);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"parameter_sets[1].params.asd.floor", "eligibility[1].rule", "lines[3].rule"}));
  EXPECT_EQ(error["problems"][1]["params"]["line"], "2");
  EXPECT_EQ(error["problems"][1]["params"]["column"], "27");
  EXPECT_NE(error["problems"][1]["message"].get<std::string>().find("Ligne 2, colonne 27"), std::string::npos)
      << error["problems"][1];
  EXPECT_EQ(error["problems"][2]["params"]["set"], "2024-09-01");
  // Nothing was saved.
  EXPECT_EQ(c_.Get("/api/v1/programs/ASD", analyst_).Json()["version"], 0);

  // A malformed definition: 400 naming the member.
  asd["kind"] = "loan";
  auto bad = Put("ASD", asd, analyst_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()["error"]["field"], "kind");
  // A body whose code is not the path's.
  asd["kind"] = "cash";
  asd["code"] = "AFS";
  EXPECT_EQ(Put("ASD", asd, analyst_).Json()["error"]["reason"], "program.code_mismatch");
}

TEST_F(ProgrammesOverHttp, ACopyOfATemplateUnderANewCodeIsCreatedAndListed) {
  Json copy = Editable(c_.Get("/api/v1/programs/AFS", analyst_).Json());
  copy.erase("version");
  copy["code"] = "AFS_PILOT";
  copy["name_fr"] = "AFS — pilote";
  copy["incompatible"] = {"AFS"};
  copy.erase("public");  // not decided (the template's says true): a new programme is not offered
  auto created = c_.PostJson("/api/v1/programs", copy.dump(), analyst_);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["version"], 1);
  EXPECT_FALSE(created.Json()["builtin"]);
  EXPECT_EQ(c_.PostJson("/api/v1/programs", copy.dump(), analyst_).status, 409);
  // Not offered to citizens until decided: the public list and simulator do not know it; staff see it.
  auto list = c_.Get("/api/v1/programs").Json();
  ASSERT_EQ(list["items"].size(), 4U);
  const Json afs_household{{"country", "DZ"}, {"members", {{{"relationship", "head"}, {"sex", "F"}}}}};
  const Json afs_body{{"period", "2026-03"}, {"household", afs_household}};
  EXPECT_EQ(c_.PostJson("/api/v1/programs/AFS_PILOT/simulate", afs_body.dump()).status, 404);
  EXPECT_EQ(c_.PostJson("/api/v1/programs/AFS_PILOT/simulate", afs_body.dump(), analyst_).status, 200);
  list = c_.Get("/api/v1/programs", worker_).Json();
  ASSERT_EQ(list["items"].size(), 5U);
  EXPECT_EQ(list["items"][4]["code"], "AFS_PILOT");
  EXPECT_EQ(list["items"][4]["public"], false);
  // A credential that is no longer valid on a public route is a citizen's: the public list, not a 401.
  EXPECT_EQ(c_.Get("/api/v1/programs", Bearer("not-a-token")).Json()["items"].size(), 4U);
  // Offered once decided.
  copy["public"] = true;
  copy["version"] = 1;
  auto published = Put("AFS_PILOT", copy, analyst_);
  ASSERT_EQ(published.status, 200) << published.body;
  list = c_.Get("/api/v1/programs").Json();
  ASSERT_EQ(list["items"].size(), 5U);
  EXPECT_EQ(list["items"][4]["public"], true);
  EXPECT_EQ(c_.PostJson("/api/v1/programs/AFS_PILOT/simulate", afs_body.dump()).status, 200);
  auto audit = c_.Get("/api/v1/audit?record_type=programme&record_id=AFS_PILOT", auditor_).Json();
  ASSERT_EQ(audit["items"].size(), 2U);  // its creation and the save that offered it
  std::set<std::string> actions{audit["items"][0]["action"], audit["items"][1]["action"]};
  EXPECT_EQ(actions, (std::set<std::string>{"create", "update"}));
}

TEST_F(ProgrammesOverHttp, OnlyAdministratorsAndNationalAnalystsEditProgrammes) {
  EXPECT_EQ(c_.Get("/api/v1/programs/ASD").status, 401);
  EXPECT_EQ(c_.Get("/api/v1/programs/ASD", worker_).status, 403);
  EXPECT_EQ(c_.PostJson("/api/v1/programs", "{}", worker_).status, 403);
  EXPECT_EQ(c_.PostJson("/api/v1/rules/validate", R"({"rule":"1","type":"int"})", worker_).status, 403);
  EXPECT_EQ(c_.Get("/api/v1/programs/NOPE", analyst_).status, 404);
}

TEST_F(ProgrammesOverHttp, TheRuleCheckerGivesEachErrorsPositionInTheReadersLanguage) {
  auto check = [&](const Json& body, const std::string& lang = "en") {
    Headers h = analyst_;
    h.emplace_back("Accept-Language", lang);
    return c_.PostJson("/api/v1/rules/validate", body.dump(), h);
  };
  auto ok = check(
      {{"rule", R"(socio_economic_index <= param("asd.index_threshold"))"}, {"type", "bool"}, {"programme", "ASD"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json(), (Json{{"ok", true}, {"errors", Json::array()}}));

  auto broken = check({{"rule", "members.count(m,\n  m.age < 21)"}, {"type", "int"}}, "ar");
  ASSERT_EQ(broken.status, 200) << broken.body;
  const Json e = broken.Json()["errors"][0];
  EXPECT_FALSE(broken.Json()["ok"]);
  EXPECT_EQ(e["reason"], "rule.unknown_field");
  EXPECT_EQ(e["line"], 2);
  EXPECT_EQ(e["column"], 3);  // the member access m.age
  EXPECT_NE(e["message"].get<std::string>().find("السطر"), std::string::npos) << e;

  // The wrong result type says what was expected.
  auto typed = check({{"rule", "1 + 2"}, {"type", "bool"}}).Json()["errors"][0];
  EXPECT_EQ(typed["reason"], "rule.result_type");
  EXPECT_EQ(typed["expected"], "bool");

  // The editor's unsaved parameter sets: a parameter missing from one of them names its date.
  auto sets = check({{"rule", R"(param("x.floor") > 0)"},
                     {"type", "bool"},
                     {"parameter_sets",
                      {{{"from", "2025-01-01"}, {"params", {{"x.floor", 1}}}},
                       {{"from", "2026-01-01"}, {"params", Json::object()}}}}})
                  .Json();
  ASSERT_EQ(sets["errors"].size(), 1U) << sets;
  EXPECT_EQ(sets["errors"][0]["reason"], "program.param_missing_in_set");
  EXPECT_EQ(sets["errors"][0]["set"], "2026-01-01");
  EXPECT_EQ(sets["errors"][0]["column"], 1);

  // Bad requests are refused naming the field.
  EXPECT_EQ(check({{"rule", "1"}, {"type", "text"}}).Json()["error"]["field"], "type");
  EXPECT_EQ(check({{"rule", std::string(20'000, '1')}, {"type", "int"}}).status, 400);
  EXPECT_EQ(check({{"rule", "1"}, {"type", "int"}, {"programme", "NOPE"}}).status, 404);
}

}  // namespace
}  // namespace sanad::testing
