// Trainings of the women's empowerment platform over HTTP, on SQLite and PostgreSQL (SANAD_TEST_DB
// selects; docs/empowerment.md#trainings): a coordinator creates a session, women take its seats and
// then its waiting list, a cancellation gives the seat to the first woman waiting, attendance per day
// completes a woman at 80 % of the days, her certificate is a PDF in Arabic and French whose code anyone
// can check publicly (her initials only), and 16 concurrent enrolments for the last seat give exactly
// one seat. Bad input (another region's session or woman, attendance of a woman without a seat, a day
// outside the session, a certificate before completion) is refused and changes nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "db/row.h"
#include "empowerment/training_store.h"
#include "empowerment_fixture.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kFes = "MA-03.231.01.03";   // Fès-Meknès (MA-03)
constexpr const char* kCasa = "MA-06.371.01.01";  // Casablanca-Settat (MA-06)
constexpr const char* kTrainings = "/api/v1/empowerment/trainings";

class TrainingApi : public EmpowermentServerTest {
 protected:
  // A woman's registration as the public form stores it (the form itself is tested in empowerment_test).
  std::int64_t Woman(const std::string& given_ar, const std::string& family_ar, const std::string& commune = kFes) {
    auto s = server_->platform().db->Acquire();
    const std::string hash = "hash-" + std::to_string(++women_), phone = "+2126612" + std::to_string(10000 + women_);
    const std::string now = "2026-01-05T10:00:00.000000Z";
    long long id = 0;
    s.sql() << "INSERT INTO empowerment_registrations (code_hash, status, kind, given_name_ar, family_name_ar, "
               "given_key, family_key, birth_date, phone, commune_code, situations, skills, created_at, updated_at, "
               "version) VALUES (:h, 'complete', 'auto_entrepreneur', :g, :f, :gk, :fk, '1988-04-12', :ph, :c, '[]', "
               "'[]', :at, :at2, 1) RETURNING id",
        soci::use(hash), soci::use(given_ar), soci::use(family_ar), soci::use(given_ar), soci::use(family_ar),
        soci::use(phone), soci::use(commune), soci::use(now), soci::use(now), soci::into(id);
    return id;
  }

  static Json Session(long long capacity, const std::string& commune = kFes) {
    return {{"topic", "digital_skills"},
            {"title_ar", "المهارات الرقمية للمقاولات"},
            {"title_fr", "Compétences numériques pour entreprendre"},
            {"trainers", {{{"name", "Salma Idrissi"}}}},
            {"capacity", capacity},
            {"commune_code", commune},
            {"address", "Maison de la femme, Fès"},
            {"starts_at", "2026-03-02T08:00:00Z"},
            {"ends_at", "2026-03-06T16:00:00Z"}};
  }

  std::int64_t Create(const Json& body) {
    auto r = c_->PostJson(kTrainings, body.dump(), Fes());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("id", std::int64_t{0});
  }

  HttpResponse Enrol(std::int64_t training, std::int64_t woman, const Headers& as) {
    return c_->PostJson(Path(training) + "/enrolments", Json{{"registration_id", woman}}.dump(), as);
  }
  HttpResponse Mark(std::int64_t training, const std::string& day, const Json& marks) {
    Headers h = Fes();
    h.emplace_back("Content-Type", "application/json");
    return c_->Request("PUT", Path(training) + "/attendance", Json{{"day", day}, {"marks", marks}}.dump(), h);
  }
  static std::string Path(std::int64_t training) { return std::string(kTrainings) + "/" + std::to_string(training); }

