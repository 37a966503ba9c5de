// Case management over HTTP on SQLite and PostgreSQL (SANAD_TEST_DB; docs/cases.md): a case opened with
// its assessment checklist, its derived stage as the checklist, plan, service and visits are recorded,
// a registry person linked and a service written in the benefit ledger, confidential notes readable only
// by the assigned worker and their supervisor (and sealed at rest: absent from the SQLite files and from
// a pg_dump), referral, transfer, close and reopen, area scope, bad input that changes nothing, every
// view audited (fail-closed), and the escalation pass with the test clock moved by hand.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "db/row.h"
#include "tests/http/test_server.h"
#include "tests/support/test_db.h"

namespace sanad::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kCasa = "MA-03.231.01.03";
constexpr const char* kOther = "MA-06.371.01.01";
constexpr const char* kSecret = "VIOLENCE-NOTE-7f3a: the father beats the girl at night";

class CasesApi : public ::testing::Test {
 protected:
  TestServerOptions Options() const {
    TestServerOptions o;
    o.db_url = db_url_;
    // The test moves the clock by days (deadlines): sessions must outlive it.
    o.session.idle_timeout = std::chrono::hours(24 * 365);
    o.session.absolute_timeout = std::chrono::hours(24 * 365);
    return o;
  }

  void SetUp() override {
    worker_ = Login("worker", {auth::Role::kSocialWorker}, "MA-03");
    colleague_ = Login("colleague", {auth::Role::kSocialWorker}, "MA-03");
    outsider_ = Login("outsider", {auth::Role::kSocialWorker}, "MA-06");
    coord_ = Login("coord", {auth::Role::kRegionalCoordinator}, "MA-03");
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
  HttpResponse Get(const std::string& target, const BrowserSession& who) { return c_.Get(target, who.Auth(false)); }

  std::int64_t Person(const std::string& commune) {
    auto s = server_.platform().db->Acquire();
    const std::string ref = "CH" + std::to_string(++n_);
    s.sql() << "INSERT INTO households (ref, commune_code, urban, status, created_at, updated_at) VALUES "
               "(:r, :c, 1, 'active', 'now', 'now')",
        soci::use(ref), soci::use(commune);
    long long h = 0;
    s.sql() << "SELECT id FROM households WHERE ref = :r", soci::use(ref), soci::into(h);
    s.sql() << "INSERT INTO persons (household_id, relationship, sex, birth_date, status, given_name_ar, "
               "family_name_ar, created_at, updated_at) VALUES (:h, 'head', 'F', '1950-01-01', 'active', 'فاطمة', "
               "'العلوي', 'now', 'now')",
        soci::use(h);
    long long p = 0;
    s.sql() << "SELECT MAX(id) FROM persons WHERE household_id = :h", soci::use(h), soci::into(p);
    return p;
  }

  long long Count(const std::string& query) {
    auto s = server_.platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  std::int64_t OpenCase(const std::string& type = "elderly_person", const std::string& commune = kCasa) {
    auto r = Post("/api/v1/cases",
                  {{"case_type", type},
                   {"origin", "referral"},
                   {"origin_ref", "RPT-ABC123"},
                   {"commune_code", commune},
                   {"summary", "Personne âgée seule signalée par un voisin"},
                   {"supervisor", "coord"}},
                  worker_);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("id", std::int64_t{0});
  }

  std::string Url(std::int64_t id, const std::string& tail = "") {
    return "/api/v1/cases/" + std::to_string(id) + tail;
  }

  // Runs the escalation pass through its route and waits for the job to finish.
  json Escalate() {
    auto started = Post("/api/v1/cases/escalation", json::object(), coord_);
    EXPECT_EQ(started.status, 202) << started.body;
    const std::string target = "/api/v1/cases/escalation/" + std::to_string(started.Json()["id"].get<std::int64_t>());
    json job;
    for (int i = 0; i < 400; ++i) {
      job = Get(target, coord_).Json();
      if (job["status"] != "queued" && job["status"] != "running") break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(job["status"], "succeeded") << job;
    return job;
  }

  const std::string db_url_ = FreshDatabaseUrl(BackendFromEnv());
  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
  BrowserSession worker_, colleague_, outsider_, coord_;
  int n_ = 0;
};

TEST_F(CasesApi, ACaseGoesFromIntakeToFollowUpAndIsClosedAndReopened) {
  auto protocols = Get("/api/v1/cases/protocols", worker_);
  ASSERT_EQ(protocols.status, 200) << protocols.body;
  json checklist;
  const json all_protocols = protocols.Json();
  for (const auto& p : all_protocols["items"])
    if (p["case_type"] == "elderly_person") checklist = p["items"];
  ASSERT_FALSE(checklist.empty()) << protocols.body;

  const auto id = OpenCase();
  ASSERT_GT(id, 0);
  auto page = Get(Url(id), worker_).Json();
  EXPECT_EQ(page["stage"], "intake");
  EXPECT_EQ(page["owner"], "worker");
  EXPECT_EQ(page["origin_ref"], "RPT-ABC123");
  EXPECT_EQ(page["checklist"].size(), checklist.size());

  // The checklist: the first answer starts the assessment; all required items make it complete.
  auto first = Post(Url(id, "/answers"), {{"item", checklist[0]["code"]}, {"answer", "yes"}}, worker_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json()["stage"], "assessment");
  for (const auto& item : checklist) {
    if (!item["required"].get<bool>()) continue;
    ASSERT_EQ(Post(Url(id, "/answers"), {{"item", item["code"]}, {"answer", "no"}}, worker_).status, 200);
  }
  EXPECT_EQ(Get(Url(id), worker_).Json()["stage"], "plan");

  // Bad input names its field and changes nothing.
  const long long events = Count("SELECT COUNT(*) FROM case_events");
  auto bad = Post(Url(id, "/answers"), {{"item", "no_such_item"}, {"answer", "yes"}}, worker_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()["error"]["field"], "item");
  bad = Post(Url(id, "/answers"), {{"item", checklist[0]["code"]}, {"answer", "maybe"}}, worker_);
  EXPECT_EQ(bad.Json()["error"]["field"], "answer");
  bad = Post(Url(id, "/services"),
             {{"kind", "gift"}, {"target_type", "association"}, {"target", "x"}, {"date", "2026-12-01"}}, worker_);
  EXPECT_EQ(bad.Json()["error"]["field"], "kind");
  bad = Post("/api/v1/cases",
             {{"case_type", "stray_dog"}, {"origin", "report"}, {"commune_code", kCasa}, {"summary", "x"}}, worker_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["error"]["field"], "case_type");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM case_events"), events);

  // The plan, then a service written in the benefit ledger of the linked registry person.
  ASSERT_EQ(Post(Url(id, "/plan"), {{"goals", "Aide à domicile et suivi médical"}}, worker_).status, 200);
  EXPECT_EQ(Get(Url(id), worker_).Json()["stage"], "services");
  auto unlinked = Post(Url(id, "/services"),
                       {{"kind", "service"},
                        {"target_type", "internal"},
                        {"target", "aide à domicile"},
                        {"date", "2026-12-01"},
                        {"record_in_ledger", true}},
                       worker_);
  EXPECT_EQ(unlinked.status, 422) << unlinked.body;
  const auto person = Person(kCasa);
  const auto far_person = Person(kOther);
  EXPECT_EQ(Post(Url(id, "/link"), {{"person_id", far_person}}, worker_).status, 404);
  auto linked = Post(Url(id, "/link"), {{"person_id", person}}, worker_);
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(linked.Json()["person_id"], person);
  auto service = Post(Url(id, "/services"),
                      {{"kind", "service"},
                       {"target_type", "internal"},
                       {"target", "aide à domicile"},
                       {"date", "2026-12-01"},
                       {"record_in_ledger", true},
                       {"quantity", 4},
                       {"unit", "visit"}},
                      worker_);
  ASSERT_EQ(service.status, 200) << service.body;
  EXPECT_EQ(service.Json()["stage"], "follow_up");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits WHERE source = 'cases' AND kind = 'service' AND person_id = " +
                  std::to_string(person)),
            1);
  ASSERT_EQ(Post(Url(id, "/services"),
                 {{"kind", "referral"},
                  {"target_type", "institution"},
                  {"target", "Centre de protection sociale Dar Al Atfal"},
                  {"date", "2026-12-02"}},
                 worker_)
                .status,
            200);
  ASSERT_EQ(Post(Url(id, "/visits"), {{"date", "2026-12-10"}, {"summary", "Va mieux"}}, worker_).status, 200);

  // Close with an outcome; acts on a closed case are refused; reopen starts the stage clock again.
  auto closed = Post(Url(id, "/close"), {{"outcome", "resolved"}}, worker_);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json()["status"], "closed");
  EXPECT_EQ(closed.Json()["stage"], "closed");
  EXPECT_TRUE(closed.Json()["due_at"].is_null());
  EXPECT_EQ(Post(Url(id, "/visits"), {{"date", "2026-12-11"}}, worker_).status, 422);
  server_.clock().Advance(std::chrono::hours(24));
  auto reopened = Post(Url(id, "/reopen"), {{"reason", "Nouvelle chute"}}, worker_);
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_EQ(reopened.Json()["status"], "open");
  EXPECT_EQ(reopened.Json()["stage"], "follow_up");
  EXPECT_GT(reopened.Json()["stage_since"].get<std::string>(), closed.Json()["stage_since"].get<std::string>());

