// Funding calls and applications of the women's empowerment platform over HTTP, on SQLite and PostgreSQL
// (SANAD_TEST_DB selects), issue 13 §2: a woman registered in Arabic completes her file, applies to her
// region's call from her status page and submits; she is found eligible; two committee members score the
// rubric while a third declares a conflict of interest; the scored application is shortlisted, approved
// with an amount by one member and confirmed by another (four eyes); the agreement's tranche is paid and
// written to the benefit ledger of her registry person; her status page shows the progress and never the
// reviewers' scores or the minutes. Bad input changes nothing: an incomplete file applying, scores out of
// range, an approval beyond the envelope, a late submission, a wrong transition, another region's
// coordinator (404), two concurrent transitions (one 409).
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "db/row.h"
#include "empowerment_fixture.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kFes = "MA-03.231.01.03";  // a commune of Fès-Meknès (MA-03)
constexpr const char* kRegister = "/api/v1/public/empowerment/registrations";

class EmpowermentFundingApi : public EmpowermentServerTest {
 protected:
  Headers User(const std::string& name, auth::Role role, const std::optional<std::string>& area) {
    auto password = area ? server_->AddUser(name, {role}, *area) : server_->AddUser(name, {role});
    Headers h = Login(name, password);
    h.emplace_back("Content-Type", "application/json");
    return h;
  }

  HttpResponse Post(const std::string& target, const Json& body, const Headers& h) {
    return c_->Request("POST", target, body.dump(), h);
  }

  long long Count(const std::string& query) {
    auto s = server_->platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  std::string Day(int days_from_now) {
    return DateOf(server_->clock().Now() + std::chrono::hours(24 * days_from_now)).ToString();
  }

  Json CallBody(const std::string& code, long long envelope) {
    return {{"code", code},
            {"name_ar", "نداء فاس مكناس للتمكين الاقتصادي"},
            {"name_fr", "Appel Fès-Meknès à l'autonomisation"},
            {"name_en", "Fès-Meknès empowerment call"},
            {"region_code", "MA-03"},
            {"year", std::stoi(Day(0).substr(0, 4))},
            {"envelope_minor", envelope},
            {"opens_at", Day(0)},
            {"closes_at", Day(10)},
            {"eligibility", {{"kinds", {"auto_entrepreneur"}}, {"situations", {"widow", "divorced"}}}},
            {"rubric",
             {{{"code", "viability"}, {"max_points", 40}, {"weight", 2}}, {{"code", "impact"}, {"max_points", 30}}}}};
  }

  // A registry person (the same CIN as her registration) so that the duplicate check links her.
  long long RegistryPerson() {
    auto s = server_->platform().db->Acquire();
    s.sql() << "INSERT INTO households (ref, commune_code, urban, status, created_at, updated_at) VALUES "
               "('EF1', :c, 1, 'active', 'now', 'now')",
        soci::use(std::string(kFes));
    long long h = 0, person = 0;
    s.sql() << "SELECT id FROM households WHERE ref = 'EF1'", soci::into(h);
    s.sql() << "INSERT INTO persons (household_id, relationship, sex, birth_date, status, given_name_ar, "
               "family_name_ar, national_id, created_at, updated_at) VALUES (:h, 'head', 'F', '1988-04-12', "
               "'active', 'فاطمة', 'العلوي', 'CD654321', 'now', 'now')",
        soci::use(h);
    s.sql() << "SELECT id FROM persons WHERE national_id = 'CD654321'", soci::into(person);
    return person;
  }
};

TEST_F(EmpowermentFundingApi, SheAppliesIsScoredApprovedAndPaidAndFollowsItOnHerStatusPage) {
  const long long person = RegistryPerson();
  const Headers fes = User("fes", auth::Role::kRegionalCoordinator, "MA-03");
  const Headers casa = User("casa", auth::Role::kRegionalCoordinator, "MA-06");
  const Headers amina = User("amina", auth::Role::kCommitteeMember, "MA-03");
  const Headers karim = User("karim", auth::Role::kCommitteeMember, "MA-03");
  const Headers omar = User("omar", auth::Role::kCommitteeMember, "MA-03");
  const Headers admin = User("admin2", auth::Role::kAdmin, std::nullopt);  // the ledger and the audit log

  // The coordinator of Fès-Meknès opens a call: 50,000.00 MAD.
  auto call = Post("/api/v1/empowerment/calls", CallBody("FM-1", 5'000'000), fes);
  ASSERT_EQ(call.status, 201) << call.body;
  EXPECT_EQ(call.Json()["currency"], "MAD");
  EXPECT_EQ(call.Json()["remaining_minor"], 5'000'000);
  const std::int64_t call_id = call.Json()["id"];
  // Casablanca's coordinator neither sees it nor creates one for another region.
  EXPECT_EQ(c_->Get("/api/v1/empowerment/calls/" + std::to_string(call_id), casa).status, 404);
  EXPECT_EQ(c_->Get("/api/v1/empowerment/calls", casa).Json()["items"].size(), 0u);
  auto foreign = Post("/api/v1/empowerment/calls", CallBody("FM-X", 100), casa);
  EXPECT_EQ(foreign.status, 404) << foreign.body;
  // A bad call names every bad field and stores nothing.
  Json bad = CallBody("FM-BAD", 0);
  bad["closes_at"] = Day(-5);
  bad["rubric"][0]["max_points"] = 500;
  auto refused = Post("/api/v1/empowerment/calls", bad, fes);
  ASSERT_EQ(refused.status, 400) << refused.body;  // envelope_minor 0: read as out of its range
  bad["envelope_minor"] = 100;
  refused = Post("/api/v1/empowerment/calls", bad, fes);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["reason"], "empowerment.call_invalid");
  EXPECT_EQ(refused.Json()["error"]["problems"].size(), 2u) << refused.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_calls"), 1);

