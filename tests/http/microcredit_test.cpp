// Micro-credit over HTTP, on SQLite and PostgreSQL (SANAD_TEST_DB selects): the public schedule preview
// of the ANGEM products exactly as issue 12 shows it (domain.md §2.1; docs/microcredit.md), its refusals
// with a reason rendered in the reader's language; and the scenario application → committee →
// disbursement (benefit ledger) → imported repayments with a late one → arrears and PAR → closure → a
// second loan allowed, with eligibility reasons, quotas, four eyes, scope and permissions on the way.
#include <gtest/gtest.h>

#include <set>

#include "db/migrations.h"
#include "microcredit_http_fixture.h"

namespace sanad::testing {

using Json = nlohmann::json;

std::int64_t AddPerson(HttpClient& c, const std::string& agent, const std::string& coord, const std::string& given_ar,
                       const std::string& family_ar, const std::string& given_lat, const std::string& family_lat,
                       const std::string& sex, const std::string& birth_date, const std::string& commune) {
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

namespace {

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
  EXPECT_EQ(
      ar.Json()["error"]["message"],
      "المبلغ \u2068150000\u2069 دج يتجاوز السقف المعمول به في الولاية \u2068DZ-31\u2069: \u2068100000\u2069 دج.");
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
  // The portfolio reads the new schedule (rows written after the first ones): on 20 February 2027 the
  // new January and February instalments (2 × 2,917 DA) are unpaid, the oldest 36 days late.
  auto feb = c.Get("/api/v1/microcredit/portfolio?as_of=2027-02-20&by=wilaya", Bearer(officer)).Json();
  EXPECT_EQ(feb["total"]["outstanding_minor"], 3'499'900) << feb;
  EXPECT_EQ(feb["total"]["overdue_minor"], 583'400);
  EXPECT_EQ(feb["total"]["due_minor"], 1'083'500);
  EXPECT_EQ(feb["total"]["par30_minor"], 3'499'900);
  EXPECT_EQ(feb["total"]["par90_minor"], 0);
  EXPECT_EQ(feb["total"]["buckets"][2]["loans"], 1);  // 31-60
  // A loan disbursed before the schedules were packed (migration 0036) gets its packed copy from its rows,
  // in due order: the same portfolio.
  {
    const db::Migration* packing = nullptr;
    for (const auto& m : db::EmbeddedMigrations()) {
      if (m.name.find("microcredit_packed_schedule") != std::string::npos) packing = &m;
    }
    ASSERT_NE(packing, nullptr);
    auto s = Db().Acquire();
    s.sql() << "UPDATE microcredit_loans SET schedule = NULL";
    const auto statements = db::MigrationStatements(*packing, Db().dialect());
    for (std::size_t k = 1; k < statements.size(); ++k) s.sql() << statements[k];  // not the ALTER TABLE
    EXPECT_EQ(c.Get("/api/v1/microcredit/portfolio?as_of=2027-02-20&by=wilaya", Bearer(officer)).Json(), feb);
  }

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
  // A national reader's portfolio (read without a join to the loans): the loan, repaid by then; before its
  // disbursement, nothing (its instalments and repayments are dropped by the loan index).
  auto national = c.Get("/api/v1/microcredit/portfolio?as_of=2027-02-20", Bearer(admin)).Json();
  EXPECT_EQ(national["total"]["loans"], 1) << national;
  EXPECT_EQ(national["total"]["disbursed_minor"], 4'000'000);
  EXPECT_EQ(national["total"]["outstanding_minor"], 0);
  EXPECT_EQ(national["total"]["due_minor"], 1'083'500);
  auto before = c.Get("/api/v1/microcredit/portfolio?as_of=2026-01-14", Bearer(admin)).Json();
  EXPECT_EQ(before["total"]["loans"], 0) << before;
  EXPECT_EQ(before["total"]["due_minor"], 0);
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

}  // namespace
}  // namespace sanad::testing