  long long Count(const std::string& query) {
    auto s = server_->platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  int women_ = 0;
};

TEST_F(TrainingApi, SeatsWaitingListAttendanceCompletionAndCertificates) {
  const std::int64_t training = Create(Session(2));
  const std::int64_t fatima = Woman("فاطمة", "العلوي"), khadija = Woman("خديجة", "بناني"),
                     amina = Woman("أمينة", "التازي");
  const std::int64_t casablanca = Woman("سعاد", "الرامي", kCasa);

  // Two seats, then the waiting list.
  EXPECT_EQ(Enrol(training, fatima, Fes()).Json()["status"], "registered");
  EXPECT_EQ(Enrol(training, khadija, Fes()).Json()["status"], "registered");
  auto third = Enrol(training, amina, Fes());
  ASSERT_EQ(third.status, 201) << third.body;
  EXPECT_EQ(third.Json()["status"], "waiting");
  auto read = c_->Get(Path(training), Fes());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json()["registered"], 2);
  EXPECT_EQ(read.Json()["waiting"], 1);
  EXPECT_EQ(read.Json()["seats_left"], 0);
  EXPECT_EQ(read.Json()["days"].size(), 5u);
  EXPECT_EQ(read.Json()["days_to_complete"], 4);
  EXPECT_EQ(read.Json()["enrolments"][0]["given_name"], "فاطمة");

