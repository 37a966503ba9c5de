// Grievances and appeals, and alternative-care placements, over HTTP on SQLite and PostgreSQL
// (SANAD_TEST_DB; docs/grievances.md, docs/cases.md#placements): public filing with every invalid field
// named, the per-address limit, the status page by code without staff data, worker filing linked to a
// payment / a case / a programme decision, links outside the worker's area refused as unknown, the area
// scope of reads, resolution, the citizen's appeal by code within 30 days, four eyes on the appeal
// decision, the SLA deadline missed and escalated once by the job with the test clock moved by hand,
// every staff read audited, and placements whose follow-up visit is overdue.
#include <gtest/gtest.h>

#include <thread>

#include "core/tracking_code.h"
#include "db/row.h"
#include "grievances/grievance.h"
#include "http/rate_limiter.h"
#include "tests/http/test_server.h"
#include "tests/support/test_db.h"

namespace sanad::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kCasa = "MA-03.231.01.03";
constexpr const char* kOther = "MA-06.371.01.01";
constexpr const char* kStaffNote = "NOTE-INTERNE-9c1: le contrôleur a signalé un doublon";

class GrievancesApi : public ::testing::Test {
 protected:
  TestServerOptions Options() const {
    TestServerOptions o;
    o.db_url = db_url_;
    // The test moves the clock by weeks (SLA, appeal window): sessions must outlive it.
    o.session.idle_timeout = std::chrono::hours(24 * 365);
    o.session.absolute_timeout = std::chrono::hours(24 * 365);
    return o;
  }

  void SetUp() override {
    worker_ = Login("worker", {auth::Role::kSocialWorker}, "MA-03");
    coord_ = Login("coord", {auth::Role::kRegionalCoordinator}, "MA-03");
    coord2_ = Login("coord2", {auth::Role::kRegionalCoordinator}, "MA-03");
    other_coord_ = Login("othercoord", {auth::Role::kRegionalCoordinator}, "MA-06");
  }

  BrowserSession Login(const std::string& name, const std::vector<auth::Role>& roles,
                       const std::optional<std::string>& area) {
    auto s = LoginBrowser(c_, name, server_.AddUser(name, roles, area));
    if (!s) throw std::runtime_error("cannot sign in " + name);
    return *s;
  }

  HttpResponse Post(const std::string& target, const json& body, const BrowserSession& who) {
    auto h = who.Auth();
    h.emplace_back("Content-Type", "application/json");
    return c_.Request("POST", target, body.dump(), h);
  }
  HttpResponse PublicPost(const std::string& target, const json& body) { return c_.PostJson(target, body.dump()); }
  HttpResponse Get(const std::string& target, const BrowserSession& who) { return c_.Get(target, who.Auth(false)); }

