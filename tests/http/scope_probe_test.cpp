// Area-scope probes over HTTP, on SQLite and PostgreSQL (SANAD_TEST_DB selects): every registry,
// change-request, benefit, linkage and audit route is asked about a record inside the caller's area
// and one outside it, for reading and for writing. Outside answers 404 (403 where the route's
// convention is to refuse a commune outside the area) and its body names nothing of the record.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "jobs/job_store.h"
#include "targeting/score_run.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kFes = "MA-03.231.01.03";         // Fès-Meknès (MA-03)
constexpr const char* kCasablanca = "MA-06.371.01.01";  // Casablanca-Settat (MA-06)
constexpr const char* kCasaHead = "عمرالبيضاوي";        // names that must never leak to a Fès user
constexpr const char* kCasaChild = "زينبالبيضاوية";
constexpr const char* kCasaCin = "BE998877";

struct Household {
  std::int64_t id = 0;
  std::int64_t head = 0;
  std::int64_t child = 0;
};

class ScopeProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    server_ = std::make_unique<TestServer>(options);
    c_ = std::make_unique<HttpClient>(server_->Client());
    using R = auth::Role;
    admin_ = Login("admin", server_->AddUser("admin", {R::kAdmin}));
    admin2_ = Login("admin2", server_->AddUser("admin2", {R::kAdmin}));
    national_ = Login("coord.national", server_->AddUser("coord.national", {R::kRegionalCoordinator}));
    // One Fès-Meknès account holding every permission the probed routes need.
    fes_ = Login("fes", server_->AddUser(
                            "fes", {R::kRegionalCoordinator, R::kPaymentOfficer, R::kAuditor, R::kDataEntry}, "MA-03"));
    in_ = Create(kFes, "محمدالفاسي", "يوسف", "C123456");
    out_ = Create(kCasablanca, kCasaHead, kCasaChild, kCasaCin);
  }

  void TearDown() override {
    if (server_) WaitForJobs();
    server_.reset();
  }

  Headers Login(const std::string& user, const std::string& password) {
    auto token = BearerToken(*c_, user, password);
    EXPECT_TRUE(token) << user;
    return Bearer(token.value_or(""));
  }

  HttpResponse Post(const std::string& path, const Json& body, const Headers& who) {
    return c_->PostJson(path, body.dump(), who);
  }

  std::int64_t File(const std::string& kind, const Json& payload, const Headers& who) {
    auto r = Post("/api/v1/change-requests", {{"kind", kind}, {"payload", payload}}, who);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("id", std::int64_t{0});
  }

  Household Create(const std::string& commune, const std::string& head, const std::string& child,
                   const std::string& cin) {
    Json payload{{"household", {{"commune_code", commune}, {"urban", true}, {"address", "1 Derb"}}},
                 {"members",
                  {{{"relationship", "head"},
                    {"given_name_ar", head},
                    {"family_name_ar", "بن علي"},
                    {"sex", "M"},
                    {"birth_date", "1970"},
                    {"national_id", cin}},
                   {{"relationship", "child"},
                    {"given_name_ar", child},
                    {"family_name_ar", "بن علي"},
                    {"sex", "F"},
                    {"birth_date", "2012"}}}}};
    auto cr = File("create_household", payload, admin_);
    auto ok = Post("/api/v1/change-requests/" + std::to_string(cr) + "/approve", Json::object(), admin2_);
    EXPECT_EQ(ok.status, 200) << ok.body;
    auto found = c_->Get("/api/v1/persons?national_id=" + cin, admin_);
    EXPECT_EQ(found.status, 200) << found.body;
    Household h;
    h.id = found.Json()["items"][0]["household_id"].get<std::int64_t>();
    auto home = c_->Get("/api/v1/households/" + std::to_string(h.id), admin_).Json();
    for (const auto& m : home["members"])
      (m["relationship"] == "head" ? h.head : h.child) = m["id"].get<std::int64_t>();
    return h;
  }

  static std::string Id(std::int64_t id) { return std::to_string(id); }

  // The body of an out-of-scope answer names nothing of the Casablanca household.
  // (The commune code is no secret when the caller named it in the request.)
  static void ExpectNoLeak(const HttpResponse& r, const std::string& what, bool caller_named_commune = false) {
    std::vector<std::string> secrets{kCasaHead, kCasaChild, kCasaCin};
    if (!caller_named_commune) secrets.emplace_back(kCasablanca);
    for (const auto& secret : secrets) {
      EXPECT_EQ(r.body.find(secret), std::string::npos) << what << " leaks " << secret << ": " << r.body;
    }
  }

  // Until no deduplication job is queued or running (the runner polls every 20 ms).
  // A linkage job's row says "done" at the handler's commit; the job runner settles its own job (and
  // frees the one-at-a-time key a new job is refused on) in a later commit. Both must be over.
  void WaitForJobs() {
    jobs::JobStore& runs = server_->application().runner().store();
    for (int i = 0; i < 6000; ++i) {
      auto jobs = server_->application().dedup().ListJobs(registry::Scope{}, 100);
      ASSERT_TRUE(jobs);
      const bool busy = std::any_of(jobs->begin(), jobs->end(), [&](const dedup::JobRow& j) {
        if (j.status == "running") return true;
        if (!j.run_job_id) return false;
        auto run = runs.Get(*j.run_job_id);
        return !run || !*run || (*run)->state == jobs::JobState::kQueued || (*run)->state == jobs::JobState::kRunning;
      });
      if (!busy) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "deduplication jobs did not finish";
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<HttpClient> c_;
  Headers admin_, admin2_, national_, fes_;
  Household in_, out_;
};

TEST_F(ScopeProbe, EveryRouteAnswersInsideTheAreaAndNotFoundOutsideIt) {
  const std::string today = DateOf(server_->clock().Now()).ToString();
  // Pending requests: one inside, one outside, one crossing from Fès into Casablanca.
  auto update = [&](const Household& h, const char* address) {
    return File("update_household", {{"household_id", h.id}, {"changes", {{"address", address}}}}, admin_);
  };
  const std::int64_t cr_in = update(in_, "2 Derb"), cr_in_rejectable = update(in_, "3 Derb"),
                     cr_out = update(out_, "4 Derb");
  const std::int64_t cr_cross =
      File("move_member", {{"person_id", in_.child}, {"to_household_id", out_.id}, {"relationship", "child"}}, admin_);
  // A national deduplication job (the admin's) and, once it is done, one over Fès.
  auto national_job = Post("/api/v1/linkage/jobs", Json::object(), admin_);
  ASSERT_EQ(national_job.status, 201) << national_job.body;
  WaitForJobs();
  auto fes_job = Post("/api/v1/linkage/jobs", Json::object(), fes_);
  ASSERT_EQ(fes_job.status, 201) << fes_job.body;
  WaitForJobs();
  const std::int64_t job_out = national_job.Json()["id"], job_in = fes_job.Json()["id"];

  struct Probe {
    std::string name, method, in_path, out_path;
    Json in_body, out_body;
    std::set<int> in_status;
    int out_status = 404;
  };
  auto benefit = [&](const Household& h, std::int64_t person, const std::string& ref) {
    return Json{{"person_id", person}, {"household_id", h.id},  {"programme", "ASD"}, {"kind", "cash"},
                {"date", today},       {"amount_minor", 35000}, {"currency", "MAD"},  {"reference", ref}};
  };
  const std::vector<Probe> probes = {
      {"read person", "GET", "/api/v1/persons/" + Id(in_.head), "/api/v1/persons/" + Id(out_.head), {}, {}, {200}},
      {"read person benefits",
       "GET",
       "/api/v1/persons/" + Id(in_.head) + "/benefits",
       "/api/v1/persons/" + Id(out_.head) + "/benefits",
       {},
       {},
       {200}},
      {"read household", "GET", "/api/v1/households/" + Id(in_.id), "/api/v1/households/" + Id(out_.id), {}, {}, {200}},
      {"read household as of",
       "GET",
       "/api/v1/households/" + Id(in_.id) + "?as_of=" + today,
       "/api/v1/households/" + Id(out_.id) + "?as_of=" + today,
       {},
       {},
       {200}},
      {"read household history",
       "GET",
       "/api/v1/households/" + Id(in_.id) + "/history",
       "/api/v1/households/" + Id(out_.id) + "/history",
       {},
       {},
       {200}},
      {"read household benefits",
       "GET",
       "/api/v1/households/" + Id(in_.id) + "/benefits",
       "/api/v1/households/" + Id(out_.id) + "/benefits",
       {},
       {},
       {200}},
      {"read household score",
       "GET",
       "/api/v1/households/" + Id(in_.id) + "/score",
       "/api/v1/households/" + Id(out_.id) + "/score",
       {},
       {},
       {200}},
      {"read change request",
       "GET",
       "/api/v1/change-requests/" + Id(cr_in),
       "/api/v1/change-requests/" + Id(cr_out),
       {},
       {},
       {200}},
      {"read crossing change request",
       "GET",
       "/api/v1/change-requests/" + Id(cr_in),
       "/api/v1/change-requests/" + Id(cr_cross),
       {},
       {},
       {200}},
      // Not imports: inside, the route says so (422); outside, the request's own 404 comes first.
      {"read change request rows",
       "GET",
       "/api/v1/change-requests/" + Id(cr_in) + "/rows",
       "/api/v1/change-requests/" + Id(cr_out) + "/rows",
       {},
       {},
       {422}},
      {"read crossing change request rows",
       "GET",
       "/api/v1/change-requests/" + Id(cr_in) + "/rows",
       "/api/v1/change-requests/" + Id(cr_cross) + "/rows",
       {},
       {},
       {422}},
      {"read linkage job",
       "GET",
       "/api/v1/linkage/jobs/" + Id(job_in),
       "/api/v1/linkage/jobs/" + Id(job_out),
       {},
       {},
       {200}},
      {"file a change",
       "POST",
       "/api/v1/change-requests",
       "/api/v1/change-requests",
       {{"kind", "update_person"}, {"payload", {{"person_id", in_.child}, {"changes", {{"phone", "0612345678"}}}}}},
       {{"kind", "update_person"}, {"payload", {{"person_id", out_.child}, {"changes", {{"phone", "0612345678"}}}}}},
       {201}},
      {"file a household in a commune",
       "POST",
       "/api/v1/change-requests",
       "/api/v1/change-requests",
       {{"kind", "create_household"},
        {"payload",
         {{"household", {{"commune_code", kFes}, {"urban", true}}},
          {"members",
           {{{"relationship", "head"},
             {"given_name_lat", "Ali"},
             {"family_name_lat", "Tazi"},
             {"sex", "M"},
             {"birth_date", "1980"}}}}}}},
       {{"kind", "create_household"},
        {"payload",
         {{"household", {{"commune_code", kCasablanca}, {"urban", true}}},
          {"members",
           {{{"relationship", "head"},
             {"given_name_lat", "Ali"},
             {"family_name_lat", "Tazi"},
             {"sex", "M"},
             {"birth_date", "1980"}}}}}}},
       {201},
       403},
      {"approve",
       "POST",
       "/api/v1/change-requests/" + Id(cr_in) + "/approve",
       "/api/v1/change-requests/" + Id(cr_out) + "/approve",
       Json::object(),
       Json::object(),
       {200}},
      {"approve a crossing request",
       "POST",
       "/api/v1/change-requests/" + Id(cr_in_rejectable) + "/reject",
       "/api/v1/change-requests/" + Id(cr_cross) + "/approve",
       {{"comment", "duplicate of another request"}},
       Json::object(),
       {200}},
      {"reject",
       "POST",
       "/api/v1/change-requests/" + Id(cr_in) + "/reject",
       "/api/v1/change-requests/" + Id(cr_out) + "/reject",
       {{"comment", "no"}},
       {{"comment", "no"}},
       {422}},  // inside: already applied above
      {"reject a crossing request",
       "POST",
       "/api/v1/change-requests/" + Id(cr_in) + "/reject",
       "/api/v1/change-requests/" + Id(cr_cross) + "/reject",
       {{"comment", "no"}},
       {{"comment", "no"}},
       {422}},
      {"record a benefit",
       "POST",
       "/api/v1/benefits",
       "/api/v1/benefits",
       benefit(in_, in_.head, "B-in"),
       benefit(out_, out_.head, "B-out"),
       {201}},
      {"record a benefit naming an in-scope household",
       "POST",
       "/api/v1/benefits",
       "/api/v1/benefits",
       benefit(in_, in_.child, "B-in-2"),
       benefit(in_, out_.head, "B-out-2"),
       {201}},
      {"cancel a linkage job",
       "POST",
       "/api/v1/linkage/jobs/" + Id(job_in) + "/cancel",
       "/api/v1/linkage/jobs/" + Id(job_out) + "/cancel",
       Json::object(),
       Json::object(),
       {200, 422}},  // inside: running or already finished
  };
  for (const auto& p : probes) {
    SCOPED_TRACE(p.name);
    auto in = p.method == "GET" ? c_->Get(p.in_path, fes_) : Post(p.in_path, p.in_body, fes_);
    EXPECT_TRUE(p.in_status.contains(in.status)) << p.name << " inside the area: " << in.status << " " << in.body;
    auto out = p.method == "GET" ? c_->Get(p.out_path, fes_) : Post(p.out_path, p.out_body, fes_);
    EXPECT_EQ(out.status, p.out_status) << p.name << " outside the area: " << out.body;
    ExpectNoLeak(out, p.name, p.out_status == 403);
  }

  // Lists: nothing outside the area, in the store's own count as well.
  auto pending = c_->Get("/api/v1/change-requests?status=pending&limit=200", fes_);
  ASSERT_EQ(pending.status, 200) << pending.body;
  const Json pending_json = pending.Json();  // kept: the loop must not iterate a destroyed temporary
  for (const auto& cr : pending_json["items"]) {
    EXPECT_NE(cr["id"], cr_out);
    EXPECT_NE(cr["id"], cr_cross) << "a request moving a Fès person into Casablanca is listed in Fès";
  }
  EXPECT_EQ(pending.Json()["total"].get<std::int64_t>(), static_cast<std::int64_t>(pending.Json()["items"].size()));
  ExpectNoLeak(pending, "the change-request list");
  auto by_cin = c_->Get(std::string("/api/v1/persons?national_id=") + kCasaCin, fes_);
  EXPECT_EQ(by_cin.Json()["items"].size(), 0u);
  auto jobs = c_->Get("/api/v1/linkage/jobs", fes_);
  ASSERT_EQ(jobs.status, 200);
  const Json jobs_json = jobs.Json();
  for (const auto& j : jobs_json["items"]) EXPECT_NE(j["id"], job_out) << "a national job is listed to a regional user";
  auto all_jobs = c_->Get("/api/v1/linkage/jobs", admin_);
  EXPECT_EQ(all_jobs.Json()["items"].size(), 2u);
}

TEST_F(ScopeProbe, OnlyTheOwnerOrAnAdministratorCancelsANationalJob) {
  auto job = Post("/api/v1/linkage/jobs", Json::object(), admin_);
  ASSERT_EQ(job.status, 201) << job.body;
  const std::string cancel = "/api/v1/linkage/jobs/" + Id(job.Json()["id"]) + "/cancel";
  auto other = Post(cancel, Json::object(), national_);
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(other.Json()["error"].value("reason", ""), "linkage_job.not_owner");
  auto admin = Post(cancel, Json::object(), admin2_);
  EXPECT_TRUE(admin.status == 200 || admin.status == 422) << admin.body;  // 422: it had already finished
}

TEST_F(ScopeProbe, AnAreaScopedAuditorReadsOnlyEntriesAboutRecordsOfTheirArea) {
  // Reads by the administrator of both households, and a name search.
  ASSERT_EQ(c_->Get("/api/v1/households/" + Id(in_.id), admin_).status, 200);
  ASSERT_EQ(c_->Get("/api/v1/households/" + Id(out_.id), admin_).status, 200);
  ASSERT_EQ(c_->Get("/api/v1/persons/" + Id(out_.head), admin_).status, 200);
  ASSERT_EQ(c_->Get(std::string("/api/v1/persons?national_id=") + kCasaCin, admin_).status, 200);

  auto mine = c_->Get("/api/v1/audit?limit=500", fes_);
  ASSERT_EQ(mine.status, 200) << mine.body;
  std::set<std::string> seen;
  const Json mine_json = mine.Json();
  for (const auto& e : mine_json["items"]) {
    const std::string key = e["record_type"].get<std::string>() + ":" + e["record_id"].get<std::string>();
    seen.insert(key);
    EXPECT_NE(e["action"], "search") << "another user's search: " << e.dump();
    EXPECT_NE(e["record_type"], "user") << e.dump();
  }
  EXPECT_TRUE(seen.contains("household:" + Id(in_.id))) << mine.body;
  EXPECT_FALSE(seen.contains("household:" + Id(out_.id)));
  EXPECT_FALSE(seen.contains("person:" + Id(out_.head)));
  EXPECT_EQ(mine.Json()["total"].get<std::int64_t>(), static_cast<std::int64_t>(mine.Json()["items"].size()));
  auto filtered = c_->Get("/api/v1/audit?record_type=household&record_id=" + Id(out_.id), fes_);
  ASSERT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.Json()["items"].size(), 0u);
  auto national = c_->Get("/api/v1/audit?record_type=household&record_id=" + Id(out_.id), admin_);
  EXPECT_GE(national.Json()["items"].size(), 1u);
}