  // Twice the same woman: 409. A woman of another region: 404. Another region's coordinator sees nothing.
  EXPECT_EQ(Enrol(training, fatima, Fes()).status, 409);
  auto outsider = Enrol(training, casablanca, Fes());
  EXPECT_EQ(outsider.status, 404);
  EXPECT_EQ(outsider.Json()["error"]["reason"], "empowerment.registration_not_found") << outsider.body;
  EXPECT_EQ(c_->Get(Path(training), Casa()).status, 404);
  EXPECT_EQ(Enrol(training, casablanca, Casa()).status, 404);
  EXPECT_EQ(c_->Get(kTrainings, Casa()).Json()["items"].size(), 0u);
  EXPECT_EQ(c_->Get(kTrainings, Fes()).Json()["items"].size(), 1u);
  EXPECT_EQ(c_->Get(std::string(kTrainings) + "?from=2026-03-03", Fes()).Json()["items"].size(), 0u);
  EXPECT_EQ(c_->Get(std::string(kTrainings) + "?from=2026-03-02&to=2026-03-02", Fes()).Json()["items"].size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_training_enrolments"), 3);

  // Khadija cancels: Amina, the first waiting, takes her seat.
  Headers fes = Fes();
  auto cancel = c_->Request("DELETE", Path(training) + "/enrolments/" + std::to_string(khadija), "", fes);
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(cancel.Json()["promoted"], amina);

  // Attendance: a cancelled woman has no seat (422 naming her row) and the whole day is refused.
  auto refused =
      Mark(training, "2026-03-02",
           {{{"registration_id", fatima}, {"mark", "present"}}, {{"registration_id", khadija}, {"mark", "present"}}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["field"], "marks[1].registration_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_training_attendance"), 0);
  auto off_day = Mark(training, "2026-03-09", {{{"registration_id", fatima}, {"mark", "present"}}});
  EXPECT_EQ(off_day.status, 422);
  EXPECT_EQ(off_day.Json()["error"]["reason"], "empowerment.not_a_session_day");

  // Fatima present four days of five (80 %): completed on the fourth. Amina present once, excused once.
  const char* days[] = {"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"};
  for (int i = 0; i < 4; ++i) {
    auto day = Mark(training, days[i],
                    {{{"registration_id", fatima}, {"mark", "present"}},
                     {{"registration_id", amina}, {"mark", i == 0 ? "present" : (i == 1 ? "excused" : "absent")}}});
    ASSERT_EQ(day.status, 200) << day.body;
  }
  read = c_->Get(Path(training), Fes());
  const Json sheet = read.Json()["enrolments"];
  ASSERT_EQ(sheet.size(), 3u);
  EXPECT_EQ(sheet[0]["status"], "completed");
  EXPECT_EQ(sheet[0]["completed_on"], "2026-03-05");
  EXPECT_EQ(sheet[0]["attendance"]["2026-03-03"], "present");
  EXPECT_EQ(sheet[1]["status"], "cancelled");
  EXPECT_EQ(sheet[2]["status"], "registered");
  EXPECT_EQ(sheet[2]["attendance"]["2026-03-03"], "excused");
  EXPECT_EQ(read.Json()["completed"], 1);

  // The funding side's question: has she completed a digital-skills training by a date?
  empowerment::TrainingStore store(*server_->platform().db);
  EXPECT_EQ(store.HasCompletedTraining(fatima, "digital_skills", "2026-03-05"), true);
  EXPECT_EQ(store.HasCompletedTraining(fatima, "digital_skills", "2026-03-04"), false);
  EXPECT_EQ(store.HasCompletedTraining(fatima, "management", "2026-12-31"), false);
  EXPECT_EQ(store.HasCompletedTraining(amina, "digital_skills", "2026-12-31"), false);

  // No certificate before completion; none for a woman outside the reader's area.
  const std::string cert = Path(training) + "/certificates/";
  auto early = c_->Get(cert + std::to_string(amina) + ".pdf?lang=fr", Fes());
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(early.Json()["error"]["reason"], "empowerment.training_not_completed");
  EXPECT_EQ(c_->Get(cert + std::to_string(fatima) + ".pdf", Casa()).status, 404);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_certificates"), 0);

  // Her certificate in Arabic and in French, each with its own verification code.
  std::vector<std::string> codes;
  for (const char* lang : {"ar", "fr"}) {
    auto pdf = c_->Get(cert + std::to_string(fatima) + ".pdf?lang=" + lang, Fes());
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    EXPECT_EQ(pdf.Header("content-type"), "application/pdf");
    EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    codes.push_back(pdf.Header("sanad-verification-code").value_or(""));
    EXPECT_EQ(codes.back().size(), 19u);
  }
  EXPECT_NE(codes[0], codes[1]);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_certificates"), 2);

  // Anyone checks a code without an account: the training and her initials, nothing else of her.
  auto check = c_->Get("/api/v1/public/empowerment/certificates/" + codes[0]);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(check.Json()["valid"], true);
  EXPECT_EQ(check.Json()["initials"], "ف. ا.");
  EXPECT_EQ(check.Json()["title_fr"], "Compétences numériques pour entreprendre");
  EXPECT_EQ(check.Json()["completed_on"], "2026-03-05");
  EXPECT_EQ(check.body.find("فاطمة"), std::string::npos);
  EXPECT_EQ(c_->Get("/api/v1/public/empowerment/certificates/AAAA-BBBB-CCCC-DDDD").status, 404);
  EXPECT_EQ(c_->Get("/api/v1/public/empowerment/certificates/not-a-code").status, 404);

  // Every read of the attendance sheet is audited with the women it showed.
  // The regional figures count them (GROUP BY in the database), within the reader's area, as JSON, CSV, XLSX.
  auto figures = c_->Get("/api/v1/empowerment/figures", Fes());
  ASSERT_EQ(figures.status, 200) << figures.body;
  const Json fj = figures.Json();
  ASSERT_EQ(fj["trainings"].size(), 1u) << fj;
  EXPECT_EQ(fj["trainings"][0],
            Json({{"topic", "digital_skills"}, {"registered", 2}, {"attended", 2}, {"completed", 1}}));
  ASSERT_EQ(fj["women"].size(), 1u) << fj;  // the Casablanca woman is outside the reader's area
  EXPECT_EQ(fj["women"][0]["women"], 3);
  EXPECT_EQ(fj["women"][0]["commune_code"], kFes);
  auto casa_figures = c_->Get("/api/v1/empowerment/figures", Casa()).Json();
  EXPECT_EQ(casa_figures["trainings"].size(), 0u);
  EXPECT_EQ(casa_figures["women"][0]["women"], 1);
  auto csv = c_->Get("/api/v1/empowerment/figures.csv", Fes());
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("trainings,digital_skills,,completed,1"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(std::string("women,") + kFes + ",auto_entrepreneur,complete,3"), std::string::npos);
  auto xlsx = c_->Get("/api/v1/empowerment/figures.xlsx", Fes());
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);