  long long Count(const std::string& query) {
    auto s = server_.platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  long long Household(const std::string& commune, const std::string& ref) {
    auto s = server_.platform().db->Acquire();
    s.sql() << "INSERT INTO households (ref, commune_code, urban, status, created_at, updated_at) VALUES "
               "(:r, :c, 1, 'active', 'now', 'now')",
        soci::use(ref), soci::use(commune);
    long long h = 0;
    s.sql() << "SELECT id FROM households WHERE ref = :r", soci::use(ref), soci::into(h);
    return h;
  }

  // A cycle of ASD with one batch, and a payment to a household of `commune` (fixture rows: the payment
  // module's own tests make them through its routes).
  long long Payment(const std::string& commune, const std::string& e2e) {
    const long long h = Household(commune, "GH-" + e2e);
    auto s = server_.platform().db->Acquire();
    long long cycle = 0, batch = 0, pay = 0;
    const std::string period = "2026-" + std::to_string(10 + (++n_ % 3));
    s.sql() << "INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, "
               "generated_at, generated_by) VALUES ('ASD', :p, 'now', 'paid', 'MAD', 'd', 'now', 'test') RETURNING id",
        soci::use(period), soci::into(cycle);
    s.sql() << "INSERT INTO payment_batches (cycle_id, programme, channel, currency, state, created_at, created_by) "
               "VALUES (:c, 'ASD', 'bank_transfer', 'MAD', 'exported', 'now', 'test') RETURNING id",
        soci::use(cycle), soci::into(batch);
    s.sql() << "INSERT INTO payments (batch_id, cycle_id, household_id, commune_code, end_to_end_id, amount_minor, "
               "currency, channel, status) VALUES (:b, :c, :h, :co, :e, 50000, 'MAD', 'bank_transfer', 'failed') "
               "RETURNING id",
        soci::use(batch), soci::use(cycle), soci::use(h), soci::use(commune), soci::use(e2e), soci::into(pay);
    cycle_ = cycle;
    household_ = h;
    return pay;
  }

  json Valid() {
    return {{"category", "payment_not_received"},
            {"description", "لم أتوصل بمنحة الدعم الاجتماعي المباشر لشهر أكتوبر"},
            {"commune_code", kCasa},
            {"complainant_phone", "0612345678"},
            {"national_id", "BK123456"}};
  }

  static json With(json j, const std::string& key, const std::string& value) {
    j[key] = value;
    return j;
  }

  std::string Url(std::int64_t id, const std::string& tail = "") {
    return "/api/v1/grievances/" + std::to_string(id) + tail;
  }

  // Runs the escalation pass through its route and waits for the job to finish.
  json Escalate() {
    auto started = Post("/api/v1/grievances/escalation", json::object(), coord_);
    EXPECT_EQ(started.status, 202) << started.body;
    const std::string target =
        "/api/v1/grievances/escalation/" + std::to_string(started.Json()["id"].get<std::int64_t>());
    json job;
    for (int i = 0; i < 400; ++i) {
      job = Get(target, coord_).Json();
      if (job["status"] != "queued" && job["status"] != "running") break;
      std::this_thread::sleep_for(20ms);  // polls the job runner's thread; the deadlines use the test clock
    }
    EXPECT_EQ(job["status"], "succeeded") << job;
    return job;
  }

  std::string Today() { return DateOf(server_.clock().Now()).ToString(); }

  const std::string db_url_ = FreshDatabaseUrl(BackendFromEnv());
  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
  BrowserSession worker_, coord_, coord2_, other_coord_;
  long long cycle_ = 0, household_ = 0;
  int n_ = 0;
};

TEST_F(GrievancesApi, ACitizenFilesFollowsAndAppealsByCodeWithoutSeeingStaffData) {
  // Every invalid field at once, and nothing stored.
  auto bad = PublicPost("/api/v1/public/grievances",
                        {{"category", "bribe"}, {"description", ""}, {"complainant_phone", "abc"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  std::set<std::string> fields;
  const json bad_body = bad.Json();
  for (const auto& p : bad_body["error"]["problems"]) fields.insert(p["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"category", "description", "commune_code", "complainant_phone"}))
      << bad.body;
  // A region is not a commune: named with the other problems of the form.
  json region_only = With(Valid(), "commune_code", "MA-03");
  region_only["description"] = "";
  auto not_commune = PublicPost("/api/v1/public/grievances", region_only);
  ASSERT_EQ(not_commune.status, 422) << not_commune.body;
  EXPECT_EQ(not_commune.Json()["error"]["problems"].size(), 2u) << not_commune.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grievances"), 0);

  auto filed = PublicPost("/api/v1/public/grievances", Valid());
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::string code = filed.Json()["tracking_code"];
  EXPECT_EQ(code.size(), 24u);  // 20 characters in groups of four
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grievances WHERE channel = 'web' AND filed_by IS NULL AND commune_code = '" +
                  std::string(kCasa) + "'"),
            1);
  // Only the code's hash is stored.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grievances WHERE code_hash = '" +
                  core::CodeHash(*core::NormaliseCode(code, grievances::kTrackingCodeChars)) + "'"),
            1);

  auto status = c_.Get("/api/v1/public/grievances/" + code);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.Json()["status"], "received");
  EXPECT_EQ(status.Json()["can_appeal"], false);
  EXPECT_EQ(c_.Get("/api/v1/public/grievances/ABCD-EFGH-JKMN-PQRS-TVWX").status, 404);

  // The coordinator of the area sees it and resolves it with a staff note.
  auto list = Get("/api/v1/grievances?status=received", coord_).Json();
  ASSERT_EQ(list["total"], 1) << list;
  const auto id = list["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(list["items"][0]["national_id"], "BK123456");
  EXPECT_EQ(Get("/api/v1/grievances", other_coord_).Json()["total"], 0);
  EXPECT_EQ(Get(Url(id), other_coord_).status, 404);
  ASSERT_EQ(Post(Url(id, "/review"), json::object(), coord_).status, 200);
  auto incomplete = Post(Url(id, "/resolve"), {{"outcome", "maybe"}}, coord_);
  ASSERT_EQ(incomplete.status, 422) << incomplete.body;
  EXPECT_EQ(incomplete.Json()["error"]["problems"].size(), 2u) << incomplete.body;
  auto resolved = Post(Url(id, "/resolve"),
                       {{"outcome", "upheld"},
                        {"resolution", "Le paiement sera réémis avec le prochain lot."},
                        {"internal_note", kStaffNote}},
                       coord_);
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(resolved.Json()["status"], "resolved");

  // The status page: the public resolution, never the staff note, a name or the complainant's data.
  status = c_.Get("/api/v1/public/grievances/" + code);
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(status.Json()["resolution"], "Le paiement sera réémis avec le prochain lot.");
  EXPECT_EQ(status.Json()["can_appeal"], true);
  for (const char* leak : {"NOTE-INTERNE", "coord", "0612345678", "BK123456", "description"})
    EXPECT_EQ(status.body.find(leak), std::string::npos) << leak << " in " << status.body;

  // Appeal by code; the resolver may not decide it (four eyes); another coordinator does.
  EXPECT_EQ(PublicPost("/api/v1/public/grievances/" + code + "/appeal", json::object()).status, 422);
  auto appealed = PublicPost("/api/v1/public/grievances/" + code + "/appeal", {{"reason", "لم يصلني شيء بعد"}});
  ASSERT_EQ(appealed.status, 200) << appealed.body;
  EXPECT_EQ(appealed.Json()["status"], "appealed");
  auto self = Post(Url(id, "/appeal-decision"), {{"outcome", "upheld"}, {"decision", "Confirmé."}}, coord_);
  ASSERT_EQ(self.status, 422) << self.body;
  EXPECT_EQ(self.Json()["error"]["reason"], "grievance.four_eyes") << self.body;
  auto decided =
      Post(Url(id, "/appeal-decision"), {{"outcome", "partly_upheld"}, {"decision", "Réémis ce mois."}}, coord2_);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.Json()["appeal_decided_by"], "coord2");
  EXPECT_EQ(c_.Get("/api/v1/public/grievances/" + code).Json()["appeal_decision"], "Réémis ce mois.");
  ASSERT_EQ(Post(Url(id, "/close"), json::object(), coord_).status, 200);
  EXPECT_EQ(c_.Get("/api/v1/public/grievances/" + code).Json()["status"], "closed");

  // The timeline, and every staff read audited.
  auto page = Get(Url(id), coord_).Json();
  std::vector<std::string> kinds;
  for (const auto& e : page.at("timeline")) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"filed", "review", "resolve", "appeal", "decide_appeal", "close"}));
  auto auditor = Login("auditor", {auth::Role::kAuditor}, std::nullopt);
  auto views = Get("/api/v1/audit?record_type=grievance&action=view&record_id=" + std::to_string(id), auditor).Json();
  EXPECT_GE(views["total"].get<long long>(), 1) << views;
  MakeAuditUnwritable(*server_.platform().db, true);
  EXPECT_EQ(Get(Url(id), coord_).status, 503);
  MakeAuditUnwritable(*server_.platform().db, false);
}

