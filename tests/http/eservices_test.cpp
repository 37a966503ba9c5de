// Citizen e-services over HTTP on SQLite and PostgreSQL (SANAD_TEST_DB), issue 11 §1–§2: a citizen
// reports an elderly person in danger → the covering unit's account sees it in its triage queue → it
// acknowledges → the status page by tracking code shows the progress and public notes, never staff
// notes; a missed deadline escalates (clock moved by hand, the pass run by the job runner) onto the
// region's overdue board only; the Open311 round trip; rate limits (429 for counselling, flagged but
// kept for danger); probable duplicates linked; a phoned report typed by an agent; the authorization
// matrix of every route for every role.
#include <expat.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kFes = "MA-03.231.01.03";         // Méchouar-Fès-El Jadid
constexpr const char* kMohammadia = "MA-06.371.01.01";  // Mohammadia, another region

// An XML document read back by expat: every element's path (/a/b/c) → its texts, in order. Fails the test
// when the document is not well-formed.
std::multimap<std::string, std::string> XmlPaths(const std::string& xml) {
  struct State {
    std::vector<std::string> stack;
    std::string text;
    std::multimap<std::string, std::string> out;
  } st;
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, &st);
  XML_SetElementHandler(
      p,
      [](void* u, const XML_Char* name, const XML_Char**) {
        auto* s = static_cast<State*>(u);
        s->stack.emplace_back(name);
        s->text.clear();
      },
      [](void* u, const XML_Char*) {
        auto* s = static_cast<State*>(u);
        std::string path;
        for (const auto& e : s->stack) path += "/" + e;
        s->out.emplace(path, s->text);
        s->stack.pop_back();
        s->text.clear();
      });
  XML_SetCharacterDataHandler(p, [](void* u, const XML_Char* t, int n) {
    static_cast<State*>(u)->text.append(t, static_cast<std::size_t>(n));
  });
  EXPECT_EQ(XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1), XML_STATUS_OK)
      << XML_ErrorString(XML_GetErrorCode(p)) << " in " << xml;
  XML_ParserFree(p);
  return st.out;
}

std::string First(const std::multimap<std::string, std::string>& m, const std::string& path) {
  auto it = m.lower_bound(path);  // the first in document order: equal keys keep their insertion order
  return it == m.end() || it->first != path ? "<missing>" : it->second;
}

class EServices : public ::testing::Test {
 protected:
  EServices() : server_(Options()), c_(server_.Client()) {}
  static TestServerOptions Options() {
    TestServerOptions o;
    o.db_url = FreshDatabaseUrl(BackendFromEnv());
    // The tests move the clock past acknowledgement deadlines (hours): sessions outlive them.
    o.session.idle_timeout = std::chrono::hours(72);
    o.session.absolute_timeout = std::chrono::hours(72);
    o.session.bearer_lifetime = std::chrono::hours(72);
    return o;
  }