  auto auditor = Login("auditor", server_->AddUser("auditor", {auth::Role::kAuditor}));
  auto audit = c_->Get("/api/v1/audit?action=view&record_type=empowerment_training", auditor);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_GE(audit.Json()["total"].get<long long>(), 2) << audit.body;
}

TEST_F(TrainingApi, SixteenConcurrentEnrolmentsForTheLastSeatGiveExactlyOneSeat) {
  const std::int64_t training = Create(Session(3));
  EXPECT_EQ(Enrol(training, Woman("أ", "ب"), Fes()).Json()["status"], "registered");
  EXPECT_EQ(Enrol(training, Woman("ج", "د"), Fes()).Json()["status"], "registered");
  std::vector<std::int64_t> women;
  women.reserve(16);
  for (int i = 0; i < 16; ++i) women.push_back(Woman("امرأة", "رقم" + std::to_string(i)));
  const Headers fes = Fes();
  std::atomic<int> registered{0}, waiting{0}, other{0};
  std::vector<std::thread> threads;
  threads.reserve(women.size());
  for (std::int64_t w : women) {
    threads.emplace_back([&, w] {
      HttpClient c = server_->Client();
      auto r = c.PostJson(Path(training) + "/enrolments", Json{{"registration_id", w}}.dump(), fes);
      const std::string status = r.status == 201 ? r.Json().value("status", "") : "";
      (status == "registered" ? registered : status == "waiting" ? waiting : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(registered, 1);
  EXPECT_EQ(waiting, 15);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_training_enrolments WHERE status = 'registered'"), 3);
}

TEST_F(TrainingApi, BadSessionsAreRefusedNamingEveryFieldAndStoreNothing) {
  Json bad = Session(0);
  bad["topic"] = "cooking";
  bad["ends_at"] = "yesterday";
  auto r = c_->PostJson(kTrainings, bad.dump(), Fes());
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.Json()["error"]["reason"], "empowerment.training_invalid");
  EXPECT_EQ(r.Json()["error"]["problems"].size(), 3u) << r.body;
  // A commune outside the coordinator's region.
  auto outside = c_->PostJson(kTrainings, Session(10, kCasa).dump(), Fes());
  EXPECT_EQ(outside.status, 422) << outside.body;
  EXPECT_EQ(outside.Json()["error"]["field"], "commune_code");
  // A trainer's staff account must exist; the coordinator's own does.
  Json staff = Session(10);
  staff["trainers"] = Json::array({{{"name", "Salma Idrissi"}}, {{"name", "Nadia"}, {"username", "nobody"}}});
  auto unknown = c_->PostJson(kTrainings, staff.dump(), Fes());
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(unknown.Json()["error"]["field"], "trainers[1].username");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_trainings"), 0);
  staff["trainers"][1]["username"] = "fes";
  EXPECT_EQ(c_->PostJson(kTrainings, staff.dump(), Fes()).status, 201);
  // The French text of an error comes from the catalogue.
  auto fr = c_->Get(Path(999), Headers{Fes()[0], {"Accept-Language", "fr"}});
  EXPECT_EQ(fr.status, 404);
  EXPECT_NE(fr.body.find("Aucune session de formation"), std::string::npos) << fr.body;
}

TEST_F(TrainingApi, VisitsNextStepsAndMonitoringFallOverdueOnTheDayAsked) {
  const std::int64_t fatima = Woman("فاطمة", "العلوي"), other = Woman("سعاد", "الرامي", kCasa);
  const std::string visits = "/api/v1/empowerment/registrations/" + std::to_string(fatima) + "/visits";
  Headers fes = Fes();
  fes.emplace_back("Content-Type", "application/json");

  // Her activity started on 31 August 2025: monitoring falls due on 28 February 2026 (6 months, clamped),
  // 31 August 2026 and 31 August 2027.
  auto start = c_->Request("PUT", "/api/v1/empowerment/registrations/" + std::to_string(fatima) + "/activity-start",
                           Json{{"started_on", "2025-08-31"}}.dump(), fes);
  ASSERT_EQ(start.status, 200) << start.body;
  auto accompaniment = c_->PostJson(visits,
                                    Json{{"kind", "accompaniment"},
                                         {"visited_on", "2026-01-10"},
                                         {"visitor", "نادية"},
                                         {"notes", "Stand au souk hebdomadaire"},
                                         {"next_step", "Ouvrir un compte bancaire"},
                                         {"next_step_due", "2026-02-01"}}
                                        .dump(),
                                    Fes());
  ASSERT_EQ(accompaniment.status, 201) << accompaniment.body;

  auto overdue = [&](const std::string& day) {
    auto r = c_->Get("/api/v1/empowerment/visits/overdue?as_of=" + day, Fes());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  };
  // On 1 February nothing is late yet; on 2 February the next step is; on 1 March the 6-month monitoring too.
  EXPECT_EQ(overdue("2026-02-01")["next_steps"].size(), 0u);
  EXPECT_EQ(overdue("2026-02-02")["next_steps"].size(), 1u);
  Json march = overdue("2026-03-01");
  ASSERT_EQ(march["monitoring"].size(), 1u) << march;
  EXPECT_EQ(march["monitoring"][0]["milestone_months"], 6);
  EXPECT_EQ(march["monitoring"][0]["due"], "2026-02-28");

  // The 6-month monitoring visit: it follows up the next step and covers the milestone.
  auto monitoring = c_->PostJson(visits,
                                 Json{{"kind", "monitoring"},
                                      {"visited_on", "2026-03-03"},
                                      {"visitor", "نادية"},
                                      {"milestone_months", 6},
                                      {"activity_running", true},
                                      {"monthly_income", 350000},
                                      {"jobs_created", 2}}
                                     .dump(),
                                 Fes());
  ASSERT_EQ(monitoring.status, 201) << monitoring.body;
  auto twelve = c_->PostJson(visits,
                             Json{{"kind", "monitoring"},
                                  {"visited_on", "2026-09-02"},
                                  {"visitor", "نادية"},
                                  {"milestone_months", 12},
                                  {"activity_running", true}}
                                 .dump(),
                             Fes());
  ASSERT_EQ(twelve.status, 201) << twelve.body;
  auto activities = c_->Get("/api/v1/empowerment/figures", Fes()).Json()["activities"];
  EXPECT_EQ(activities, Json({{"monitored_at_12_months", 1}, {"running_at_12_months", 1}}));
  Json after = overdue("2026-03-05");
  EXPECT_EQ(after["next_steps"].size(), 0u);
  EXPECT_EQ(after["monitoring"].size(), 0u);
  EXPECT_EQ(overdue("2026-09-01")["monitoring"].size(), 0u);  // the 12-month visit is recorded

  auto list = c_->Get(visits, Fes());
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json()["activity_started_on"], "2025-08-31");
  ASSERT_EQ(list.Json()["items"].size(), 3u);
  EXPECT_EQ(list.Json()["items"][1]["monthly_income"], 350000);

  // Another region's coordinator sees neither her visits nor her overdue steps; bad visits change nothing.
  EXPECT_EQ(c_->Get(visits, Casa()).status, 404);
  EXPECT_EQ(c_->Get("/api/v1/empowerment/visits/overdue?as_of=2026-09-01", Casa()).Json()["monitoring"].size(), 0u);
  EXPECT_EQ(c_->PostJson("/api/v1/empowerment/registrations/" + std::to_string(other) + "/visits",
                         Json{{"kind", "accompaniment"}, {"visited_on", "2026-01-10"}, {"visitor", "x"}}.dump(), Fes())
                .status,
            404);
  auto bad =
      c_->PostJson(visits, Json{{"kind", "monitoring"}, {"visited_on", "2026-03-03"}, {"visitor", "x"}}.dump(), Fes());
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.Json()["error"]["problems"].size(), 2u) << bad.body;  // milestone and activity_running
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_visits"), 3);
}

}  // namespace
}  // namespace sanad::testing