TEST_F(GrievancesApi, TheAppealWindowClosesThirtyDaysAfterTheResolution) {
  auto filed = PublicPost("/api/v1/public/grievances", Valid());
  ASSERT_EQ(filed.status, 201);
  const std::string code = filed.Json()["tracking_code"];
  const auto id = Get("/api/v1/grievances", coord_).Json()["items"][0]["id"].get<std::int64_t>();
  ASSERT_EQ(Post(Url(id, "/resolve"), {{"outcome", "rejected"}, {"resolution", "Hors délai."}}, coord_).status, 200);
  EXPECT_EQ(Post(Url(id, "/close"), json::object(), coord_).Json()["error"]["reason"],
            "grievance.appeal_pending_window");
  server_.clock().Advance(std::chrono::hours(24 * 31));
  auto late = PublicPost("/api/v1/public/grievances/" + code + "/appeal", {{"reason", "Je conteste"}});
  ASSERT_EQ(late.status, 422) << late.body;
  EXPECT_EQ(late.Json()["error"]["reason"], "grievance.appeal_window_closed");
  EXPECT_EQ(Post(Url(id, "/close"), json::object(), coord_).status, 200);
}

TEST_F(GrievancesApi, PublicFilingIsLimitedPerAddress) {
  server_.services().grievance_address_limit = std::make_shared<http::RateLimiter>(1.0, 2.0);
  EXPECT_EQ(PublicPost("/api/v1/public/grievances", Valid()).status, 201);
  EXPECT_EQ(PublicPost("/api/v1/public/grievances", Valid()).status, 201);
  auto refused = PublicPost("/api/v1/public/grievances", Valid());
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_TRUE(refused.Header("retry-after"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grievances"), 2);
}

TEST_F(GrievancesApi, WorkersLinkPaymentsCasesAndDecisionsWithinTheirArea) {
  const long long pay = Payment(kCasa, "E2E-CASA-1");
  auto filed = Post("/api/v1/grievances",
                    {{"channel", "counter"},
                     {"category", "payment_not_received"},
                     {"description", "Virement rejeté par la banque"},
                     {"payment_id", pay}},
                    worker_);
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.Json()["link_kind"], "payment");
  EXPECT_EQ(filed.Json()["commune_code"], kCasa);
  EXPECT_EQ(filed.Json()["filed_by"], "worker");
  EXPECT_EQ(filed.Json()["household_id"], household_);
  EXPECT_TRUE(filed.Json()["tracking_code"].is_string());
  auto by_e2e = Post("/api/v1/grievances",
                     {{"channel", "phone"},
                      {"category", "wrong_amount"},
                      {"description", "Montant incomplet"},
                      {"end_to_end_id", "E2E-CASA-1"}},
                     worker_);
  ASSERT_EQ(by_e2e.status, 201) << by_e2e.body;
  EXPECT_EQ(by_e2e.Json()["payment_id"], pay);

  // A decision: the programme, its cycle and the household.
  auto decision = Post("/api/v1/grievances",
                       {{"channel", "worker"},
                        {"category", "exclusion_error"},
                        {"description", "Ménage écarté malgré un score sous le seuil"},
                        {"programme", "ASD"},
                        {"cycle_id", cycle_},
                        {"household_id", household_}},
                       worker_);
  ASSERT_EQ(decision.status, 201) << decision.body;
  EXPECT_EQ(decision.Json()["link_kind"], "decision");
  auto wrong_cycle = Post("/api/v1/grievances",
                          {{"channel", "worker"},
                           {"category", "exclusion_error"},
                           {"description", "x"},
                           {"programme", "AMO_TADAMON"},
                           {"cycle_id", cycle_},
                           {"household_id", household_}},
                          worker_);
  EXPECT_EQ(wrong_cycle.status, 422) << wrong_cycle.body;

  // Outside the worker's area, or unknown: the same refusal, nothing stored.
  const long long before = Count("SELECT COUNT(*) FROM grievances");
  const long long far = Payment(kOther, "E2E-OTHER-1");
  for (const json& link :
       {json{{"payment_id", far}}, json{{"payment_id", 999999}}, json{{"end_to_end_id", "E2E-OTHER-1"}}}) {
    json body{{"channel", "counter"}, {"category", "payment_not_received"}, {"description", "x"}};
    body.update(link);
    auto refused = Post("/api/v1/grievances", body, worker_);
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.Json()["error"]["reason"], "grievance.link_not_found") << refused.body;
  }
  auto other_commune =
      Post("/api/v1/grievances",
           {{"channel", "counter"}, {"category", "other"}, {"description", "x"}, {"commune_code", kOther}}, worker_);
  EXPECT_EQ(other_commune.status, 422) << other_commune.body;
  auto two_links =
      Post("/api/v1/grievances",
           {{"channel", "counter"}, {"category", "other"}, {"description", "x"}, {"payment_id", pay}, {"case_id", 1}},
           worker_);
  EXPECT_EQ(two_links.status, 422) << two_links.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grievances"), before);

  // A case in scope.
  auto opened = Post("/api/v1/cases",
                     {{"case_type", "family_in_crisis"},
                      {"origin", "walk_in"},
                      {"commune_code", kCasa},
                      {"summary", "Famille en difficulté"}},
                     worker_);
  ASSERT_EQ(opened.status, 201) << opened.body;
  auto on_case = Post("/api/v1/grievances",
                      {{"channel", "worker"},
                       {"category", "case_handling"},
                       {"description", "Aucune visite depuis l'ouverture"},
                       {"case_id", opened.Json()["id"]}},
                      worker_);
  ASSERT_EQ(on_case.status, 201) << on_case.body;
  EXPECT_EQ(on_case.Json()["link_kind"], "case");

  // The social worker reads but does not decide.
  EXPECT_EQ(Post(Url(filed.Json()["id"].get<std::int64_t>(), "/review"), json::object(), worker_).status, 403);
  EXPECT_EQ(Get("/api/v1/grievances?category=payment_not_received", worker_).Json()["total"], 1);
}