  Headers User(const std::string& name, auth::Role role, const std::optional<std::string>& area = std::nullopt) {
    const std::string pw = server_.AddUser(name, {role}, area);
    auto token = BearerToken(c_, name, pw);
    if (!token) throw std::runtime_error("no token for " + name);
    return Bearer(*token);
  }
  Headers Admin() {
    if (!admin_) admin_ = User("admin.es", auth::Role::kAdmin);
    return *admin_;
  }
  HttpResponse Post(const std::string& target, const Json& body, const Headers& h = {}) {
    return c_.PostJson(target, body.dump(), h);
  }
  std::int64_t Unit(const std::string& code, const std::string& commune, const std::vector<std::string>& members) {
    auto r = Post("/api/v1/eservices/units",
                  {{"code", code},
                   {"name", "SAMU social " + code},
                   {"base_commune", commune},
                   {"communes", {commune}},
                   {"members", members},
                   {"shifts", {{{"weekday", 1}, {"starts", "08:00"}, {"ends", "20:00"}}}}},
                  Admin());
    if (r.status != 201) throw std::runtime_error("unit: " + r.body);
    return r.Json()["id"].get<std::int64_t>();
  }
  Json Elderly(const std::string& commune, bool danger, const std::string& description) {
    return {{"service_code", "elderly_in_danger"},    {"commune_code", commune},    {"description", description},
            {"apparent_state", "confus, déshydraté"}, {"immediate_danger", danger}, {"contact_name", "Samira Benali"},
            {"contact_phone", "+212600000001"}};
  }
  Json AwaitEscalation(std::int64_t id) {
    Json job;
    for (int i = 0; i < 400; ++i) {
      job = c_.Get("/api/v1/eservices/escalations/" + std::to_string(id), Admin()).Json();
      if (job["state"] != "queued" && job["state"] != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return job;
  }

  TestServer server_;
  HttpClient c_;
  std::optional<Headers> admin_;
};

TEST_F(EServices, AReportOfAnElderlyPersonReachesTheCoveringUnitAndTheCitizenSeesOnlyPublicProgress) {
  const auto samu = User("samu.fes", auth::Role::kMobileUnit);
  const auto stranger = User("samu.moh", auth::Role::kMobileUnit);
  const auto unit = Unit("SAMU-FES", kFes, {"samu.fes"});
  Unit("SAMU-MOH", kMohammadia, {"samu.moh"});

  auto sent = Post("/api/v1/public/reports",
                   Elderly(kFes, true, "Une dame âgée seule au 3e étage, sans eau depuis deux jours"));
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string code = sent.Json()["tracking_code"];
  EXPECT_EQ(code.size(), 20u);
  EXPECT_EQ(sent.Json()["status"], "received");
  auto status_page = c_.Get("/api/v1/public/reports/" + code);
  ASSERT_EQ(status_page.status, 200) << status_page.body;
  EXPECT_EQ(status_page.Json()["status"], "received");

  // The covering unit's account sees it in its triage queue, with the details.
  const std::string queue_path = "/api/v1/eservices/units/" + std::to_string(unit) + "/queue";
  auto queue = c_.Get(queue_path, samu).Json();
  ASSERT_EQ(queue["items"].size(), 1u) << queue.dump();
  const Json report = queue["items"][0];
  EXPECT_EQ(report["description"], "Une dame âgée seule au 3e étage, sans eau depuis deux jours");
  EXPECT_EQ(report["dispatch"], "covering");
  EXPECT_EQ(report["unit_code"], "SAMU-FES");
  EXPECT_EQ(report["immediate_danger"], true);
  EXPECT_EQ(report["channel"], "web");
  const auto id = report["id"].get<std::int64_t>();
  const std::string path = "/api/v1/eservices/reports/" + std::to_string(id);
  // Another unit's account neither lists, reads nor acknowledges it.
  EXPECT_EQ(c_.Get(queue_path, stranger).status, 403);
  EXPECT_EQ(c_.Get(path, stranger).status, 404);
  EXPECT_EQ(Post(path + "/acknowledge", Json::object(), stranger).status, 404);

  auto ack = Post(path + "/acknowledge", Json::object(), samu);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.Json()["status"], "acknowledged");
  EXPECT_EQ(ack.Json()["acknowledged_by"], "samu.fes");
  ASSERT_EQ(Post(path + "/notes", {{"body", "Une équipe est en route."}, {"public", true}}, samu).status, 201);
  ASSERT_EQ(Post(path + "/notes", {{"body", "Voisin hostile, venir à deux."}}, samu).status, 201);
  // case_opened is never set by hand: only by opening a case from the report.
  const std::string region = report["region_code"];
  const auto coordinator = User("coord.fes", auth::Role::kRegionalCoordinator, region);
  EXPECT_EQ(Post(path + "/status", {{"status", "case_opened"}}, coordinator).status, 400);
  EXPECT_EQ(Post(path + "/status", {{"status", "received"}}, coordinator).status, 400);
  // Another region's worker cannot open a case from it; the unit's member can.
  const std::string ref = report["service_request_id"];
  EXPECT_EQ(Post("/api/v1/cases", {{"origin", "report"}, {"origin_ref", ref}}, stranger).status, 404);
  EXPECT_EQ(Post("/api/v1/cases", {{"origin", "report"}}, samu).status, 400);
  auto opened = Post("/api/v1/cases", {{"origin", "report"}, {"origin_ref", ref}}, samu);
  ASSERT_EQ(opened.status, 201) << opened.body;
  const Json kase = opened.Json();
  EXPECT_EQ(kase["case_type"], "elderly_person");
  EXPECT_EQ(kase["commune_code"], kFes);
  EXPECT_EQ(kase["summary"], "Une dame âgée seule au 3e étage, sans eau depuis deux jours");
  EXPECT_EQ(kase["unit"], "SAMU-FES");
  const auto case_id = kase["id"].get<std::int64_t>();
  // Opening it again (a double click, a colleague at the same moment) answers the same case.
  auto again =
      Post("/api/v1/cases", {{"origin", "report"}, {"origin_ref", ref}, {"case_type", "elderly_person"}}, coordinator);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["id"], case_id);
  // The report follows its case: it leaves the triage queue and cannot be closed by hand.
  EXPECT_EQ(c_.Get(path, samu).Json()["case_ref"], std::to_string(case_id));
  EXPECT_EQ(c_.Get(path, samu).Json()["status"], "case_opened");
  EXPECT_EQ(Post(path + "/status", {{"status", "closed"}}, samu).status, 422);