TEST_F(ScopeProbe, ANationalIdAlreadyHeldIsWarnedAndNeedsAnExplicitDecision) {
  // Filed by a national account: the warning names the other holder.
  const Json add{{"household_id", in_.id},
                 {"person",
                  {{"relationship", "other"},
                   {"given_name_lat", "Omar"},
                   {"family_name_lat", "Tazi"},
                   {"sex", "M"},
                   {"birth_date", "1971"},
                   {"national_id", kCasaCin}}}};
  auto filed = Post("/api/v1/change-requests", {{"kind", "add_member"}, {"payload", add}}, admin_);
  ASSERT_EQ(filed.status, 201) << filed.body;
  ASSERT_TRUE(filed.Json().contains("warnings")) << filed.body;
  ASSERT_EQ(filed.Json()["warnings"].size(), 1u) << filed.body;
  EXPECT_EQ(filed.Json()["warnings"][0]["reason"], "person.national_id_in_use");
  EXPECT_EQ(filed.Json()["warnings"][0]["person_id"], out_.head);
  const std::string path = "/api/v1/change-requests/" + Id(filed.Json()["id"]);

  // Filed by a Fès account: warned, without the Casablanca person's id.
  auto from_fes = Post("/api/v1/change-requests", {{"kind", "add_member"}, {"payload", add}}, fes_);
  ASSERT_EQ(from_fes.status, 201) << from_fes.body;
  ASSERT_EQ(from_fes.Json()["warnings"].size(), 1u) << from_fes.body;
  EXPECT_FALSE(from_fes.Json()["warnings"][0].contains("person_id"));
  EXPECT_EQ(from_fes.body.find(kCasaHead), std::string::npos) << from_fes.body;

  // The reviewer sees the other person.
  auto review = c_->Get(path, admin2_);
  ASSERT_EQ(review.status, 200) << review.body;
  ASSERT_EQ(review.Json()["warnings"].size(), 1u);
  bool shows_other = false;
  const Json review_json = review.Json();
  for (const auto& p : review_json["current"]["persons"]) shows_other |= p["id"] == out_.head;
  EXPECT_TRUE(shows_other) << review.body;

  auto silent = Post(path + "/approve", Json::object(), admin2_);
  EXPECT_EQ(silent.status, 422) << "accepted silently: " << silent.body;
  EXPECT_EQ(silent.Json()["error"].value("reason", ""), "person.national_id_in_use");
  EXPECT_EQ(silent.Json()["error"].value("field", ""), "national_id_decision");
  auto no_comment = Post(path + "/approve", {{"national_id_decision", "not_same_person"}}, admin2_);
  EXPECT_EQ(no_comment.status, 400) << no_comment.body;
  auto decided =
      Post(path + "/approve",
           {{"national_id_decision", "not_same_person"}, {"comment", "checked the cards: two people"}}, admin2_);
  ASSERT_EQ(decided.status, 200) << decided.body;
  auto audit =
      c_->Get("/api/v1/audit?record_type=change_request&action=approve&record_id=" + Id(filed.Json()["id"]), admin_);
  ASSERT_EQ(audit.Json()["items"].size(), 1u);
  EXPECT_NE(audit.Json()["items"][0]["details"].dump().find("national_id_override"), std::string::npos) << audit.body;
}