  std::vector<std::string> kinds;
  const json final_page = Get(Url(id), worker_).Json();
  for (const auto& e : final_page["timeline"]) kinds.push_back(e["kind"]);
  ASSERT_GE(kinds.size(), 8u);
  EXPECT_EQ(kinds.front(), "opened");
  EXPECT_EQ(kinds.back(), "reopened");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "linked"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "referral"), kinds.end());
}

TEST_F(CasesApi, ConfidentialNotesOpenOnlyForTheWorkerAndTheSupervisorAndAreSealedAtRest) {
  const auto id = OpenCase("child_at_risk");
  auto note = Post(Url(id, "/notes"), {{"text", kSecret}, {"confidential", true}, {"topic", "violence"}}, worker_);
  ASSERT_EQ(note.status, 201) << note.body;
  ASSERT_EQ(Post(Url(id, "/notes"), {{"text", "Visite prévue lundi"}}, worker_).status, 201);
  EXPECT_EQ(Post(Url(id, "/notes"), {{"text", "x"}, {"confidential", true}}, worker_).Json()["error"]["field"],
            "topic");

  auto text_of_first = [&](const BrowserSession& who) {
    auto r = Get(Url(id), who);
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();
    return body["notes"][0];
  };
  EXPECT_EQ(text_of_first(worker_)["text"], kSecret);
  EXPECT_EQ(text_of_first(coord_)["text"], kSecret);  // the supervisor named on the case
  const json seen_by_colleague = text_of_first(colleague_);
  EXPECT_TRUE(seen_by_colleague["text"].is_null());
  EXPECT_FALSE(seen_by_colleague["readable"].get<bool>());
  EXPECT_EQ(Get(Url(id), colleague_).Json()["notes"][1]["text"], "Visite prévue lundi");

  // Child-protection flags (§5): raised for a child of the registry, cleared, in force as derived.
  const auto child = Person(kCasa);
  ASSERT_EQ(Post(Url(id, "/child-flags"), {{"flag", "school_dropout"}, {"person_id", child}}, worker_).status, 200);
  ASSERT_EQ(Post(Url(id, "/child-flags"), {{"flag", "violence"}, {"person_id", child}}, worker_).status, 200);
  EXPECT_EQ(Post(Url(id, "/child-flags"), {{"flag", "truancy"}}, worker_).Json()["error"]["field"], "flag");
  EXPECT_EQ(Post(Url(id, "/child-flags"), {{"flag", "violence"}, {"person_id", Person(kOther)}}, worker_).status, 404);
  ASSERT_EQ(
      Post(Url(id, "/child-flags"), {{"flag", "school_dropout"}, {"person_id", child}, {"cleared", true}}, worker_)
          .status,
      200);
  // Dropout candidates: children of compulsory-school age recorded as out of school, in the area.
  const auto dropout = Person(kCasa);
  const auto far_dropout = Person(kOther);
  {
    auto db = server_.platform().db->Acquire();
    const std::string born =
        std::to_string(std::stoi(FormatTimestamp(server_.clock().Now()).substr(0, 4)) - 11) + "-03-01";
    db.sql() << "UPDATE persons SET birth_date = :b, schooling = 'out_of_school' WHERE id IN (" +
                    std::to_string(dropout) + ", " + std::to_string(far_dropout) + ")",
        soci::use(born);
  }
  auto candidates = Get("/api/v1/cases/dropout-candidates", worker_);
  ASSERT_EQ(candidates.status, 200) << candidates.body;
  std::vector<std::int64_t> found;
  const json candidate_list = candidates.Json();
  for (const auto& d : candidate_list["items"]) found.push_back(d["person_id"]);
  EXPECT_NE(std::find(found.begin(), found.end(), dropout), found.end());
  EXPECT_EQ(std::find(found.begin(), found.end(), far_dropout), found.end());
  EXPECT_EQ(std::find(found.begin(), found.end(), child), found.end());  // born 1950
  // The Casablanca worker sees only the Casablanca child.
  const json far_list = Get("/api/v1/cases/dropout-candidates", outsider_).Json();
  ASSERT_EQ(far_list["items"].size(), 1u) << far_list;
  EXPECT_EQ(far_list["items"][0]["person_id"], far_dropout);

  const json flagged = Get(Url(id), worker_).Json();
  ASSERT_EQ(flagged["child_flags"].size(), 1u) << flagged["child_flags"];
  EXPECT_EQ(flagged["child_flags"][0]["flag"], "violence");
  EXPECT_EQ(flagged["child_flags"][0]["person_id"], child);

  // Outside the area: absent, until the case is referred to them (shared access, owner unchanged) —
  // and even then the confidential note stays closed.
  EXPECT_EQ(Get(Url(id), outsider_).status, 404);
  EXPECT_EQ(Get("/api/v1/cases", outsider_).Json()["total"], 0);
  auto referred = Post(Url(id, "/refer"), {{"username", "outsider"}}, worker_);
  ASSERT_EQ(referred.status, 200) << referred.body;
  EXPECT_EQ(referred.Json()["owner"], "worker");
  EXPECT_TRUE(text_of_first(outsider_)["text"].is_null());
  EXPECT_EQ(Get("/api/v1/cases", outsider_).Json()["total"], 1);

  // Transfer: the owner changes only when the receiver accepts; then the note follows the new owner.
  ASSERT_EQ(Post(Url(id, "/transfer"), {{"to", "colleague"}}, worker_).status, 200);
  EXPECT_EQ(Get(Url(id), worker_).Json()["owner"], "worker");
  EXPECT_EQ(Post(Url(id, "/transfer/accept"), json::object(), outsider_).status, 422);
  auto accepted = Post(Url(id, "/transfer/accept"), json::object(), colleague_);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json()["owner"], "colleague");
  EXPECT_EQ(text_of_first(colleague_)["text"], kSecret);
  EXPECT_TRUE(text_of_first(worker_)["text"].is_null());

  // Every view is audited; without an audit entry, no answer.
  auto audit = Login("auditor", {auth::Role::kAuditor}, std::nullopt);
  auto views = Get("/api/v1/audit?record_type=case&action=view&record_id=" + std::to_string(id), audit).Json();
  EXPECT_GE(views["total"].get<long long>(), 8) << views;
  MakeAuditUnwritable(*server_.platform().db, true);
  EXPECT_EQ(Get(Url(id), worker_).status, 503);
  MakeAuditUnwritable(*server_.platform().db, false);

  // At rest: the text is nowhere in the database files (SQLite) or in a dump (PostgreSQL).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM case_notes WHERE confidential = 1 AND body IS NULL AND sealed IS NOT NULL"), 1);
  const auto& url = server_.platform().db->url();
  std::string everything;
  if (server_.platform().db->dialect() == db::Dialect::kSqlite) {
    // The database, its WAL and the audit spool beside it: every file named after the database.
    const std::filesystem::path db_path(url.sqlite_path);
    for (const auto& entry : std::filesystem::directory_iterator(db_path.parent_path())) {
      if (!entry.path().filename().string().starts_with(db_path.filename().string())) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      everything += ss.str();
    }
    EXPECT_NE(everything.find("Visite prévue lundi"), std::string::npos) << "the files were read";
  } else {
    const std::string cmd = "pg_dump --no-owner --dbname='" + db_url_ + "'";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[65536];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) everything.append(buf, n);
    ASSERT_EQ(pclose(p), 0) << "pg_dump failed";
    EXPECT_NE(everything.find("Visite prévue lundi"), std::string::npos) << "the dump holds the notes table";
  }
  EXPECT_EQ(everything.find("VIOLENCE-NOTE-7f3a"), std::string::npos);
  EXPECT_EQ(everything.find("beats the girl"), std::string::npos);
}

