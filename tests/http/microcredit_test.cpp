// Micro-credit over HTTP, on SQLite and PostgreSQL (SANAD_TEST_DB selects): the public schedule preview
// of the ANGEM products exactly as issue 12 shows it (domain.md §2.1; docs/microcredit.md), its refusals
// with a reason rendered in the reader's language; and the scenario application → committee →
// disbursement (benefit ledger) → imported repayments with a late one → arrears and PAR → closure → a
// second loan allowed, with eligibility reasons, quotas, four eyes, scope and permissions on the way.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/tracking_code.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

class MicrocreditOverHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    server_ = new TestServer(options);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer* server_;

 public:
  static db::Database& Db() { return *server_->platform().db; }
};
TestServer* MicrocreditOverHttp::server_ = nullptr;

constexpr const char* kPreview = "/api/v1/microcredit/schedule-preview";

TEST_F(MicrocreditOverHttp, PnrPreviewForFortyThousandDinarsIsPublic) {
  auto c = server_->Client();
  auto r = c.PostJson(kPreview, R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-31"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.Json();
  EXPECT_EQ(j["currency"], "DZD");
  EXPECT_EQ(j["grace_months"], 3);
  EXPECT_EQ(j["total"], 40000);
  EXPECT_EQ(j["ceiling"], 100000);
  ASSERT_EQ(j["instalments"].size(), 24u);
  EXPECT_EQ(j["instalments"][0]["n"], 1);
  EXPECT_EQ(j["instalments"][0]["due_on"], "2026-05-15");
  EXPECT_EQ(j["instalments"][0]["principal"], 1667);
  EXPECT_EQ(j["instalments"][23]["principal"], 1659);
  std::int64_t sum = 0;
  for (const auto& i : j["instalments"]) sum += i["principal_minor"].get<std::int64_t>();
  EXPECT_EQ(sum, 4'000'000);
}

TEST_F(MicrocreditOverHttp, OverTheWilayasCeilingIsRefusedWithTheReason) {
  auto c = server_->Client();
  const std::string body = R"({"product":"PNR","principal":150000,"disbursed_on":"2026-01-15","wilaya":"DZ-31"})";
  auto ar = c.PostJson(kPreview, body, Headers{{"Accept-Language", "ar"}});
  ASSERT_EQ(ar.status, 422) << ar.body;
  EXPECT_EQ(ar.Json()["error"]["reason"], "microcredit.over_ceiling");
  EXPECT_EQ(ar.Json()["error"]["field"], "principal");
  EXPECT_EQ(ar.Json()["error"]["message"], "المبلغ 150000 دج يتجاوز السقف المعمول به في الولاية DZ-31: 100000 دج.");
  auto fr = c.PostJson(kPreview, body, Headers{{"Accept-Language", "fr"}});
  EXPECT_EQ(fr.Json()["error"]["message"],
            "Le montant de 150000 DA dépasse le plafond applicable dans la wilaya DZ-31 : 100000 DA.");
  // The same amount in Ouargla, a southern wilaya (ceiling 250,000 DA): 36 months after 3 of grace.
  auto south =
      c.PostJson(kPreview, R"({"product":"PNR","principal":150000,"disbursed_on":"2026-01-15","wilaya":"DZ-30"})");
  ASSERT_EQ(south.status, 200) << south.body;
  EXPECT_EQ(south.Json()["ceiling"], 250000);
  EXPECT_EQ(south.Json()["instalments"].size(), 36u);
  EXPECT_EQ(south.Json()["total"], 150000);
}

TEST_F(MicrocreditOverHttp, TriangularPreviewHasTwoLinkedLoans) {
  auto c = server_->Client();
  auto r = c.PostJson(kPreview, R"({"product":"TRIANGULAR","principal":1000000,"disbursed_on":"2026-02-01"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.Json();
  EXPECT_EQ(j["project_cost"], 1000000);
  EXPECT_EQ(j["personal_contribution"], 10000);
  ASSERT_EQ(j["loans"].size(), 2u);
  EXPECT_EQ(j["loans"][0]["lender"], "bank");
  EXPECT_EQ(j["loans"][0]["total"], 700000);
  EXPECT_EQ(j["loans"][0]["interest_subsidy_percent"], 100);
  EXPECT_EQ(j["loans"][0]["guarantee_fund"], true);
  EXPECT_EQ(j["loans"][0]["instalments"].size(), 60u);
  EXPECT_EQ(j["loans"][1]["lender"], "ANGEM");
  EXPECT_EQ(j["loans"][1]["total"], 290000);
  EXPECT_EQ(j["total"], 1000000);
}

TEST_F(MicrocreditOverHttp, BadInputIsRefusedNamingTheField) {
  auto c = server_->Client();
  struct Case {
    const char* body;
    int status;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {R"({"product":"XYZ","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-31"})", 400,
       "microcredit.product_unknown", "product"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-99"})", 400,
       "microcredit.wilaya_invalid", "wilaya"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15"})", 400, "field.required", "wilaya"},
      {R"({"product":"PNR","disbursed_on":"2026-01-15","wilaya":"DZ-31"})", 400, "field.required", "principal"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-02-30","wilaya":"DZ-31"})", 400, "", "disbursed_on"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-31","rate":1})", 400,
       "field.unknown", "rate"},
      {R"({"product":"PNR","principal":"40000","disbursed_on":"2026-01-15","wilaya":"DZ-31"})", 400, "", "principal"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2018-01-15","wilaya":"DZ-31"})", 422,
       "microcredit.no_parameters", "disbursed_on"},
      {R"({"product":"TRIANGULAR","principal":1000001,"disbursed_on":"2026-01-15"})", 422, "microcredit.over_ceiling",
       "principal"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.body);
    auto r = c.PostJson(kPreview, k.body);
    ASSERT_EQ(r.status, k.status) << r.body;
    if (*k.reason) {
      EXPECT_EQ(r.Json()["error"]["reason"], k.reason) << r.body;
    }
    EXPECT_EQ(r.Json()["error"]["field"], k.field) << r.body;
  }
}

// A household of one adult in Bir El Djir (Oran, DZ-3103) filed and approved; returns the person's id.
std::int64_t AddPerson(HttpClient& c, const std::string& agent, const std::string& coord, const std::string& given_ar,
                       const std::string& family_ar, const std::string& given_lat, const std::string& family_lat,
                       const std::string& sex, const std::string& birth_date, const std::string& commune = "DZ-3103") {
  std::set<std::int64_t> before;
  const Json listed = c.Get("/api/v1/households?area=DZ-31&limit=200", Bearer(coord)).Json();
  for (const auto& h : listed["items"]) before.insert(h["id"].get<std::int64_t>());
  Json member{{"relationship", "head"},      {"given_name_ar", given_ar},     {"family_name_ar", family_ar},
              {"given_name_lat", given_lat}, {"family_name_lat", family_lat}, {"sex", sex},
              {"birth_date", birth_date}};
  Json cr{{"kind", "create_household"},
          {"payload", {{"household", {{"commune_code", commune}, {"urban", true}}}, {"members", {member}}}}};
  auto filed = c.PostJson("/api/v1/change-requests", cr.dump(), Bearer(agent));
  EXPECT_EQ(filed.status, 201) << filed.body;
  const std::string id = std::to_string(filed.Json()["id"].get<std::int64_t>());
  auto approved = c.PostJson("/api/v1/change-requests/" + id + "/approve", "{}", Bearer(coord));
  EXPECT_EQ(approved.status, 200) << approved.body;
  const Json after = c.Get("/api/v1/households?area=DZ-31&limit=200", Bearer(coord)).Json();
  for (const auto& h : after["items"]) {
    if (!before.contains(h["id"].get<std::int64_t>())) return h["members"][0]["id"].get<std::int64_t>();
  }
  ADD_FAILURE() << "the household was not created: " << approved.body;
  return 0;
}

Json Apply(HttpClient& c, const std::string& who, std::int64_t person, const std::string& applied_on,
           int expected = 201) {
  Json body{{"person_id", person},      {"product", "PNR"},      {"amount", 40000},
            {"applied_on", applied_on}, {"activity", "couture"}, {"training_required", true}};
  auto r = c.PostJson("/api/v1/microcredit/applications", body.dump(), Bearer(who));
  EXPECT_EQ(r.status, expected) << r.body;
  return r.Json();
}

std::vector<std::string> ReasonCodes(const Json& application) {
  std::vector<std::string> out;
  for (const auto& r : application["reasons"]) out.push_back(r["code"]);
  return out;
}

TEST_F(MicrocreditOverHttp, FromApplicationToClosureAndASecondLoan) {
  auto c = server_->Client();
  auto token = [&](const std::string& name, auth::Role role, const std::string& area) {
    const std::string pw = server_->AddUser(name, {role}, area);
    auto t = BearerToken(c, name, pw);
    EXPECT_TRUE(t) << name;
    return t.value_or("");
  };
  const std::string agent = token("mc.agent", auth::Role::kDataEntry, "DZ-31");
  const std::string coord = token("mc.coord", auth::Role::kRegionalCoordinator, "DZ-31");
  const std::string officer = token("mc.officer", auth::Role::kSocialWorker, "DZ-31");
  const std::string officer2 = token("mc.officer2", auth::Role::kSocialWorker, "DZ-31");
  const std::string member1 = token("mc.member1", auth::Role::kCommitteeMember, "DZ-31");
  const std::string member2 = token("mc.member2", auth::Role::kCommitteeMember, "DZ-31");
  const std::string algiers = token("mc.algiers", auth::Role::kSocialWorker, "DZ-16");

  const auto fatima = AddPerson(c, agent, coord, "فاطمة", "بن علي", "Fatima", "Benali", "F", "1985-03-07");
  // The same woman under a second record: another spelling, day and month swapped.
  const auto fatma = AddPerson(c, agent, coord, "فاطمة", "بن علي", "Fatma", "Ben Ali", "F", "1985-07-03");
  const auto minor = AddPerson(c, agent, coord, "ياسين", "قادري", "Yacine", "Kaddour", "M", "2010-05-01");
  const auto karim = AddPerson(c, agent, coord, "كريم", "مزيان", "Karim", "Meziane", "M", "1990-02-11");
  const auto salim = AddPerson(c, agent, coord, "سليم", "حداد", "Salim", "Haddad", "M", "1992-09-30");

  // Two projects for the commune this year.
  auto quota = c.Request("PUT", "/api/v1/microcredit/quotas", R"({"year":2026,"area_code":"DZ-3103","projects":2})",
                         {{"Authorization", "Bearer " + officer}, {"Content-Type", "application/json"}});
  ASSERT_EQ(quota.status, 200) << quota.body;
  auto outside = c.Request("PUT", "/api/v1/microcredit/quotas", R"({"year":2026,"area_code":"DZ-3103","projects":9})",
                           {{"Authorization", "Bearer " + algiers}, {"Content-Type", "application/json"}});
  EXPECT_EQ(outside.status, 404) << outside.body;

  // Eligibility with reasons: under 18 → ineligible; two eligible applications fill the quota; a third waits.
  const Json young = Apply(c, officer, minor, "2026-01-10");
  EXPECT_EQ(young["state"], "ineligible");
  EXPECT_EQ(ReasonCodes(young), std::vector<std::string>{"microcredit.reason.under_18"});
  const Json app = Apply(c, officer, fatima, "2026-01-10");
  ASSERT_EQ(app["state"], "submitted") << app;
  const std::string base = "/api/v1/microcredit/applications/" + std::to_string(app["id"].get<std::int64_t>());
  const Json karims = Apply(c, officer2, karim, "2026-01-11");
  EXPECT_EQ(karims["state"], "submitted");
  const Json waiting = Apply(c, officer, salim, "2026-01-12");
  EXPECT_EQ(waiting["state"], "waiting_quota");
  EXPECT_EQ(ReasonCodes(waiting), std::vector<std::string>{"microcredit.reason.quota_reached"});
  // Over the ceiling for Oran: refused, nothing recorded.
  Json over{
      {"person_id", karim}, {"product", "PNR"}, {"amount", 150000}, {"applied_on", "2026-01-12"}, {"activity", "x"}};
  auto refused = c.PostJson("/api/v1/microcredit/applications", over.dump(), Bearer(officer));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["reason"], "microcredit.over_ceiling");
  // Outside the officer's area the person is not found.
  Apply(c, algiers, fatima, "2026-01-10", 404);

  // Committee: members score; officers may not; the decision needs the training completed.
  EXPECT_EQ(c.PostJson(base + "/scores", R"({"score":16})", Bearer(officer)).status, 403);
  ASSERT_EQ(c.PostJson(base + "/scores", R"({"score":16,"comment":"projet solide"})", Bearer(member1)).status, 200);
  ASSERT_EQ(c.PostJson(base + "/scores", R"({"score":14})", Bearer(member2)).status, 200);
  auto early = c.PostJson(base + "/decision", R"({"decision":"approve","minutes":"PV 3/2026"})", Bearer(member1));
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(early.Json()["error"]["reason"], "microcredit.training_incomplete");
  auto trained = c.PostJson(base + "/training", R"({"sessions_attended":4,"completed":true})", Bearer(officer));
  ASSERT_EQ(trained.status, 200) << trained.body;
  auto approved = c.PostJson(base + "/decision", R"({"decision":"approve","minutes":"PV 3/2026"})", Bearer(member1));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["state"], "approved");
  EXPECT_EQ(approved.Json()["decided_by"], "mc.member1");

  // Disbursement: one ANGEM loan with its schedule, and a line in the benefit ledger.
  EXPECT_EQ(c.PostJson(base + "/disburse", R"({"disbursed_on":"2026-01-15"})", Bearer(member1)).status, 403);
  auto disbursed = c.PostJson(base + "/disburse", R"({"disbursed_on":"2026-01-15"})", Bearer(officer));
  ASSERT_EQ(disbursed.status, 201) << disbursed.body;
  const std::int64_t loan_id = disbursed.Json()["loan_ids"][0];
  const std::string loan = "/api/v1/microcredit/loans/" + std::to_string(loan_id);
  auto ledger = c.Get("/api/v1/persons/" + std::to_string(fatima) + "/benefits", Bearer(coord)).Json();
  ASSERT_EQ(ledger["items"].size(), 1u) << ledger;
  EXPECT_EQ(ledger["items"][0]["programme"], "ANGEM");
  EXPECT_EQ(ledger["items"][0]["amount_minor"], 4'000'000);
  EXPECT_EQ(c.PostJson(base + "/disburse", R"({"disbursed_on":"2026-01-15"})", Bearer(officer)).status, 422);

  // The duplicate record applies while the loan runs: found through record linkage.
  const Json dup = Apply(c, officer, fatma, "2026-02-01");
  EXPECT_EQ(dup["state"], "ineligible");
  ASSERT_EQ(ReasonCodes(dup), std::vector<std::string>{"microcredit.reason.earlier_loan"}) << dup;
  EXPECT_EQ(dup["reasons"][0]["params"]["person"], std::to_string(fatima));

  // A statement with two bad lines is refused whole, naming the lines; nothing is written.
  const Headers csv{{"Authorization", "Bearer " + officer}, {"Content-Type", "text/csv"}};
  const std::string id = std::to_string(loan_id);
  auto bad = c.Request("POST", "/api/v1/microcredit/repayments/import",
                       "loan_id,paid_on,amount,reference\n" + id +
                           ",2026-05-15,1667,CCP-1\n999999,2026-05-15,1667,CCP-2\n" + id + ",2026-06-15,12x,CCP-3\n",
                       csv);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()["error"]["reason"], "microcredit.import_refused");
  ASSERT_EQ(bad.Json()["error"]["problems"].size(), 2u) << bad.body;
  EXPECT_EQ(bad.Json()["error"]["problems"][0]["field"], "line 3, column loan_id");
  EXPECT_EQ(bad.Json()["error"]["problems"][1]["field"], "line 4, column amount");
  EXPECT_EQ(c.Get(loan, Bearer(officer)).Json()["repayments"].size(), 0u);
  // May and June on time; July's instalment paid late, on 20 August.
  auto good = c.Request("POST", "/api/v1/microcredit/repayments/import",
                        "loan_id,paid_on,amount,reference\n" + id + ",2026-05-15,1667,CCP-1\n" + id +
                            ",2026-06-14,1667.00,CCP-2\n" + id + ",2026-08-20,1667,CCP-3\n",
                        csv);
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.Json()["lines"].size(), 3u);
  EXPECT_EQ(c.Request("POST", "/api/v1/microcredit/repayments/import",
                      "loan_id,paid_on,amount,reference\n" + id + ",2026-09-01,100,CCP-3\n", csv)
                .status,
            409);

  // On 19 August: July (1,667) and August (1,667) unpaid, the oldest 35 days late.
  auto aug19 = c.Get(loan + "?as_of=2026-08-19", Bearer(officer)).Json();
  EXPECT_EQ(aug19["days_in_arrears"], 35) << aug19;
  EXPECT_EQ(aug19["bucket"], "31-60");
  EXPECT_EQ(aug19["overdue_minor"], 333'400);
  EXPECT_EQ(aug19["outstanding_minor"], 3'666'600);
  EXPECT_EQ(aug19["instalments"][2]["days_in_arrears"], 35);
  EXPECT_EQ(aug19["instalments"][3]["days_in_arrears"], 4);
  // PAR30 counts the whole balance at risk; the arrears rate only what is overdue.
  auto par = c.Get("/api/v1/microcredit/portfolio?as_of=2026-08-19&by=wilaya", Bearer(officer)).Json();
  ASSERT_EQ(par["groups"].size(), 1u) << par;
  EXPECT_EQ(par["groups"][0]["group"], "DZ-31");
  EXPECT_EQ(par["total"]["par30_minor"], 3'666'600);
  EXPECT_DOUBLE_EQ(par["total"]["par30"].get<double>(), 1.0);
  EXPECT_NEAR(par["total"]["arrears_rate"].get<double>(), 333'400.0 / 3'666'600.0, 1e-6);
  EXPECT_EQ(par["total"]["par90_minor"], 0);
  // On 21 August, after the late payment: only August's instalment, 6 days.
  auto aug21 = c.Get(loan + "?as_of=2026-08-21", Bearer(officer)).Json();
  EXPECT_EQ(aug21["days_in_arrears"], 6);
  EXPECT_EQ(aug21["bucket"], "1-30");
  auto by_sex = c.Get("/api/v1/microcredit/portfolio?as_of=2026-08-21&by=sex", Bearer(member2)).Json();
  EXPECT_EQ(by_sex["groups"][0]["group"], "F");
  EXPECT_EQ(by_sex["total"]["par30_minor"], 0);
  EXPECT_EQ(by_sex["total"]["par1_minor"], 3'499'900);
  // Outside the area: not found, and an empty portfolio.
  EXPECT_EQ(c.Get(loan, Bearer(algiers)).status, 404);
  EXPECT_EQ(c.Get("/api/v1/microcredit/portfolio?as_of=2026-08-21", Bearer(algiers)).Json()["total"]["loans"], 0);

  // Rescheduling: asked by an officer, approved by a committee member (not the requester); the paid part
  // (May, June, July: 5,001 DA) stays, the 34,999 DA left become 12 instalments from 15 January 2027.
  auto asked =
      c.PostJson(loan + "/reschedule", R"({"instalments":12,"first_due_on":"2027-01-15","reason":"perte de stock"})",
                 Bearer(officer));
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(
      c.PostJson(loan + "/reschedule", R"({"instalments":6,"first_due_on":"2027-01-15","reason":"x"})", Bearer(officer))
          .status,
      409);
  EXPECT_EQ(c.PostJson(loan + "/reschedule/decision", R"({"decision":"approve"})", Bearer(officer)).status, 403);
  auto resched = c.PostJson(loan + "/reschedule/decision", R"({"decision":"approve"})", Bearer(member2));
  ASSERT_EQ(resched.status, 200) << resched.body;
  const Json rs = resched.Json();
  ASSERT_EQ(rs["instalments"].size(), 15u) << rs;
  std::int64_t scheduled = 0;
  for (const auto& i : rs["instalments"]) scheduled += i["principal_minor"].get<std::int64_t>();
  EXPECT_EQ(scheduled, 4'000'000);
  EXPECT_EQ(rs["instalments"][2]["principal_minor"], 166'700);
  EXPECT_EQ(rs["instalments"][3]["due_on"], "2027-01-15");
  EXPECT_EQ(rs["instalments"][3]["principal_minor"], 291'700);   // 34,999 / 12 = 2,916.58 → 2,917
  EXPECT_EQ(rs["instalments"][14]["principal_minor"], 291'200);  // 34,999 − 11 × 2,917
  EXPECT_EQ(rs["days_in_arrears"], 0);

  // Early repayment of the rest closes the loan.
  auto rest = c.PostJson(loan + "/repayments", R"({"paid_on":"2026-09-01","amount":34999,"reference":"CCP-4"})",
                         Bearer(officer));
  ASSERT_EQ(rest.status, 201) << rest.body;
  EXPECT_EQ(rest.Json()["state"], "closed");
  EXPECT_EQ(rest.Json()["closed_on"], "2026-09-01");
  EXPECT_EQ(rest.Json()["outstanding_minor"], 0);
  EXPECT_EQ(
      c.PostJson(loan + "/repayments", R"({"paid_on":"2026-09-02","amount":1,"reference":"CCP-5"})", Bearer(officer))
          .status,
      422);

  // A new loan once fully repaid (the quota raised for it).
  ASSERT_EQ(c.Request("PUT", "/api/v1/microcredit/quotas", R"({"year":2026,"area_code":"DZ-3103","projects":10})",
                      {{"Authorization", "Bearer " + officer}, {"Content-Type", "application/json"}})
                .status,
            200);
  const Json second = Apply(c, officer, fatima, "2026-10-01");
  EXPECT_EQ(second["state"], "submitted") << second;

  // Four eyes: the officer who entered an application cannot decide it, even as an administrator.
  const std::string admin_pw = server_->AddUser("mc.admin", {auth::Role::kAdmin}, std::nullopt);
  const std::string admin = BearerToken(c, "mc.admin", admin_pw).value_or("");
  const Json own = Apply(c, admin, salim, "2026-10-03");
  ASSERT_EQ(own["state"], "submitted") << own;
  const std::string own_base = "/api/v1/microcredit/applications/" + std::to_string(own["id"].get<std::int64_t>());
  ASSERT_EQ(c.PostJson(own_base + "/scores", R"({"score":12})", Bearer(admin)).status, 200);
  auto self = c.PostJson(own_base + "/decision", R"({"decision":"reject","minutes":"PV"})", Bearer(admin));
  EXPECT_EQ(self.status, 422) << self.body;
  EXPECT_EQ(self.Json()["error"]["reason"], "microcredit.four_eyes");
  EXPECT_EQ(c.PostJson(own_base + "/decision", R"({"decision":"reject","minutes":"PV"})", Bearer(member2)).status, 200);

  // The board lists the officer's area only.
  auto board = c.Get("/api/v1/microcredit/applications?limit=50", Bearer(officer)).Json();
  EXPECT_GE(board["items"].size(), 6u);
  EXPECT_EQ(c.Get("/api/v1/microcredit/applications", Bearer(algiers)).Json()["items"].size(), 0u);
}

long long Count(const std::string& sql) {
  auto s = MicrocreditOverHttp::Db().Acquire();
  long long n = 0;
  s.sql() << sql, soci::into(n);
  return n;
}

// A woman of Aïn El Turk (Oran, DZ-3109) pre-registers for a raw-material loan (issue 12 §2).
Json PreRegistrationForm() {
  return Json{{"given_name_ar", "نادية"},
              {"family_name_ar", "بلقاسم"},
              {"birth_date", "1988-04-02"},
              {"national_id", "109880402001234567"},
              {"sex", "F"},
              {"wilaya_code", "DZ-31"},
              {"commune_code", "DZ-3109"},
              {"phone", "0551 23 45 67"},
              {"education", "upper_secondary"},
              {"product", "PNR"},
              {"project_idea", "ورشة خياطة في المنزل لصنع الملابس التقليدية"},
              {"estimated_cost", 80000}};
}

constexpr const char* kPreRegister = "/api/v1/public/microcredit/pre-registrations";

TEST_F(MicrocreditOverHttp, CitizensPreRegisterWithATrackingCodeAndOfficersConvertThem) {
  auto c = server_->Client();
  auto token = [&](const std::string& name, auth::Role role, const std::string& area) {
    auto t = BearerToken(c, name, server_->AddUser(name, {role}, area));
    EXPECT_TRUE(t) << name;
    return t.value_or("");
  };
  const std::string agent = token("pre.agent", auth::Role::kDataEntry, "DZ-31");
  const std::string coord = token("pre.coord", auth::Role::kRegionalCoordinator, "DZ-31");
  const std::string officer = token("pre.officer", auth::Role::kSocialWorker, "DZ-31");
  const std::string algiers = token("pre.algiers", auth::Role::kSocialWorker, "DZ-16");
  const std::string member = token("pre.member", auth::Role::kCommitteeMember, "DZ-31");
  const long long before = Count("SELECT COUNT(*) FROM microcredit_preregistrations");

  // Bad input: every invalid field named at once, in the reader's language, nothing written.
  Json bad = PreRegistrationForm();
  bad["national_id"] = "12345";
  bad["phone"] = "12";
  bad["commune_code"] = "DZ-1601";  // Algiers, not in Oran
  bad["project_idea"] = "خياطة";
  bad["product"] = "ANSEJ";
  bad.erase("sex");
  auto refused = c.PostJson(kPreRegister, bad.dump(), Headers{{"Accept-Language", "fr"}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["reason"], "microcredit.preregistration_invalid");
  std::set<std::string> fields;
  const Json problems = refused.Json()["error"]["problems"];
  for (const auto& p : problems) fields.insert(p["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"national_id", "phone", "commune_code", "project_idea", "product", "sex"}))
      << refused.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM microcredit_preregistrations"), before);

  // Accepted at once with a code; the eligibility preview is empty (18 or over, within the ceiling).
  auto created = c.PostJson(kPreRegister, PreRegistrationForm().dump(), Headers{{"Accept-Language", "ar"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string code = created.Json()["tracking_code"];
  EXPECT_EQ(code.size(), 19u) << code;  // XXXX-XXXX-XXXX-XXXX
  EXPECT_EQ(created.Json()["status"], "received");
  EXPECT_EQ(created.Json()["eligible_on_preview"], true);
  // Only the code's hash is stored.
  std::string bare = code;
  std::erase(bare, '-');
  EXPECT_EQ(Count("SELECT COUNT(*) FROM microcredit_preregistrations WHERE code_hash = '" + core::CodeHash(bare) + "'"),
            1);
  // Over the PNR ceiling of Oran and under 18: recorded, with both reasons shown in Arabic.
  Json over = PreRegistrationForm();
  over["estimated_cost"] = 150000;
  over["birth_date"] = "2012-01-01";
  over["national_id"] = "109880402001234568";
  auto previewed = c.PostJson(kPreRegister, over.dump(), Headers{{"Accept-Language", "ar"}});
  ASSERT_EQ(previewed.status, 201) << previewed.body;
  EXPECT_EQ(previewed.Json()["eligible_on_preview"], false);
  std::set<std::string> reasons;
  const Json preview = previewed.Json()["preview"];
  for (const auto& r : preview) reasons.insert(r["code"].get<std::string>());
  EXPECT_EQ(reasons, (std::set<std::string>{"microcredit.reason.under_18", "microcredit.over_ceiling"}))
      << previewed.body;
  EXPECT_EQ(previewed.Json()["preview"][1]["text"],
            "المبلغ 150000 دج يتجاوز السقف المعمول به في الولاية DZ-31: 100000 دج.")
      << previewed.body;
  const std::string code2 = previewed.Json()["tracking_code"];

  // The status by code, typed loosely (lower case, no hyphens); unknown and malformed codes: the same 404.
  std::string loose;
  for (char ch : code) {
    if (ch != '-') loose += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  auto status = c.Get(std::string(kPreRegister) + "/" + loose);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.Json()["status"], "received");
  EXPECT_FALSE(status.Json().contains("national_id"));
  EXPECT_EQ(c.Get(std::string(kPreRegister) + "/AAAA-BBBB-CCCC-DDDD").status, 404);
  auto malformed = c.Get(std::string(kPreRegister) + "/not-a-code");
  EXPECT_EQ(malformed.status, 404);
  EXPECT_EQ(malformed.Json()["error"]["reason"], "microcredit.tracking_code_unknown");

  // Officers see the pre-registrations of their area only; staff routes need an account.
  EXPECT_EQ(c.Get("/api/v1/microcredit/pre-registrations").status, 401);
  auto listed = c.Get("/api/v1/microcredit/pre-registrations?status=received", Bearer(officer));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_GE(listed.Json()["total"].get<long long>(), 2);
  const std::int64_t over_id = listed.Json()["items"][0]["id"];
  const std::int64_t id = listed.Json()["items"][1]["id"];
  EXPECT_EQ(listed.Json()["items"][1]["national_id"], "109880402001234567");
  EXPECT_EQ(listed.Json()["items"][1]["phone"], "+213551234567");
  EXPECT_EQ(c.Get("/api/v1/microcredit/pre-registrations", Bearer(algiers)).Json()["total"], 0);
  const std::string base = "/api/v1/microcredit/pre-registrations/" + std::to_string(id);
  EXPECT_EQ(c.Get(base, Bearer(algiers)).status, 404);
  ASSERT_EQ(c.Get(base, Bearer(officer)).status, 200);
  ASSERT_TRUE(server_->platform().audit->Fold());  // SQLite spools audit lines before the chain
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE record_type = 'microcredit_preregistration' AND record_id = '" +
                  std::to_string(id) + "'"),
            1);

  // Conversion: the registry record must be the same person; outside the scope it is not found.
  const auto nadia = AddPerson(c, agent, coord, "نادية", "بلقاسم", "Nadia", "Belkacem", "F", "1988-04-02", "DZ-3109");
  const auto other = AddPerson(c, agent, coord, "رشيد", "بوزيد", "Rachid", "Bouzid", "M", "1979-10-12", "DZ-3109");
  EXPECT_EQ(c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(algiers)).status, 404);
  EXPECT_EQ(c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(member)).status, 403);
  auto wrong = c.PostJson(base + "/convert", Json{{"person_id", other}}.dump(), Bearer(officer));
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(wrong.Json()["error"]["reason"], "microcredit.preregistration_other_person");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM microcredit_preregistrations WHERE id = " + std::to_string(id) +
                  " AND status = 'received'"),
            1);
  auto converted = c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(officer));
  ASSERT_EQ(converted.status, 200) << converted.body;
  EXPECT_EQ(converted.Json()["status"], "converted");
  const std::int64_t application = converted.Json()["application_id"];
  EXPECT_EQ(converted.Json()["application_state"], "submitted");
  auto app = c.Get("/api/v1/microcredit/applications/" + std::to_string(application), Bearer(officer)).Json();
  EXPECT_EQ(app["person_id"], nadia);
  EXPECT_EQ(app["amount_minor"], 8'000'000);
  EXPECT_EQ(app["product"], "PNR");
  EXPECT_EQ(app["commune_code"], "DZ-3109");
  EXPECT_EQ(c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(officer)).status, 409);
  // The citizen's status follows the application.
  EXPECT_EQ(c.Get(std::string(kPreRegister) + "/" + code).Json()["status"], "submitted");

  // Rejection with a reason the citizen reads.
  const std::string base2 = "/api/v1/microcredit/pre-registrations/" + std::to_string(over_id);
  EXPECT_EQ(c.PostJson(base2 + "/reject", R"({"reason":" "})", Bearer(officer)).status, 400);
  auto rejected = c.PostJson(base2 + "/reject", R"({"reason":"المشروع يتجاوز سقف القرض ويلزم أن يكون عمرك 18 سنة"})",
                             Bearer(officer));
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  auto seen = c.Get(std::string(kPreRegister) + "/" + code2).Json();
  EXPECT_EQ(seen["status"], "rejected");
  ASSERT_EQ(seen["public_notes"].size(), 1u);
  EXPECT_EQ(seen["public_notes"][0]["body"], "المشروع يتجاوز سقف القرض ويلزم أن يكون عمرك 18 سنة");
  EXPECT_EQ(c.PostJson(base2 + "/reject", R"({"reason":"x"})", Bearer(officer)).status, 409);

  // Last: past the limit of the address (10 at once), 429 with Retry-After.
  int throttled = 0;
  std::optional<std::string> retry_after;
  for (int i = 0; i < 15 && throttled == 0; ++i) {
    auto answer = c.PostJson(kPreRegister, "{}");
    if (answer.status == 429) {
      ++throttled;
      retry_after = answer.Header("retry-after");
    } else {
      EXPECT_EQ(answer.status, 422) << answer.body;
    }
  }
  EXPECT_EQ(throttled, 1);
  ASSERT_TRUE(retry_after);
  EXPECT_GE(std::stoi(*retry_after), 1);
}

// Issue 12 §2: "applications over quota wait". Four officers' applications for the last place of a
// commune at the same instant: exactly one is submitted, the others wait (the store checks and takes the
// place in one transaction holding the quota's lock).
TEST_F(MicrocreditOverHttp, ParallelApplicationsNeverExceedTheCommuneQuota) {
  auto c = server_->Client();
  auto token = [&](const std::string& name, auth::Role role, const std::string& area) {
    auto t = BearerToken(c, name, server_->AddUser(name, {role}, area));
    EXPECT_TRUE(t) << name;
    return t.value_or("");
  };
  const std::string agent = token("q.agent", auth::Role::kDataEntry, "DZ-31");
  const std::string coord = token("q.coord", auth::Role::kRegionalCoordinator, "DZ-31");
  std::vector<std::string> officers;
  for (int i = 0; i < 4; ++i)
    officers.push_back(token("q.officer" + std::to_string(i), auth::Role::kSocialWorker, "DZ-31"));
  const char* given[] = {"Walid", "Sofiane", "Hakim", "Mourad"};
  const char* given_ar[] = {"وليد", "سفيان", "حكيم", "مراد"};
  std::vector<std::int64_t> persons;
  for (int i = 0; i < 4; ++i) {
    persons.push_back(AddPerson(c, agent, coord, given_ar[i], "بن فريحة", given[i], "Benfreha", "M",
                                fmt::format("198{}-0{}-1{}", i, i + 1, i), "DZ-3120"));
  }
  const std::string today = DateOf(server_->clock().Now()).ToString();
  const std::string year = today.substr(0, 4);
  auto quota =
      c.Request("PUT", "/api/v1/microcredit/quotas", R"({"year":)" + year + R"(,"area_code":"DZ-3120","projects":1})",
                {{"Authorization", "Bearer " + coord}, {"Content-Type", "application/json"}});
  ASSERT_EQ(quota.status, 200) << quota.body;

  std::vector<std::string> states(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto own = server_->Client();
      Json body{{"person_id", persons[static_cast<std::size_t>(i)]},
                {"product", "PNR"},
                {"amount", 30000},
                {"applied_on", today},
                {"activity", "boulangerie"}};
      auto r =
          own.PostJson("/api/v1/microcredit/applications", body.dump(), Bearer(officers[static_cast<std::size_t>(i)]));
      states[static_cast<std::size_t>(i)] = r.status == 201 ? r.Json()["state"].get<std::string>() : r.body;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(std::count(states.begin(), states.end(), "submitted"), 1) << fmt::format("{}", fmt::join(states, " | "));
  EXPECT_EQ(std::count(states.begin(), states.end(), "waiting_quota"), 3)
      << fmt::format("{}", fmt::join(states, " | "));
}

// ISO date `days` after (negative: before) the server's today, and `months` before an ISO date (the day
// clamped to the end of a shorter month, as schedules do).
std::string ShiftDays(const std::string& iso, int days) {
  using namespace std::chrono;
  const year_month_day d{year{std::stoi(iso.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                         day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  const year_month_day s{sys_days{d} + std::chrono::days{days}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(s.year()), static_cast<unsigned>(s.month()),
                     static_cast<unsigned>(s.day()));
}
std::string MonthsBefore(const std::string& iso, int months) {
  using namespace std::chrono;
  year_month_day d{year{std::stoi(iso.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                   day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  d -= std::chrono::months{months};
  if (!d.ok()) d = d.year() / d.month() / last;
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

// Runs the collection proposals through the route and waits for the job to finish.
Json ProposeVisits(HttpClient& c, const std::string& who) {
  auto started = c.PostJson("/api/v1/microcredit/collection/proposals", "{}", Bearer(who));
  EXPECT_EQ(started.status, 202) << started.body;
  const std::string target =
      "/api/v1/microcredit/collection/proposals/" + std::to_string(started.Json()["id"].get<std::int64_t>());
  Json job;
  for (int i = 0; i < 400; ++i) {
    job = c.Get(target, Bearer(who)).Json();
    if (job["status"] != "queued" && job["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(job["status"], "succeeded") << job;
  return job;
}

// Last of the suite: it moves the server's clock forward.
TEST_F(MicrocreditOverHttp, CollectionTasksPromisesAndTheNightlyFieldVisit) {
  auto c = server_->Client();
  auto token = [&](const std::string& name, auth::Role role, const std::string& area) {
    auto t = BearerToken(c, name, server_->AddUser(name, {role}, area));
    EXPECT_TRUE(t) << name;
    return t.value_or("");
  };
  const std::string agent = token("col.agent", auth::Role::kDataEntry, "DZ-31");
  const std::string coord = token("col.coord", auth::Role::kRegionalCoordinator, "DZ-31");
  const std::string officer_password = server_->AddUser("col.officer", {auth::Role::kSocialWorker}, "DZ-31");
  const std::string officer = BearerToken(c, "col.officer", officer_password).value_or("");
  const std::string member = token("col.member", auth::Role::kCommitteeMember, "DZ-31");
  const std::string algiers = token("col.algiers", auth::Role::kSocialWorker, "DZ-16");
  const std::string today = DateOf(server_->clock().Now()).ToString();

  // A loan whose first instalment fell due about 45 days ago and was never paid (31–60 days bucket):
  // PNR, 3 months of grace, the first instalment 4 months after disbursement.
  const std::string disbursed_on = MonthsBefore(ShiftDays(today, -45), 4);
  const auto amine = AddPerson(c, agent, coord, "أمين", "سعدي", "Amine", "Saadi", "M", "1986-06-20", "DZ-3106");
  Json body{{"person_id", amine},
            {"product", "PNR"},
            {"amount", 40000},
            {"applied_on", ShiftDays(disbursed_on, -10)},
            {"activity", "menuiserie"}};
  auto applied = c.PostJson("/api/v1/microcredit/applications", body.dump(), Bearer(officer));
  ASSERT_EQ(applied.status, 201) << applied.body;
  ASSERT_EQ(applied.Json()["state"], "submitted") << applied.body;
  const std::string app =
      "/api/v1/microcredit/applications/" + std::to_string(applied.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(c.PostJson(app + "/scores", R"({"score":15})", Bearer(member)).status, 200);
  ASSERT_EQ(c.PostJson(app + "/decision", R"({"decision":"approve","minutes":"PV 9"})", Bearer(member)).status, 200);
  auto disbursed = c.PostJson(app + "/disburse", Json{{"disbursed_on", disbursed_on}}.dump(), Bearer(officer));
  ASSERT_EQ(disbursed.status, 201) << disbursed.body;
  const std::int64_t loan = disbursed.Json()["loan_ids"][0];
  const std::string tasks = "/api/v1/microcredit/loans/" + std::to_string(loan) + "/tasks";

  // The nightly proposal: one field visit for the loan, and none more on a second run (idempotent).
  const Json first = ProposeVisits(c, officer);
  EXPECT_GE(first["result"]["proposed"].get<long long>(), 1) << first;
  const Json second = ProposeVisits(c, officer);
  EXPECT_EQ(second["result"]["proposed"], 0) << second;
  auto listed = c.Get(tasks, Bearer(officer));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["items"].size(), 1u) << listed.body;
  const Json visit = listed.Json()["items"][0];
  EXPECT_EQ(visit["kind"], "field_visit");
  EXPECT_EQ(visit["source"], "nightly");
  EXPECT_EQ(visit["state"], "open");
  EXPECT_EQ(visit["due_on"], ShiftDays(today, 7));
  const int days = visit["days_in_arrears"];
  EXPECT_GE(days, 31);
  EXPECT_LE(days, 60);
  // Outside the area: neither the loan's tasks nor the task are found.
  EXPECT_EQ(c.Get(tasks, Bearer(algiers)).status, 404);
  EXPECT_EQ(c.Get("/api/v1/microcredit/tasks?assigned=all", Bearer(algiers)).Json()["total"], 0);

  // "My collection tasks": the unassigned proposal shows, with the loan's days in arrears.
  auto mine = c.Get("/api/v1/microcredit/tasks?state=open", Bearer(officer));
  ASSERT_EQ(mine.status, 200) << mine.body;
  bool found = false;
  const Json mine_items = mine.Json()["items"];
  for (const auto& t : mine_items) {
    if (t["id"] == visit["id"]) found = t["days_in_arrears"] == days;
  }
  EXPECT_TRUE(found) << mine.body;

  // Closing the visit with its outcome; the loan enters no new proposal while it stays in the bucket.
  const std::string close = "/api/v1/microcredit/tasks/" + std::to_string(visit["id"].get<std::int64_t>()) + "/close";
  EXPECT_EQ(c.PostJson(close, R"({"outcome":"x"})", Bearer(algiers)).status, 404);
  auto closed = c.PostJson(close, R"({"outcome":"visite faite, promesse de payer"})", Bearer(officer));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json()["state"], "done");
  EXPECT_EQ(c.PostJson(close, R"({"outcome":"encore"})", Bearer(officer)).status, 409);
  EXPECT_EQ(ProposeVisits(c, officer)["result"]["proposed"], 0);

  // Promises to pay: kept or broken from the repayments received, never typed.
  Json bad{{"kind", "promise_to_pay"}, {"due_on", today}};
  auto incomplete = c.PostJson(tasks, bad.dump(), Bearer(officer));
  EXPECT_EQ(incomplete.status, 400) << incomplete.body;
  EXPECT_EQ(incomplete.Json()["error"]["reason"], "microcredit.promise_incomplete");
  EXPECT_EQ(c.PostJson(tasks, Json{{"kind", "visit"}, {"due_on", today}}.dump(), Bearer(officer)).status, 400);
  EXPECT_EQ(c.PostJson(tasks, Json{{"kind", "phone_call"}, {"due_on", today}}.dump(), Bearer(member)).status, 403);
  Json kept{{"kind", "promise_to_pay"},
            {"due_on", today},
            {"assigned_to", "col.officer"},
            {"promised_amount", 1667},
            {"promised_on", ShiftDays(today, 10)}};
  auto p1 = c.PostJson(tasks, kept.dump(), Bearer(officer));
  ASSERT_EQ(p1.status, 201) << p1.body;
  EXPECT_EQ(p1.Json()["promise_state"], "pending");
  Json broken = kept;
  broken["promised_amount"] = 5000;
  broken["promised_on"] = ShiftDays(today, 5);
  auto p2 = c.PostJson(tasks, broken.dump(), Bearer(officer));
  ASSERT_EQ(p2.status, 201) << p2.body;
  auto paid = c.PostJson("/api/v1/microcredit/loans/" + std::to_string(loan) + "/repayments",
                         Json{{"paid_on", today}, {"amount", 1667}, {"reference", "COL-1"}}.dump(), Bearer(officer));
  ASSERT_EQ(paid.status, 201) << paid.body;
  server_->clock().Advance(std::chrono::hours(24 * 11));
  // Tokens expire with the clock moved: sign in again.
  const std::string officer_again = BearerToken(c, "col.officer", officer_password).value_or("");
  auto after = c.Get(tasks, Bearer(officer_again)).Json();
  std::map<std::int64_t, std::string> states;
  for (const auto& t : after["items"]) {
    if (!t["promise_state"].is_null()) states[t["id"].get<std::int64_t>()] = t["promise_state"];
  }
  EXPECT_EQ(states[p1.Json()["id"].get<std::int64_t>()], "kept") << after;
  EXPECT_EQ(states[p2.Json()["id"].get<std::int64_t>()], "broken") << after;
}

}  // namespace
}  // namespace sanad::testing