TEST_F(ScopeProbe, AHouseholdHistoryShowsOnlyTheSummariesOfChangesTheReaderMaySee) {
  // The child moves from the Fès household to the Casablanca one: the request's summary names the other
  // household, which a Fès reader may not see; its kind and the fields of the Fès household stay visible.
  auto move =
      File("move_member", {{"person_id", in_.child}, {"to_household_id", out_.id}, {"relationship", "child"}}, admin_);
  ASSERT_EQ(Post("/api/v1/change-requests/" + Id(move) + "/approve", {{"acknowledge_conflicts", true}}, admin2_).status,
            200);
  auto summary_of_move = [&](const Headers& token) {
    auto r = c_->Get("/api/v1/households/" + Id(in_.id) + "/history", token);
    EXPECT_EQ(r.status, 200) << r.body;
    const Json body = r.Json();
    for (const auto& e : body["items"]) {
      if (e.value("change_request_id", Json()) == Json(move)) {
        EXPECT_EQ(e["kind"], "move_member");
        EXPECT_FALSE(e["records"].empty());
        return e["summary"];
      }
    }
    ADD_FAILURE() << "no history event for the move: " << r.body;
    return Json();
  };
  EXPECT_TRUE(summary_of_move(admin_).is_string());
  const Json fes = summary_of_move(fes_);
  EXPECT_TRUE(fes.is_null()) << "the Fès reader saw " << fes.dump();
}