TEST_F(CasesApi, OverdueCasesEscalateToTheSupervisorThenTheRegionalCoordinator) {
  const auto late = OpenCase();
  const auto other = OpenCase("homeless_person");
  server_.clock().Advance(std::chrono::hours(24));
  // Working on the other case moves it out of intake: a new stage, a new deadline.
  ASSERT_EQ(Post(Url(other, "/answers"), {{"item", "immediate_danger"}, {"answer", "no"}}, worker_).status, 200);
  server_.clock().Advance(std::chrono::hours(25));  // 49 h after opening: intake (48 h) is overdue

  auto overdue = Get("/api/v1/cases?overdue=true", worker_).Json();
  ASSERT_EQ(overdue["total"], 1) << overdue;
  EXPECT_EQ(overdue["items"][0]["id"], late);
  EXPECT_TRUE(overdue["items"][0]["overdue"].get<bool>());

  EXPECT_EQ(Escalate()["result"]["escalated"], 1);
  auto page = Get(Url(late), worker_).Json();
  EXPECT_EQ(page["escalation_level"], 1);
  EXPECT_EQ(page["timeline"].back()["kind"], "escalated");
  EXPECT_EQ(page["timeline"].back()["details"]["to"], "supervisor");
  EXPECT_EQ(page["timeline"].back()["details"]["supervisor"], "coord");
  EXPECT_EQ(Get(Url(other), worker_).Json()["escalation_level"], 0);
  // Running again changes nothing until the next level is due.
  EXPECT_EQ(Escalate()["result"]["escalated"], 0);
  server_.clock().Advance(std::chrono::hours(72));
  Escalate();
  page = Get(Url(late), worker_).Json();
  EXPECT_EQ(page["escalation_level"], 2);
  EXPECT_EQ(page["timeline"].back()["details"]["to"], "regional_coordinator");

  // Recording the assessment starts a new stage: the escalation is cleared.
  auto answered = Post(Url(late, "/answers"), {{"item", "lives_alone"}, {"answer", "yes"}}, worker_);
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(answered.Json()["escalation_level"], 0);
  EXPECT_EQ(answered.Json()["stage"], "assessment");

  // Workers may not run the pass, nor assign; the coordinator assigns within the area.
  EXPECT_EQ(Post("/api/v1/cases/escalation", json::object(), worker_).status, 403);
  EXPECT_EQ(Post(Url(late, "/assign"), {{"owner", "colleague"}}, worker_).status, 403);
  auto assigned = Post(Url(late, "/assign"), {{"owner", "colleague"}, {"supervisor", "coord"}}, coord_);
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.Json()["owner"], "colleague");
  EXPECT_EQ(Post(Url(late, "/assign"), {{"owner", "nobody"}}, coord_).status, 404);
}