  // She registers in Arabic: her file is incomplete, so applying is refused and stores nothing.
  Json her{{"kind", "auto_entrepreneur"}, {"given_name", "فاطمة"},     {"family_name", "العلوي"},
           {"birth_date", "1988-04-12"},  {"national_id", "CD654321"}, {"phone", "0661234567"},
           {"commune_code", kFes},        {"situations", {"widow"}}};
  auto registered = c_->PostJson(kRegister, her.dump(), {{"Accept-Language", "ar"}});
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string code = registered.Json()["tracking_code"];
  const std::string mine = std::string(kRegister) + "/" + code + "/applications";
  const Json apply{{"call_code", "FM-1"},
                   {"requested_minor", 3'000'000},
                   {"summary", "ورشة خياطة للملابس التقليدية مع بيع عبر الإنترنت"}};
  auto early = c_->PostJson(mine, apply.dump(), {{"Accept-Language", "ar"}});
  ASSERT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(early.Json()["error"]["reason"], "empowerment.file_incomplete");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_applications"), 0);

  // She completes her file; her status page lists the open call of her region; she applies and submits.
  auto completed = c_->Request(
      "PATCH", std::string(kRegister) + "/" + code,
      Json{{"education", "secondary"}, {"skills", {"خياطة"}}, {"project_idea", "ورشة خياطة للملابس التقليدية في الحي"}}
          .dump(),
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(completed.status, 200) << completed.body;
  auto status = c_->Get(mine);
  ASSERT_EQ(status.status, 200) << status.body;
  ASSERT_EQ(status.Json()["open_calls"].size(), 1u);
  EXPECT_EQ(status.Json()["open_calls"][0]["code"], "FM-1");
  auto draft = c_->PostJson(mine, apply.dump());
  ASSERT_EQ(draft.status, 201) << draft.body;
  const std::int64_t app = draft.Json()["id"];
  const std::string at = "/api/v1/empowerment/applications/" + std::to_string(app);
  EXPECT_EQ(c_->PostJson(mine, apply.dump()).status, 409);  // once per call
  auto submitted = c_->PostJson(mine + "/" + std::to_string(app) + "/submit", "{}");
  ASSERT_EQ(submitted.status, 200) << submitted.body;

  // A wrong transition is refused and changes nothing; another region's coordinator gets 404.
  auto wrong = Post(at + "/agreement", {{"tranches", {{{"milestone", "x"}, {"amount_minor", 1}}}}}, fes);
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(wrong.Json()["error"]["reason"], "empowerment.transition_not_allowed");
  EXPECT_EQ(c_->Get(at, casa).status, 404);
  EXPECT_EQ(Post(at + "/eligibility", Json::object(), casa).status, 404);
  EXPECT_EQ(c_->Get(at, fes).Json()["state"], "submitted");

  // Eligible: a widow, an auto-entrepreneur of the region, 38 years old, her file complete.
  auto eligible = Post(at + "/eligibility", Json::object(), fes);
  ASSERT_EQ(eligible.status, 200) << eligible.body;
  EXPECT_EQ(eligible.Json()["state"], "eligible");

  // Reviews: a score out of range names the criterion and stores nothing; coordinators do not score.
  auto out_of_range = Post(at + "/reviews", {{"points", {{"viability", 41}, {"impact", 10}}}}, amina);
  ASSERT_EQ(out_of_range.status, 422) << out_of_range.body;
  EXPECT_EQ(out_of_range.Json()["error"]["reason"], "empowerment.scores_invalid");
  EXPECT_EQ(out_of_range.Json()["error"]["problems"][0]["field"], "points.viability");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_reviews"), 0);
  EXPECT_EQ(Post(at + "/reviews", {{"points", {{"viability", 1}, {"impact", 1}}}}, fes).status, 403);
  // Amina 40/40 and 15/30 → (2·1 + 0.5)/3 = 83.33; Omar declares a conflict; Karim 20/40, 30/30 → 66.67.
  auto first = Post(at + "/reviews", {{"points", {{"viability", 40}, {"impact", 15}}}}, amina);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json()["state"], "under_review");
  EXPECT_EQ(Post(at + "/reviews", {{"points", {{"viability", 40}, {"impact", 15}}}}, amina).status, 409);
  auto conflict = Post(at + "/reviews", {{"conflict_of_interest", true}}, omar);
  ASSERT_EQ(conflict.status, 200) << conflict.body;
  EXPECT_EQ(conflict.Json()["state"], "under_review");  // a conflict does not count
  auto second = Post(at + "/reviews", {{"points", {{"viability", 20}, {"impact", 30}}}}, karim);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.Json()["state"], "scored");
  EXPECT_NEAR(second.Json()["score"].get<double>(), 75.0, 1e-9);

  auto shortlisted = Post(at + "/transitions", {{"to", "shortlisted"}}, fes);
  ASSERT_EQ(shortlisted.status, 200) << shortlisted.body;
  // The call page: budget, applications by stage, the trial allocation.
  auto page = c_->Get("/api/v1/empowerment/calls/" + std::to_string(call_id), fes);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Json()["by_state"]["shortlisted"], 1);
  EXPECT_EQ(page.Json()["trial_allocation"]["funded"][0]["id"], app);
  EXPECT_EQ(page.Json()["trial_allocation"]["remaining_minor"], 2'000'000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_applications WHERE approved_minor IS NOT NULL"), 0);

  // The committee: over the envelope refused; an approval proposed by Amina that she cannot confirm.
  const Json over{{"decision", "approved"}, {"amount_minor", 6'000'000}, {"minutes", "PV 1"}};
  auto too_much = Post(at + "/decision", over, amina);
  ASSERT_EQ(too_much.status, 422) << too_much.body;
  EXPECT_EQ(too_much.Json()["error"]["reason"], "empowerment.amount_over_request");
  auto proposed = Post(at + "/decision",
                       {{"decision", "approved"},
                        {"amount_minor", 2'500'000},
                        {"minutes", "محضر الجلسة 1: مشروع قابل للتنفيذ"},
                        {"public_note", "تمت الموافقة على مشروعك"}},
                       amina);
  ASSERT_EQ(proposed.status, 200) << proposed.body;
  auto same = Post(at + "/decision/confirm", Json::object(), amina);
  ASSERT_EQ(same.status, 422) << same.body;
  EXPECT_EQ(same.Json()["error"]["reason"], "empowerment.four_eyes");
  EXPECT_EQ(c_->Get(at, fes).Json()["state"], "shortlisted");
  auto approved = Post(at + "/decision/confirm", Json::object(), karim);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["state"], "approved");
  EXPECT_EQ(approved.Json()["approved_minor"], 2'500'000);
  EXPECT_EQ(c_->Get("/api/v1/empowerment/calls/" + std::to_string(call_id), fes).Json()["committed_minor"], 2'500'000);

  // The agreement: tranches that do not add up are refused; then two tranches.
  auto unequal =
      Post(at + "/agreement", {{"tranches", {{{"milestone", "شراء المعدات"}, {"amount_minor", 1'000'000}}}}}, fes);
  ASSERT_EQ(unequal.status, 422) << unequal.body;
  EXPECT_EQ(unequal.Json()["error"]["problems"][0]["reason"], "empowerment.tranches_sum");
  auto signed_ = Post(at + "/agreement",
                      {{"tranches",
                        {{{"milestone", "شراء المعدات"}, {"amount_minor", 1'500'000}},
                         {{"milestone", "بدء النشاط"}, {"amount_minor", 1'000'000}}}}},
                      fes);
  ASSERT_EQ(signed_.status, 200) << signed_.body;
  EXPECT_EQ(signed_.Json()["state"], "agreement_signed");

  // The first milestone met: the tranche is paid and written to her person's benefit ledger.
  auto paid = Post(at + "/tranches/1/pay", Json::object(), fes);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.Json()["state"], "funded");
  EXPECT_EQ(Post(at + "/tranches/1/pay", Json::object(), fes).status, 409);
  auto ledger = c_->Get("/api/v1/persons/" + std::to_string(person) + "/benefits", admin);
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  ASSERT_EQ(ledger.Json()["items"].size(), 1u) << ledger.body;
  EXPECT_EQ(ledger.Json()["items"][0]["programme"], "EMPOWERMENT");
  EXPECT_EQ(ledger.Json()["items"][0]["amount_minor"], 1'500'000);
  EXPECT_EQ(ledger.Json()["items"][0]["currency"], "MAD");

  // The regional figures count her: registered, her application by stage, the amounts approved, agreed
  // and paid by commune and by province, with the communes' names (docs/empowerment.md#figures).
  auto figures = c_->Get("/api/v1/empowerment/figures", fes);
  ASSERT_EQ(figures.status, 200) << figures.body;
  const Json fj = figures.Json();
  ASSERT_EQ(fj["women"].size(), 1u) << fj;
  EXPECT_EQ(fj["women"][0]["women"], 1);
  EXPECT_EQ(fj["applications"], Json::array({{{"commune_code", kFes}, {"state", "funded"}, {"applications", 1}}}));
  ASSERT_EQ(fj["funded"].size(), 1u) << fj;
  EXPECT_EQ(fj["funded"][0], Json({{"commune_code", kFes},
                                   {"currency", "MAD"},
                                   {"approved_minor", 2'500'000},
                                   {"agreed_minor", 2'500'000},
                                   {"paid_minor", 1'500'000},
                                   {"approved_applications", 1}}));
  ASSERT_EQ(fj["funded_by_province"].size(), 1u) << fj;
  EXPECT_EQ(fj["funded_by_province"][0]["province_code"], "MA-03.231");
  EXPECT_EQ(fj["funded_by_province"][0]["paid_minor"], 1'500'000);
  EXPECT_FALSE(fj["areas"][kFes]["name_ar"].get<std::string>().empty());
  EXPECT_NE(fj["areas"][kFes]["name_ar"], kFes);
  EXPECT_EQ(fj["areas"][kFes]["province_code"], "MA-03.231");
  EXPECT_FALSE(fj["areas"]["MA-03.231"]["name_fr"].get<std::string>().empty());
  auto figures_csv = c_->Get("/api/v1/empowerment/figures.csv", fes);
  ASSERT_EQ(figures_csv.status, 200);
  EXPECT_NE(figures_csv.body.find(std::string("applications,") + kFes + ",funded,applications,1,"), std::string::npos)
      << figures_csv.body;
  EXPECT_NE(figures_csv.body.find(std::string("funded,") + kFes + ",MAD,paid_minor,1500000,"), std::string::npos);
  EXPECT_NE(figures_csv.body.find("funded_by_province,MA-03.231,MAD,approved_minor,2500000,"), std::string::npos);
  // Casablanca's coordinator counts none of it.
  const Json casa_fj = c_->Get("/api/v1/empowerment/figures", casa).Json();
  EXPECT_EQ(casa_fj["applications"].size(), 0u);
  EXPECT_EQ(casa_fj["funded"].size(), 0u);

  // Her staff file: the application with its amounts and tranches, and her ledger line; outside the
  // reader's area it is 404; each read is audited.
  const std::int64_t reg_id = Count("SELECT id FROM empowerment_registrations");
  const std::string overview = "/api/v1/empowerment/registrations/" + std::to_string(reg_id) + "/overview";
  auto file = c_->Get(overview, fes);
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.Json()["person_id"], person);
  ASSERT_EQ(file.Json()["applications"].size(), 1u);
  EXPECT_EQ(file.Json()["applications"][0]["state"], "funded");
  EXPECT_EQ(file.Json()["applications"][0]["approved_minor"], 2'500'000);
  EXPECT_EQ(file.Json()["applications"][0]["call"]["code"], "FM-1");
  EXPECT_EQ(file.Json()["applications"][0]["tranches"][0]["paid_on"], Day(0));
  EXPECT_TRUE(file.Json()["applications"][0]["tranches"][1]["paid_on"].is_null());
  EXPECT_EQ(file.Json()["trainings"].size(), 0u);
  ASSERT_EQ(file.Json()["ledger"].size(), 1u) << file.body;
  EXPECT_EQ(file.Json()["ledger"][0]["programme"], "EMPOWERMENT");
  EXPECT_EQ(file.Json()["ledger"][0]["amount_minor"], 1'500'000);
  EXPECT_EQ(c_->Get(overview, casa).status, 404);
  EXPECT_EQ(c_->Get(overview).status, 401);
  EXPECT_EQ(c_->Get(overview, User("payer", auth::Role::kPaymentOfficer, "MA-03")).status, 403);
  EXPECT_EQ(c_->Get("/api/v1/empowerment/registrations/999999/overview", fes).status, 404);

  auto last = Post(at + "/tranches/2/pay", Json::object(), fes);
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(last.Json()["state"], "monitoring");

  // Her status page: the stage, the amount, her public note; never the scores, reviewers or minutes.
  auto progress = c_->Get(mine);
  ASSERT_EQ(progress.status, 200) << progress.body;
  const auto shown = progress.Json()["applications"][0];
  EXPECT_EQ(shown["state"], "monitoring");
  EXPECT_EQ(shown["approved_minor"], 2'500'000);
  EXPECT_EQ(shown["tranches_paid"], 2);
  EXPECT_EQ(shown["public_note"], "تمت الموافقة على مشروعك");
  EXPECT_EQ(progress.body.find("محضر"), std::string::npos);
  EXPECT_EQ(progress.body.find("amina"), std::string::npos);
  EXPECT_EQ(progress.body.find("score"), std::string::npos);

  // The staff read of the application has its reviews and history, and each read is audited.
  auto detail = c_->Get(at, fes);
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(detail.Json()["reviews"].size(), 3u);
  EXPECT_EQ(detail.Json()["tranches"][0]["paid_on"], Day(0));
  EXPECT_FALSE(detail.Json()["tranches"][0]["benefit_id"].is_null());
  auto audit = c_->Get("/api/v1/audit?action=view&record_type=empowerment_application", admin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_GE(audit.Json()["total"].get<long long>(), 2);
  auto file_audit = c_->Get("/api/v1/audit?action=view&record_type=empowerment_file", admin);
  ASSERT_EQ(file_audit.status, 200) << file_audit.body;
  EXPECT_EQ(file_audit.Json()["total"].get<long long>(), 1);  // the refused reads showed nothing
}