TEST_F(ScopeProbe, AStoredRequestThatNoLongerAppliesIsRefusedWithItsReason) {
  // Both filed while valid: removing the child, then moving the same child elsewhere.
  auto remove = File("remove_member", {{"person_id", in_.child}, {"reason", "left_household"}}, admin_);
  auto move =
      File("move_member", {{"person_id", in_.child}, {"to_household_id", out_.id}, {"relationship", "child"}}, admin_);
  ASSERT_EQ(Post("/api/v1/change-requests/" + Id(remove) + "/approve", Json::object(), admin2_).status, 200);
  auto stale = Post("/api/v1/change-requests/" + Id(move) + "/approve", {{"acknowledge_conflicts", true}}, admin2_);
  EXPECT_EQ(stale.status, 422) << "an exited person was moved: " << stale.body;
  EXPECT_EQ(stale.Json()["error"].value("reason", ""), "change_request.no_longer_valid");
  EXPECT_EQ(stale.Json()["error"].value("field", ""), "payload.person_id");
}

TEST_F(ScopeProbe, AHouseholdScoreShowsTheModelTheDateAndWhyAndIsAudited) {
  auto before = c_->Get("/api/v1/households/" + Id(in_.id) + "/score", fes_);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(before.Json()["score"].is_null());
  EXPECT_TRUE(before.Json()["history"].empty());

  // Shaped after domain.md §1.2: area constant, region effect, −0.138·n + 0.00469·n², children per capita.
  auto model = targeting::ParseModel(R"({"model": "test", "version": "1",
    "intercept": {"urban": 9.825, "rural": 9.69}, "region_effects": {"MA-03": 0.12},
    "terms": [{"variable": "household_size", "coefficient": -0.138},
              {"variable": "household_size_squared", "coefficient": 0.00469},
              {"variable": "children_under_15", "per": "per_capita", "coefficient": -0.25}]})");
  ASSERT_TRUE(model);
  const std::string today = DateOf(server_->clock().Now()).ToString();
  auto run =
      targeting::ScoreAll(*server_->platform().scores, *model, {today, FormatTimestamp(server_->clock().Now()), 100});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->saved.added, 2u);

  auto r = c_->Get("/api/v1/households/" + Id(in_.id) + "/score", fes_);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.Json();
  // The Fès household: urban, 2 members (the head born 1970, a child born 2012).
  // 9.825 + 0.12 − 0.138·2 + 0.00469·4 − 0.25·1/2 = 9.56276
  EXPECT_NEAR(j["score"].get<double>(), 9.56276, 1e-9);
  EXPECT_EQ(j["household_id"], in_.id);
  EXPECT_EQ(j["model"], "test");
  EXPECT_EQ(j["model_version"], "1");
  EXPECT_EQ(j["scored_on"], today);
  EXPECT_DOUBLE_EQ(j["contributions"]["region"].get<double>(), 0.12);
  EXPECT_DOUBLE_EQ(j["contributions"]["children_under_15/per_capita"].get<double>(), -0.125);
  double sum = 0;
  for (const auto& [k, v] : j["contributions"].items()) sum += v.get<double>();
  EXPECT_NEAR(sum, j["score"].get<double>(), 1e-12);
  EXPECT_TRUE(j["history"].empty());

  auto outside = c_->Get("/api/v1/households/" + Id(out_.id) + "/score", fes_);
  EXPECT_EQ(outside.status, 404) << outside.body;
  ExpectNoLeak(outside, "score outside the area");
  EXPECT_EQ(outside.body.find("9."), std::string::npos) << outside.body;

  // Both reads inside the area are audited, under their own record type.
  auto audited = c_->Get("/api/v1/audit?record_type=household_score&record_id=" + Id(in_.id), admin_);
  ASSERT_EQ(audited.status, 200) << audited.body;
  EXPECT_EQ(audited.Json()["items"].size(), 2u) << audited.body;
}

}  // namespace
}  // namespace sanad::testing