TEST_F(CasesApi, ListsFilterWithinTheCallersScope) {
  OpenCase("elderly_person");
  OpenCase("child_at_risk");
  EXPECT_EQ(Post("/api/v1/cases",
                 {{"case_type", "elderly_person"}, {"origin", "walk_in"}, {"commune_code", kOther}, {"summary", "x"}},
                 worker_)
                .status,
            403);
  auto all = Get("/api/v1/cases", coord_).Json();
  EXPECT_EQ(all["total"], 2);
  EXPECT_EQ(Get("/api/v1/cases?type=child_at_risk", coord_).Json()["total"], 1);
  EXPECT_EQ(Get("/api/v1/cases?status=closed", coord_).Json()["total"], 0);
  EXPECT_EQ(Get(std::string("/api/v1/cases?area=") + kOther, coord_).Json()["total"], 0);
  EXPECT_EQ(Get("/api/v1/cases?type=cat", coord_).status, 400);
  EXPECT_EQ(Get("/api/v1/cases", outsider_).Json()["total"], 0);

  // Protocols are configurable by supervisors.
  auto set = c_.Request(
      "PUT", "/api/v1/cases/protocols/elderly_person",
      json{{"items", {{{"code", "immediate_danger"}}, {{"code", "pension"}, {"required", false}}}}}.dump(), [&] {
        auto h = coord_.Auth();
        h.emplace_back("Content-Type", "application/json");
        return h;
      }());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.Json()["version"], 2);
  EXPECT_EQ(set.Json()["items"].size(), 2u);
}

}  // namespace
}  // namespace sanad::testing