TEST_F(GrievancesApi, AMissedSlaIsListedOverdueAndEscalatedOnceByTheJob) {
  auto cats = Get("/api/v1/grievances/categories", coord_).Json();
  ASSERT_EQ(cats["items"].size(), 6u) << cats;
  auto filed = PublicPost("/api/v1/public/grievances", Valid());  // payment_not_received: 7 days
  ASSERT_EQ(filed.status, 201);
  auto slow = PublicPost("/api/v1/public/grievances", With(Valid(), "category", "exclusion_error"));
  ASSERT_EQ(slow.status, 201);  // 30 days
  EXPECT_EQ(Get("/api/v1/grievances?overdue=true", coord_).Json()["total"], 0);
  EXPECT_EQ(Escalate()["result"]["escalated"], 0);

  server_.clock().Advance(std::chrono::hours(24 * 8));
  auto overdue = Get("/api/v1/grievances?overdue=true", coord_).Json();
  ASSERT_EQ(overdue["total"], 1) << overdue;
  EXPECT_EQ(overdue["items"][0]["category"], "payment_not_received");
  EXPECT_EQ(overdue["items"][0]["overdue"], true);
  EXPECT_EQ(Get("/api/v1/grievances?overdue=true", other_coord_).Json()["total"], 0);
  EXPECT_EQ(Escalate()["result"]["escalated"], 1);
  EXPECT_EQ(Escalate()["result"]["escalated"], 0);  // once per deadline
  const auto id = overdue["items"][0]["id"].get<std::int64_t>();
  auto page = Get(Url(id), coord_).Json();
  EXPECT_TRUE(page["escalated_at"].is_string()) << page;
  EXPECT_EQ(page["timeline"].back()["kind"], "escalated");

  // The SLA is configurable (administrators): a shorter one applies to new grievances.
  auto admin = Login("admin", {auth::Role::kAdmin}, std::nullopt);
  auto put = c_.Request("PUT", "/api/v1/grievances/categories/exclusion_error", json{{"sla_days", 3}}.dump(), [&] {
    auto h = admin.Auth();
    h.emplace_back("Content-Type", "application/json");
    return h;
  }());
  ASSERT_EQ(put.status, 200) << put.body;
  auto fresh = PublicPost("/api/v1/public/grievances", With(Valid(), "category", "exclusion_error"));
  ASSERT_EQ(fresh.status, 201);
  server_.clock().Advance(std::chrono::hours(24 * 4));
  EXPECT_EQ(Get("/api/v1/grievances?overdue=true&category=exclusion_error", coord_).Json()["total"], 1);
}