  auto page = c_.Get("/api/v1/public/reports/" + code);
  ASSERT_EQ(page.status, 200) << page.body;
  const Json shown = page.Json();
  EXPECT_EQ(shown["status"], "case_opened");
  EXPECT_EQ(shown["case"]["status"], "open");
  EXPECT_EQ(shown["case"]["stage"], "intake");
  EXPECT_EQ(shown["acknowledged"], true);
  ASSERT_EQ(shown["notes"].size(), 1u);
  EXPECT_EQ(shown["notes"][0]["body"], "Une équipe est en route.");
  EXPECT_EQ(page.body.find("Voisin hostile"), std::string::npos);
  EXPECT_EQ(page.body.find("sans eau"), std::string::npos);
  EXPECT_EQ(page.body.find("Samira"), std::string::npos);
  EXPECT_EQ(page.body.find("SAMU"), std::string::npos);

  // The worker closes the case: the status page and the Open311 request say closed, nothing more.
  const std::string case_path = "/api/v1/cases/" + std::to_string(case_id);
  server_.clock().Advance(std::chrono::hours(30));
  ASSERT_EQ(Post(case_path + "/close", {{"outcome", "resolved"}}, samu).status, 200);
  auto closed = c_.Get("/api/v1/public/reports/" + code).Json();
  EXPECT_EQ(closed["status"], "closed");
  EXPECT_EQ(closed["case"]["status"], "closed");
  EXPECT_EQ(closed["updated_at"], closed["case"]["stage_since"]);  // the close, 30 h after the report's last move
  EXPECT_GT(closed["updated_at"].get<std::string>(), shown["updated_at"].get<std::string>());
  EXPECT_EQ(closed.dump().find("resolved"), std::string::npos);
  EXPECT_EQ(c_.Get("/open311/v2/requests/" + ref + ".json").Json()[0]["status"], "closed");
  // Reopened, it is open again for the citizen too.
  ASSERT_EQ(Post(case_path + "/reopen", {{"reason", "rechute"}}, samu).status, 200);
  EXPECT_EQ(c_.Get("/api/v1/public/reports/" + code).Json()["status"], "case_opened");
  // Typed in lower case with a hyphen, the code still works; a wrong code is 404.
  std::string typed = code;
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(c_.Get("/api/v1/public/reports/" + typed.substr(0, 10) + "-" + typed.substr(10)).status, 200);
  EXPECT_EQ(c_.Get("/api/v1/public/reports/" + std::string(20, '0')).status, 404);
  // The staff read returns both notes and was audited.
  auto staff = c_.Get(path, coordinator);
  ASSERT_EQ(staff.status, 200);
  EXPECT_EQ(staff.Json()["notes"].size(), 2u);
  EXPECT_EQ(staff.Json()["case_ref"], std::to_string(case_id));
  const auto auditor = User("auditor.es", auth::Role::kAuditor);
  auto audit = c_.Get("/api/v1/audit?record_type=eservice_report&action=view", auditor).Json();
  EXPECT_GE(audit["total"].get<long long>(), 1) << audit.dump();
  // The tracking code itself is not in the database (only its hash).
  auto s = server_.platform().db->Acquire();
  long long plain = 0;
  s.sql() << "SELECT COUNT(*) FROM eservice_reports WHERE tracking_hash = :c OR public_id = :c2", soci::use(code),
      soci::use(code), soci::into(plain);
  EXPECT_EQ(plain, 0);
}