TEST_F(EmpowermentFundingApi, LateSubmissionsOverBudgetApprovalsAndConcurrentTransitionsChangeNothing) {
  const Headers fes = User("fes", auth::Role::kRegionalCoordinator, "MA-03");
  auto call = Post("/api/v1/empowerment/calls", CallBody("FM-2", 1'000'000), fes);
  ASSERT_EQ(call.status, 201) << call.body;
  const std::int64_t call_id = call.Json()["id"];

  // Two women registered by the office, their files complete.
  auto woman = [&](const std::string& phone, const std::string& given) {
    Json j{{"kind", "auto_entrepreneur"},
           {"given_name", given},
           {"family_name", "Idrissi"},
           {"birth_date", "1990-01-01"},
           {"phone", phone},
           {"commune_code", kFes},
           {"situations", {"divorced"}},
           {"education", "higher"},
           {"skills", {"couture"}},
           {"project_idea", "Un atelier de couture traditionnelle"}};
    auto r = c_->PostJson(kRegister, j.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r;
  };
  woman("0662000001", "Salma");
  woman("0662000002", "Nadia");
  auto regs = c_->Get("/api/v1/empowerment/registrations", fes).Json()["items"];
  ASSERT_EQ(regs.size(), 2u);
  std::vector<std::string> apps;
  for (const auto& r : regs) {
    auto created = Post(
        "/api/v1/empowerment/calls/" + std::to_string(call_id) + "/applications",
        {{"registration_id", r["id"]}, {"requested_minor", 800'000}, {"summary", "Atelier de couture et vente"}}, fes);
    ASSERT_EQ(created.status, 201) << created.body;
    apps.push_back("/api/v1/empowerment/applications/" + std::to_string(created.Json()["id"].get<std::int64_t>()));
  }

  // Two concurrent submissions of one application: one passes, the other gets 409, one transition stored.
  std::atomic<int> ok{0}, conflict{0};
  {
    std::vector<std::thread> threads;
    threads.reserve(2);
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&] {
        HttpClient c = server_->Client();
        const int st = c.Request("POST", apps[0] + "/submit", "{}", fes).status;
        (st == 200 ? ok : conflict)++;
        EXPECT_TRUE(st == 200 || st == 409 || st == 422) << st;
      });
    }
    for (auto& t : threads) t.join();
  }
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_application_events WHERE to_state = 'submitted'"), 1);

  // Eleven days later the call has closed: the second is submitted too late and stays a draft.
  server_->clock().Advance(std::chrono::hours(24 * 11));
  // The sessions of eleven days ago have expired: the same people sign in again.
  const Headers fes2 = User("fes2", auth::Role::kRegionalCoordinator, "MA-03");
  const Headers amina2 = User("amina2", auth::Role::kCommitteeMember, "MA-03");
  const Headers karim2 = User("karim2", auth::Role::kCommitteeMember, "MA-03");
  auto late = Post(apps[1] + "/submit", Json::object(), fes2);
  ASSERT_EQ(late.status, 422) << late.body;
  EXPECT_EQ(late.Json()["error"]["reason"], "empowerment.call_closed");
  EXPECT_EQ(c_->Get(apps[1], fes2).Json()["state"], "draft");

  // The first through to the committee; an approval beyond what remains of the envelope is refused.
  ASSERT_EQ(Post(apps[0] + "/eligibility", Json::object(), fes2).Json()["state"], "eligible");
  ASSERT_EQ(Post(apps[0] + "/reviews", {{"points", {{"viability", 30}, {"impact", 20}}}}, amina2).status, 200);
  ASSERT_EQ(Post(apps[0] + "/reviews", {{"points", {{"viability", 30}, {"impact", 20}}}}, karim2).status, 200);
  ASSERT_EQ(Post(apps[0] + "/transitions", {{"to", "shortlisted"}}, fes2).status, 200);
  // The other application holds an approval of 500,000 (written in the table directly: the first test goes
  // the whole way to an approval); 500,000 of the 1,000,000 remain.
  {
    auto s = server_->platform().db->Acquire();
    s.sql() << "UPDATE empowerment_applications SET state = 'approved', approved_minor = 500000 WHERE id = (SELECT "
               "MAX(id) FROM empowerment_applications)";
  }
  auto over =
      Post(apps[0] + "/decision", {{"decision", "approved"}, {"amount_minor", 800'000}, {"minutes", "PV 2"}}, amina2);
  ASSERT_EQ(over.status, 422) << over.body;
  EXPECT_EQ(over.Json()["error"]["reason"], "empowerment.over_budget");
  EXPECT_EQ(c_->Get(apps[0], fes2).Json()["proposed_decision"], nullptr);
  // 500,000 fits when proposed; the other approval grows before the confirmation, which checks the
  // envelope again in its own transaction and refuses, changing nothing.
  ASSERT_EQ(
      Post(apps[0] + "/decision", {{"decision", "approved"}, {"amount_minor", 500'000}, {"minutes", "PV 2"}}, amina2)
          .status,
      200);
  {
    auto s = server_->platform().db->Acquire();
    s.sql() << "UPDATE empowerment_applications SET approved_minor = 600000 WHERE id = (SELECT MAX(id) FROM "
               "empowerment_applications)";
  }
  auto late_over = Post(apps[0] + "/decision/confirm", Json::object(), karim2);
  ASSERT_EQ(late_over.status, 422) << late_over.body;
  EXPECT_EQ(late_over.Json()["error"]["reason"], "empowerment.over_budget");
  EXPECT_EQ(c_->Get(apps[0], fes2).Json()["state"], "shortlisted");
  // A rejection needs its reason; a deferral goes back to a later session.
  auto no_reason = Post(apps[0] + "/decision", {{"decision", "rejected"}, {"minutes", "PV 2"}}, amina2);
  EXPECT_EQ(no_reason.status, 422) << no_reason.body;
  ASSERT_EQ(Post(apps[0] + "/decision", {{"decision", "deferred"}, {"reason", "envelope"}, {"minutes", "PV 2"}}, amina2)
                .status,
            200);
  auto deferred = Post(apps[0] + "/decision/confirm", Json::object(), karim2);
  ASSERT_EQ(deferred.status, 200) << deferred.body;
  EXPECT_EQ(deferred.Json()["state"], "deferred");
}

// Issue 13 §3: training attendance as an eligibility and a tranche-release condition (docs/empowerment.md
// §Training as a condition), answered by the trainings' own query over her attendance.
TEST_F(EmpowermentFundingApi, ARequiredTrainingIsCheckedAtEligibilityAndBeforeATrancheIsPaid) {
  const Headers fes = User("fes", auth::Role::kRegionalCoordinator, "MA-03");
  const Headers amina = User("amina", auth::Role::kCommitteeMember, "MA-03");
  const Headers karim = User("karim", auth::Role::kCommitteeMember, "MA-03");
  Json body = CallBody("FM-T", 5'000'000);
  body["eligibility"]["requires_training"] = "cooking";
  auto bad = Post("/api/v1/empowerment/calls", body, fes);
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.Json()["error"]["problems"][0]["field"], "eligibility.requires_training");
  body["eligibility"]["requires_training"] = "digital_skills";
  auto call = Post("/api/v1/empowerment/calls", body, fes);
  ASSERT_EQ(call.status, 201) << call.body;
  EXPECT_EQ(call.Json()["eligibility"]["requires_training"], "digital_skills");
  const std::string call_path = "/api/v1/empowerment/calls/" + std::to_string(call.Json()["id"].get<std::int64_t>());

  // Two widows; only Nadia attends the digital-skills session (one day, three days ago: completed).
  std::map<std::string, std::int64_t> id;
  std::map<std::string, std::string> tracking;
  for (const auto& [given, phone] : {std::pair{"Salma", "0662000011"}, std::pair{"Nadia", "0662000012"}}) {
    Json j{{"kind", "auto_entrepreneur"},
           {"given_name", given},
           {"family_name", "Idrissi"},
           {"birth_date", "1990-01-01"},
           {"phone", phone},
           {"commune_code", kFes},
           {"situations", {"widow"}},
           {"education", "higher"},
           {"skills", {"couture"}},
           {"project_idea", "Un atelier de couture traditionnelle"}};
    auto registered = c_->PostJson(kRegister, j.dump());
    ASSERT_EQ(registered.status, 201) << registered.body;
    tracking[given] = registered.Json()["tracking_code"];
  }
  const Json regs = c_->Get("/api/v1/empowerment/registrations", fes).Json();
  for (const auto& r : regs["items"]) id[r["given_name_lat"].get<std::string>()] = r["id"];
  const std::string held = Day(-3);
  auto session = Post("/api/v1/empowerment/trainings",
                      {{"topic", "digital_skills"},
                       {"title_ar", "المهارات الرقمية للمقاولات"},
                       {"title_fr", "Compétences numériques pour entreprendre"},
                       {"trainers", {{{"name", "Salma Idrissi"}}}},
                       {"capacity", 10},
                       {"commune_code", kFes},
                       {"address", "Maison de la femme, Fès"},
                       {"starts_at", held + "T08:00:00Z"},
                       {"ends_at", held + "T16:00:00Z"}},
                      fes);
  ASSERT_EQ(session.status, 201) << session.body;
  const std::string training =
      "/api/v1/empowerment/trainings/" + std::to_string(session.Json()["id"].get<std::int64_t>());
  auto enrolled = Post(training + "/enrolments", {{"registration_id", id["Nadia"]}}, fes);
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  auto marked = c_->Request(
      "PUT", training + "/attendance",
      Json{{"day", held}, {"marks", {{{"registration_id", id["Nadia"]}, {"mark", "present"}}}}}.dump(), fes);
  ASSERT_EQ(marked.status, 200) << marked.body;

  // Both apply and submit; eligibility: Salma lacks the training (named), Nadia is eligible.
  std::map<std::string, std::string> at;
  for (const auto& who : {"Salma", "Nadia"}) {
    auto created = Post(call_path + "/applications",
                        {{"registration_id", id[who]},
                         {"requested_minor", 800'000},
                         {"summary", "Atelier de couture et vente en ligne"}},
                        fes);
    ASSERT_EQ(created.status, 201) << created.body;
    at[who] = "/api/v1/empowerment/applications/" + std::to_string(created.Json()["id"].get<std::int64_t>());
    ASSERT_EQ(Post(at[who] + "/submit", Json::object(), fes).status, 200);
  }
  auto salma = Post(at["Salma"] + "/eligibility", Json::object(), fes);
  ASSERT_EQ(salma.status, 200) << salma.body;
  EXPECT_EQ(salma.Json()["state"], "ineligible");
  EXPECT_EQ(salma.Json()["reasons"], Json::array({"empowerment.training_required"}));
  // Her status page names the reason and the call's condition.
  const Json hers = c_->Get(std::string(kRegister) + "/" + tracking["Salma"] + "/applications").Json();
  EXPECT_EQ(hers["applications"][0]["reasons"], Json::array({"empowerment.training_required"}));
  EXPECT_EQ(hers["applications"][0]["call"]["requires_training"], "digital_skills");
  auto nadia = Post(at["Nadia"] + "/eligibility", Json::object(), fes);
  ASSERT_EQ(nadia.status, 200) << nadia.body;
  EXPECT_EQ(nadia.Json()["state"], "eligible");

  // Nadia is scored, shortlisted and approved; her agreement ties the second tranche to a business-creation
  // training she has not taken.
  const std::string& a = at["Nadia"];
  ASSERT_EQ(Post(a + "/reviews", {{"points", {{"viability", 30}, {"impact", 20}}}}, amina).status, 200);
  ASSERT_EQ(Post(a + "/reviews", {{"points", {{"viability", 35}, {"impact", 25}}}}, karim).status, 200);
  ASSERT_EQ(Post(a + "/transitions", {{"to", "shortlisted"}}, fes).status, 200);
  ASSERT_EQ(
      Post(a + "/decision", {{"decision", "approved"}, {"amount_minor", 800'000}, {"minutes", "PV 2"}}, amina).status,
      200);
  ASSERT_EQ(Post(a + "/decision/confirm", Json::object(), karim).status, 200);
  auto unknown =
      Post(a + "/agreement",
           {{"tranches", {{{"milestone", "m"}, {"amount_minor", 800'000}, {"requires_training", "cooking"}}}}}, fes);
  ASSERT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(unknown.Json()["error"]["problems"][0]["field"], "tranches[0].requires_training");
  auto signed_ = Post(
      a + "/agreement",
      {{"tranches",
        {{{"milestone", "Matériel acheté"}, {"amount_minor", 500'000}, {"requires_training", "digital_skills"}},
         {{"milestone", "Activité lancée"}, {"amount_minor", 300'000}, {"requires_training", "business_creation"}}}}},
      fes);
  ASSERT_EQ(signed_.status, 200) << signed_.body;
  EXPECT_EQ(Post(a + "/tranches/1/pay", Json::object(), fes).status, 200);
  auto refused = Post(a + "/tranches/2/pay", Json::object(), fes);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["reason"], "empowerment.tranche_training_required");
  EXPECT_EQ(refused.Json()["error"]["field"], "requires_training");
  // Nothing changed: the tranche unpaid, the application still funded.
  auto detail = c_->Get(a, fes).Json();
  EXPECT_EQ(detail["state"], "funded");
  EXPECT_TRUE(detail["tranches"][1]["paid_on"].is_null());
  EXPECT_EQ(detail["tranches"][1]["requires_training"], "business_creation");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_tranches WHERE paid_on IS NOT NULL"), 1);
}

}  // namespace
}  // namespace sanad::testing