TEST_F(GrievancesApi, PlacementsWithAMissedFollowUpVisitAreListedOverdueWithinScope) {
  auto opened = Post("/api/v1/cases",
                     {{"case_type", "child_at_risk"},
                      {"origin", "referral"},
                      {"commune_code", kCasa},
                      {"summary", "Enfant sans protection parentale"}},
                     worker_);
  ASSERT_EQ(opened.status, 201) << opened.body;
  const auto case_id = opened.Json()["id"].get<std::int64_t>();
  const std::string url = "/api/v1/cases/" + std::to_string(case_id) + "/placements";
  auto bad = Post(url, {{"kind", "adoption"}, {"carer", "X"}, {"start_date", Today()}}, worker_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  auto placed = Post(url, {{"kind", "kafala"}, {"carer", "Famille Benali"}, {"start_date", Today()}}, worker_);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto pid = placed.Json()["id"].get<std::int64_t>();
  const std::string first_due = placed.Json()["next_visit_due"];
  EXPECT_EQ(Get("/api/v1/placements/overdue", worker_).Json()["total"], 0);

  server_.clock().Advance(std::chrono::hours(24 * 31));  // the monthly visit is missed
  auto overdue = Get("/api/v1/placements/overdue", worker_).Json();
  ASSERT_EQ(overdue["total"], 1) << overdue;
  EXPECT_EQ(overdue["items"][0]["next_visit_due"], first_due);
  EXPECT_EQ(Get("/api/v1/placements/overdue", other_coord_).Json()["total"], 0);
  EXPECT_EQ(Post("/api/v1/placements/" + std::to_string(pid) + "/visits", {{"visit_date", Today()}, {"note", "x"}},
                 other_coord_)
                .status,
            404);

  auto visit = Post("/api/v1/placements/" + std::to_string(pid) + "/visits",
                    {{"visit_date", Today()}, {"note", "L'enfant est scolarisé et en bonne santé."}}, worker_);
  ASSERT_EQ(visit.status, 201) << visit.body;
  EXPECT_GT(visit.Json()["next_visit_due"].get<std::string>(), Today());
  EXPECT_EQ(visit.Json()["visits"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/placements/overdue", worker_).Json()["total"], 0);
  auto listed = Get(url, worker_).Json();
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["visits"][0]["worker"], "worker");
  auto ended = Post("/api/v1/placements/" + std::to_string(pid) + "/end", {{"end_date", Today()}}, worker_);
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.Json()["status"], "ended");
}

}  // namespace
}  // namespace sanad::testing