TEST_F(EServices, AMissedDeadlineEscalatesToTheRegionsOverdueBoard) {
  const auto unit = Unit("SAMU-FES", kFes, {});
  Unit("SAMU-MOH", kMohammadia, {});
  auto calm = Post("/api/v1/public/reports", {{"service_code", "homeless_person"},
                                              {"commune_code", kFes},
                                              {"description", "Un homme dort sous le pont de Bab Boujloud"},
                                              {"lat", 34.0617},
                                              {"long", -4.9836}});
  ASSERT_EQ(calm.status, 201) << calm.body;
  auto danger = Post("/api/v1/public/reports", Elderly(kFes, true, "Un vieil homme tombé dans la rue"));
  ASSERT_EQ(danger.status, 201);
  auto elsewhere = Post("/api/v1/public/reports", Elderly(kMohammadia, true, "Une vieille dame seule à Mohammadia"));
  ASSERT_EQ(elsewhere.status, 201);

  auto fes_queue = c_.Get("/api/v1/eservices/units/" + std::to_string(unit) + "/queue", Admin()).Json();
  ASSERT_EQ(fes_queue["items"].size(), 2u);
  EXPECT_EQ(fes_queue["items"][0]["immediate_danger"], true);  // danger first
  const std::string region = fes_queue["items"][0]["region_code"];
  const auto coordinator = User("coord.fes", auth::Role::kRegionalCoordinator, region);
  const auto other_coordinator =
      User("coord.casa", auth::Role::kRegionalCoordinator, std::string(kMohammadia).substr(0, 5));

  // Nothing overdue yet; a pass escalates nothing.
  EXPECT_EQ(c_.Get("/api/v1/eservices/overdue", coordinator).Json()["items"].size(), 0u);
  auto started = Post("/api/v1/eservices/escalations", Json::object(), Admin());
  ASSERT_EQ(started.status, 202) << started.body;
  auto job = AwaitEscalation(started.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(job["state"], "succeeded") << job.dump();
  EXPECT_EQ(job["result"]["escalated"], 0);

  // 61 minutes later the danger reports (1 h) are overdue, the other one (24 h) is not.
  server_.clock().Advance(std::chrono::minutes(61));
  started = Post("/api/v1/eservices/escalations", Json::object(), Admin());
  ASSERT_EQ(started.status, 202);
  job = AwaitEscalation(started.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(job["state"], "succeeded") << job.dump();
  EXPECT_EQ(job["result"]["escalated"], 2);
  auto board = c_.Get("/api/v1/eservices/overdue", coordinator).Json();
  ASSERT_EQ(board["items"].size(), 1u) << board.dump();  // the region's only: Mohammadia is elsewhere
  EXPECT_EQ(board["items"][0]["description"], "Un vieil homme tombé dans la rue");
  EXPECT_FALSE(board["items"][0]["escalated_at"].is_null());
  auto other_board = c_.Get("/api/v1/eservices/overdue", other_coordinator).Json();
  ASSERT_EQ(other_board["items"].size(), 1u);
  EXPECT_EQ(other_board["items"][0]["commune_code"], kMohammadia);
  // A second pass escalates nothing twice.
  started = Post("/api/v1/eservices/escalations", Json::object(), Admin());
  job = AwaitEscalation(started.Json()["id"].get<std::int64_t>());
  EXPECT_EQ(job["result"]["escalated"], 0);
  // Acknowledged, it leaves the board.
  const auto id = board["items"][0]["id"].get<std::int64_t>();
  ASSERT_EQ(
      Post("/api/v1/eservices/reports/" + std::to_string(id) + "/acknowledge", Json::object(), coordinator).status,
      200);
  EXPECT_EQ(c_.Get("/api/v1/eservices/overdue", coordinator).Json()["items"].size(), 0u);
  // A day later the homeless report is overdue too.
  server_.clock().Advance(std::chrono::hours(24));
  EXPECT_EQ(c_.Get("/api/v1/eservices/overdue", coordinator).Json()["items"].size(), 1u);
}

TEST_F(EServices, Open311ClientsListServicesPostFormEncodedAndFollowTheirRequest) {
  auto services = c_.Get("/open311/v2/services.json", {{"Accept-Language", "fr"}});
  ASSERT_EQ(services.status, 200);
  ASSERT_EQ(services.Json().size(), 3u);
  EXPECT_EQ(services.Json()[0]["service_code"], "elderly_in_danger");
  EXPECT_EQ(services.Json()[0]["service_name"], "Signaler une personne âgée en danger");
  auto definition = c_.Get("/open311/v2/services/family_counselling.json");
  ASSERT_EQ(definition.status, 200) << definition.body;
  bool has_commune = false;
  const Json attributes = definition.Json()["attributes"];
  for (const auto& a : attributes) has_commune |= a["code"] == "commune_code";
  EXPECT_TRUE(has_commune);
  EXPECT_EQ(c_.Get("/open311/v2/services/pothole.json").status, 404);

  const std::string form =
      std::string("service_code=homeless_person&lat=34.0617&long=-4.9836&attribute%5Bcommune_code%5D=") + kFes +
      "&description=Famille+avec+deux+enfants+sous+une+tente&first_name=Ali&phone=0600000002";
  auto posted =
      c_.Request("POST", "/open311/v2/requests.json", form, {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(posted.status, 201) << posted.body;
  const std::string id = posted.Json()[0]["service_request_id"];
  const std::string token = posted.Json()[0]["token"];
  auto request = c_.Get("/open311/v2/requests/" + id + ".json");
  ASSERT_EQ(request.status, 200) << request.body;
  EXPECT_EQ(request.Json()[0]["status"], "open");
  EXPECT_EQ(request.Json()[0]["service_code"], "homeless_person");
  EXPECT_EQ(request.body.find("tente"), std::string::npos);  // the description is not published
  EXPECT_EQ(request.body.find("Ali"), std::string::npos);
  auto by_token = c_.Get("/open311/v2/tokens/" + token + ".json");
  ASSERT_EQ(by_token.status, 200);
  EXPECT_EQ(by_token.Json()[0]["service_request_id"], id);
  // The channel is recorded.
  auto staff = c_.Get("/api/v1/eservices/pools/family/queue", Admin());
  EXPECT_EQ(staff.status, 200);

  // JSON is accepted too, attributes as an object.
  auto json_post =
      Post("/open311/v2/requests.json",
           {{"service_code", "family_counselling"},
            {"email", "famille@example.org"},
            {"attribute",
             {{"commune_code", kFes}, {"topic", "stress"}, {"counselling_channel", "video"}, {"white_army", true}}}});
  ASSERT_EQ(json_post.status, 201) << json_post.body;
  auto white = c_.Get("/api/v1/eservices/pools/white_army/queue", Admin()).Json();
  ASSERT_EQ(white["items"].size(), 1u) << white.dump();
  EXPECT_EQ(white["items"][0]["channel"], "open311");
  EXPECT_EQ(white["items"][0]["counselling_channel"], "video");

  // The same resources in XML, as the standard has them; the same privacy.
  auto services_xml = c_.Get("/open311/v2/services.xml", {{"Accept-Language", "ar"}});
  ASSERT_EQ(services_xml.status, 200) << services_xml.body;
  const auto listed = XmlPaths(services_xml.body);
  EXPECT_EQ(listed.count("/services/service/service_code"), 3u);
  EXPECT_EQ(First(listed, "/services/service/service_code"), "elderly_in_danger");
  // Named in the language asked for: Arabic letters (U+0600–U+06FF start with the bytes D8–DB).
  const std::string name = First(listed, "/services/service/service_name");
  EXPECT_TRUE(std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0xD8 && static_cast<unsigned char>(c) <= 0xDB;
  })) << name;
  const auto defined = XmlPaths(c_.Get("/open311/v2/services/family_counselling.xml").body);
  EXPECT_EQ(First(defined, "/service_definition/service_code"), "family_counselling");
  EXPECT_GE(defined.count("/service_definition/attributes/attribute/code"), 5u);
  EXPECT_GE(defined.count("/service_definition/attributes/attribute/values/value/key"), 3u);
  auto request_xml = c_.Get("/open311/v2/requests/" + id + ".xml");
  ASSERT_EQ(request_xml.status, 200) << request_xml.body;
  const auto one = XmlPaths(request_xml.body);
  EXPECT_EQ(First(one, "/service_requests/request/service_request_id"), id);
  EXPECT_EQ(First(one, "/service_requests/request/status"), "open");
  EXPECT_EQ(request_xml.body.find("tente"), std::string::npos);
  EXPECT_EQ(First(XmlPaths(c_.Get("/open311/v2/tokens/" + token + ".xml").body),
                  "/service_requests/request/service_request_id"),
            id);
  auto posted_xml = c_.Request("POST", "/open311/v2/requests.xml", form + "&description=%3Cscript%3E+%26",
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(posted_xml.status, 201) << posted_xml.body;
  EXPECT_EQ(First(XmlPaths(posted_xml.body), "/service_requests/request/token").size(), 20u);
  auto missing_xml = c_.Get("/open311/v2/requests/NOSUCHREQUEST00.xml");
  EXPECT_EQ(missing_xml.status, 404);
  EXPECT_EQ(First(XmlPaths(missing_xml.body), "/errors/error/code"), "404");
  EXPECT_EQ(c_.Get("/open311/v2/requests/" + id + ".yaml").status, 404);

  // A bad request answers the standard's error array naming the field, and stores nothing.
  auto bad = c_.Request("POST", "/open311/v2/requests.json", "service_code=elderly_in_danger&description=x",
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()[0]["code"], 400);
  EXPECT_NE(bad.Json()[0]["description"].get<std::string>().find("commune_code"), std::string::npos) << bad.body;
  EXPECT_EQ(c_.Get("/open311/v2/requests/NOPE.json").status, 404);
}

TEST_F(EServices, CounsellingOverTheLimitIs429ButDangerReportsAreKeptFlaggedAndDuplicatesLinked) {
  const auto unit = Unit("SAMU-FES", kFes, {});
  Json counselling{{"service_code", "family_counselling"},
                   {"commune_code", kFes},
                   {"topic", "conflit"},
                   {"counselling_channel", "phone"},
                   {"contact_phone", "+213 555 00 00 01"}};
  // The phone's bucket holds 3.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Post("/api/v1/public/reports", counselling).status, 201) << i;
  auto refused = Post("/api/v1/public/reports", counselling);
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_TRUE(refused.Header("retry-after"));
  EXPECT_EQ(refused.Json()["error"]["reason"], "eservice.rate_limited");
  // The address's bucket (10) runs out too, but a person in danger is never refused.
  int flagged = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = Post("/api/v1/public/reports", Elderly(kFes, true,
                                                    "personne âgée numéro " + std::to_string(i) + " " +
                                                        std::string(1, static_cast<char>('a' + i))));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto queue = c_.Get("/api/v1/eservices/units/" + std::to_string(unit) + "/queue", Admin()).Json();
  for (const auto& r : queue["items"]) flagged += r["over_limit"].get<bool>() ? 1 : 0;
  EXPECT_GE(flagged, 1) << queue.dump();

  // Same place within the window: linked to the first, both kept.
  Json first{{"service_code", "homeless_person"},
             {"commune_code", kFes},
             {"description", "Homme sous le pont"},
             {"lat", 34.0617},
             {"long", -4.9836}};
  Json second = first;
  second["description"] = "Quelqu'un dort dehors";
  second["lat"] = 34.0620;
  auto a = Post("/api/v1/public/reports", first);
  auto b = Post("/api/v1/public/reports", second);
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  queue = c_.Get("/api/v1/eservices/units/" + std::to_string(unit) + "/queue?limit=100", Admin()).Json();
  std::optional<std::int64_t> first_id;
  Json linked;
  for (const auto& r : queue["items"]) {
    if (r["description"] == "Homme sous le pont") first_id = r["id"].get<std::int64_t>();
    if (r["description"] == "Quelqu'un dort dehors") linked = r;
  }
  ASSERT_TRUE(first_id);
  EXPECT_EQ(linked["duplicate_of"], *first_id) << linked.dump();

  // Bad input: 400 naming every field, nothing stored.
  auto bad = Post("/api/v1/public/reports", {{"service_code", "elderly_in_danger"}, {"commune_code", "MA-03"}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  auto unknown_commune = Post("/api/v1/public/reports",
                              {{"service_code", "elderly_in_danger"}, {"commune_code", "MA-03"}, {"description", "x"}});
  EXPECT_EQ(unknown_commune.status, 400);
  EXPECT_EQ(unknown_commune.Json()["error"]["field"], "commune_code");
}

// The public commune search answers the pickers of the public forms, keystroke by keystroke: past 60
// at once from one address, 429 with Retry-After (it needs no account, and each answer is a search).
// Eight clients search at once: one after the other on a loaded machine (60 ms a search), the bucket's
// refill of 10 a second kept up with them and no 429 came within 80 searches.
TEST_F(EServices, ThePublicCommuneSearchIsLimitedPerAddress) {
  std::atomic<int> answered{0};
  std::mutex mu;
  std::optional<std::string> retry_after;  // of the first 429, guarded by mu
  std::string reason, unexpected;          // guarded by mu
  std::vector<std::thread> clients;
  clients.reserve(8);
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        {
          std::lock_guard lock(mu);
          if (retry_after || !unexpected.empty()) return;
        }
        auto r = c_.Get("/api/v1/public/communes?q=Fes&country=MA");
        std::lock_guard lock(mu);
        if (r.status == 429) {
          if (!retry_after) {
            retry_after = r.Header("retry-after").value_or("");
            reason = r.Json()["error"].value("reason", "");
          }
        } else if (r.status == 200) {
          ++answered;
        } else {
          unexpected = std::to_string(r.status) + " " + r.body;
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  ASSERT_TRUE(unexpected.empty()) << unexpected;
  ASSERT_TRUE(retry_after) << "no 429 after " << answered << " searches";
  EXPECT_GE(answered, 60);
  EXPECT_EQ(reason, "request.rate_limited");
  EXPECT_GE(std::stoi(*retry_after), 1);
}

TEST_F(EServices, ACallCentreAgentEntersAPhonedReportWithItsChannelRecorded) {
  const auto unit = Unit("SAMU-FES", kFes, {});
  const auto agent = User("agent.cc", auth::Role::kDataEntry);
  auto r = Post("/api/v1/eservices/reports", Elderly(kFes, false, "Appel d'une voisine inquiète"), agent);
  ASSERT_EQ(r.status, 201) << r.body;
  auto queue = c_.Get("/api/v1/eservices/units/" + std::to_string(unit) + "/queue", Admin()).Json();
  ASSERT_EQ(queue["items"].size(), 1u);
  EXPECT_EQ(queue["items"][0]["channel"], "phone");
  EXPECT_EQ(queue["items"][0]["entered_by"], "agent.cc");
  EXPECT_EQ(c_.Get("/api/v1/public/reports/" + r.Json()["tracking_code"].get<std::string>()).status, 200);
}

TEST_F(EServices, EveryRouteHoldsThePermissionMatrixForEveryRole) {
  const auto unit = Unit("SAMU-FES", kFes, {});
  auto sent = Post("/api/v1/public/reports", Elderly(kFes, true, "matrice"));
  ASSERT_EQ(sent.status, 201);
  struct Probe {
    std::string method, target;
    auth::Permission permission;
    Json body;
  };
  const std::vector<Probe> probes{
      {"POST", "/api/v1/eservices/reports", auth::Permission::kReportsIntake, Json::object()},
      {"GET", "/api/v1/eservices/reports/1", auth::Permission::kReportsTriage, {}},
      {"POST", "/api/v1/eservices/reports/1/acknowledge", auth::Permission::kReportsTriage, Json::object()},
      {"POST", "/api/v1/eservices/reports/1/status", auth::Permission::kReportsTriage, Json::object()},
      {"POST", "/api/v1/eservices/reports/1/notes", auth::Permission::kReportsTriage, Json::object()},
      {"GET", "/api/v1/eservices/units", auth::Permission::kReportsTriage, {}},
      {"POST", "/api/v1/eservices/units", auth::Permission::kEServicesManage, Json::object()},
      {"GET", "/api/v1/eservices/units/" + std::to_string(unit) + "/queue", auth::Permission::kReportsTriage, {}},
      {"GET", "/api/v1/eservices/pools/family/queue", auth::Permission::kReportsTriage, {}},
      {"GET", "/api/v1/eservices/overdue", auth::Permission::kReportsOverdue, {}},
      {"PUT", "/api/v1/eservices/services/elderly_in_danger/deadlines", auth::Permission::kEServicesManage,
       Json::object()},
      {"POST", "/api/v1/eservices/escalations", auth::Permission::kEServicesManage, Json::object()},
      {"GET", "/api/v1/eservices/escalations/999", auth::Permission::kEServicesManage, {}},
  };
  int n = 0;
  for (auth::Role role : auth::AllRoles()) {
    const auto who = User(fmt::format("matrix.es.{}", n++), role);
    for (const auto& p : probes) {
      Headers h = who;
      if (!p.body.is_null()) h.emplace_back("Content-Type", "application/json");
      const auto r = c_.Request(p.method, p.target, p.body.is_null() ? "" : p.body.dump(), h);
      const int status = r.status;
      // The route's permission refuses with auth.role_missing; a handler may still refuse a granted
      // role for its data (a mobile unit asking for another unit's queue: eservice.not_your_unit).
      const bool refused_by_route = status == 403 && r.Json()["error"]["reason"] == "auth.role_missing";
      if (auth::Grants(std::array{role}, p.permission)) {
        EXPECT_FALSE(refused_by_route) << auth::RoleName(role) << " " << p.method << " " << p.target;
      } else {
        EXPECT_TRUE(refused_by_route) << auth::RoleName(role) << " " << p.method << " " << p.target << " " << r.body;
      }
      EXPECT_NE(status, 401);
    }
  }
  for (const auto& p : probes) EXPECT_EQ(c_.Request(p.method, p.target).status, 401) << p.target;
  // The public routes need no account.
  EXPECT_EQ(c_.Get("/api/v1/public/communes?q=Mohammadia&country=MA").status, 200);
  EXPECT_EQ(c_.Get("/open311/v2/services.json").status, 200);
  EXPECT_EQ(c_.Get("/open311/v2/services.xml").status, 200);
  EXPECT_EQ(c_.Get("/open311/v2/services/homeless_person.xml").status, 200);
}

}  // namespace
}  // namespace sanad::testing
