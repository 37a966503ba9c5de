// Family counselling over HTTP on SQLite and PostgreSQL (SANAD_TEST_DB; docs/counselling.md, issue 11
// §4): a counsellor with weekly availability and a leave day, a citizen's counselling request from the
// pool booked into a free slot, the confirmation, reminder and cancellation sent through the outbox
// (the test clock moved by hand), reschedule and cancel, the session recorded as a no-show and shown on
// the request, confidential session notes sealed at rest and readable by the counsellor only, area
// scope, bad input that changes nothing, and parallel requests for one slot: exactly one booking.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cases/note_cipher.h"
#include "db/row.h"
#include "tests/http/test_server.h"
#include "tests/support/test_db.h"

namespace sanad::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kCasa = "MA-03.231.01.03";
constexpr const char* kSecret = "SESSION-NOTE-9c1e: the mother fears her husband's anger";

class Counselling : public ::testing::Test {
 protected:
  TestServerOptions Options() const {
    TestServerOptions o;
    o.db_url = db_url_;
    o.session.idle_timeout = std::chrono::hours(24 * 365);  // the clock moves by days
    o.session.absolute_timeout = std::chrono::hours(24 * 365);
    return o;
  }

  void SetUp() override {
    admin_ = Login("admin", {auth::Role::kAdmin}, std::nullopt);
    coord_ = Login("coord", {auth::Role::kRegionalCoordinator}, "MA-03");
    outsider_ = Login("outsider", {auth::Role::kRegionalCoordinator}, "MA-06");
    counsellor_ = Login("amina", {auth::Role::kCounselor}, "MA-03");
  }

  BrowserSession Login(const std::string& name, const std::vector<auth::Role>& roles,
                       const std::optional<std::string>& area) {
    auto s = LoginBrowser(c_, name, server_.AddUser(name, roles, area));
    if (!s) throw std::runtime_error("cannot sign in " + name);
    return *s;
  }

  HttpResponse Send(const std::string& method, const std::string& target, const json& body, const BrowserSession& who) {
    auto h = who.Auth();
    h.emplace_back("Content-Type", "application/json");
    return c_.Request(method, target, body.dump(), h);
  }
  HttpResponse Post(const std::string& target, const json& body, const BrowserSession& who) {
    return Send("POST", target, body, who);
  }
  HttpResponse Get(const std::string& target, const BrowserSession& who) { return c_.Get(target, who.Auth(false)); }

  long long Count(const std::string& query) {
    auto s = server_.platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  // A counsellor of the family pool in MA-03, available every day 08:00–18:00 local in 60-minute slots.
  std::int64_t MakeCounsellor() {
    auto r = Post("/api/v1/counselling/counsellors",
                  {{"username", "amina"},
                   {"given_name", "Amina"},
                   {"family_name", "Idrissi"},
                   {"specialties", {"family", "parenting"}},
                   {"languages", {"ar", "fr", "amazigh"}},
                   {"pool", "family"},
                   {"area_code", "MA-03"}},
                  admin_);
    EXPECT_EQ(r.status, 201) << r.body;
    const auto id = r.Json().value("id", std::int64_t{0});
    json lines = json::array();
    for (int wd = 0; wd < 7; ++wd) lines.push_back({{"weekday", wd}, {"starts", "08:00"}, {"ends", "18:00"}});
    auto a = Send("PUT", Url(id, "/availability"), {{"lines", lines}}, coord_);
    EXPECT_EQ(a.status, 200) << a.body;
    return id;
  }

  static std::string Url(std::int64_t id, const std::string& tail = "") {
    return "/api/v1/counselling/counsellors/" + std::to_string(id) + tail;
  }
  static std::string BookingUrl(std::int64_t id, const std::string& tail = "") {
    return "/api/v1/counselling/bookings/" + std::to_string(id) + tail;
  }

  // Free slots of the week from `day` (local date).
  json Slots(const std::string& query, const BrowserSession& who) {
    auto r = Get("/api/v1/counselling/slots?" + query, who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }

  std::string LocalDay(std::chrono::hours ahead = 0h) {
    const auto t = server_.clock().Now() + ahead + 1h;  // UTC+1
    return DateOf(t).ToString();
  }

  // Runs a delivery pass through its route and waits for the job to finish.
  json Deliver() {
    auto started = Post("/api/v1/counselling/outbox/deliver", json::object(), admin_);
    EXPECT_EQ(started.status, 202) << started.body;
    const std::string target =
        "/api/v1/counselling/outbox/deliver/" + std::to_string(started.Json()["id"].get<std::int64_t>());
    json job;
    for (int i = 0; i < 400; ++i) {
      job = Get(target, admin_).Json();
      if (job["status"] != "queued" && job["status"] != "running") break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(job["status"], "succeeded") << job;
    return job;
  }

  json Outbox(const std::string& query = "") {
    auto r = Get("/api/v1/counselling/outbox" + query, admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json()["items"];
  }

  const std::string db_url_ = FreshDatabaseUrl(BackendFromEnv());
  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
  BrowserSession admin_, coord_, outsider_, counsellor_;
};

TEST_F(Counselling, ARequestIsBookedRemindedRescheduledAndItsNoShowShownOnTheRequest) {
  const auto cid = MakeCounsellor();
  // A leave day three days ahead: no slot that day.
  const std::string leave = LocalDay(72h);
  ASSERT_EQ(Post(Url(cid, "/leave"), {{"day", leave}, {"reason", "congé"}}, coord_).status, 200);
  auto week = Slots("from=" + LocalDay() + "&pool=family&language=fr", coord_);
  ASSERT_EQ(week["items"].size(), 1u) << week.dump();
  for (const auto& s : week["items"][0]["slots"]) {
    auto t = ParseTimestamp(s["start"].get<std::string>()).value();
    EXPECT_NE(DateOf(t + 1h).ToString(), leave) << s;
  }
  EXPECT_TRUE(Slots("from=" + LocalDay() + "&pool=white_army", coord_)["items"].empty());
  EXPECT_TRUE(Slots("from=" + LocalDay() + "&language=en", coord_)["items"].empty());

  // A citizen asks for counselling; the request waits in the family pool.
  auto submitted = c_.PostJson("/api/v1/public/reports", json{{"service_code", "family_counselling"},
                                                              {"commune_code", kCasa},
                                                              {"topic", "conflit parental"},
                                                              {"counselling_channel", "video"},
                                                              {"contact_name", "Khadija"},
                                                              {"contact_phone", "+212600000077"}}
                                                             .dump());
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  auto requests = Get("/api/v1/counselling/requests?pool=family", coord_);
  ASSERT_EQ(requests.status, 200) << requests.body;
  ASSERT_EQ(requests.Json()["items"].size(), 1u) << requests.body;
  const auto request_id = requests.Json()["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(requests.Json()["items"][0]["no_shows"], 0);

  // Booked two days ahead at 10:00 local.
  const std::string day = LocalDay(48h);
  const std::string slot = ParseTimestamp(day + "T09:00:00Z").has_value() ? day + "T09:00:00.000000Z" : "";
  auto booked =
      Post("/api/v1/counselling/bookings",
           {{"counsellor_id", cid}, {"slot_start", slot}, {"request_id", request_id}, {"language", "fr"}}, coord_);
  ASSERT_EQ(booked.status, 201) << booked.body;
  const auto first = booked.Json()["id"].get<std::int64_t>();
  EXPECT_EQ(booked.Json()["channel"], "video");  // the request's
  EXPECT_EQ(booked.Json()["client_name"], "Khadija");
  // The same slot again: 409, and it is no longer offered.
  auto again =
      Post("/api/v1/counselling/bookings",
           {{"counsellor_id", cid}, {"slot_start", slot}, {"client_name", "X"}, {"client_phone", "1"}}, coord_);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.Json()["error"]["reason"], "counselling.slot_taken");
  // The request has its booking: a second one is refused (reschedule it instead).
  auto twice = Post("/api/v1/counselling/bookings",
                    {{"counsellor_id", cid}, {"slot_start", day + "T12:00:00Z"}, {"request_id", request_id}}, coord_);
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.Json()["error"]["reason"], "counselling.request_booked");
  const json after = Slots("from=" + day + "&to=" + LocalDay(72h), coord_);
  for (const auto& s : after["items"][0]["slots"]) EXPECT_NE(s["start"], slot);
  // The request is in progress; its booking shows on the pool's list.
  requests = Get("/api/v1/counselling/requests?pool=family", coord_);
  EXPECT_EQ(requests.Json()["items"][0]["booking_id"], first) << requests.body;
  EXPECT_EQ(requests.Json()["items"][0]["status"], "in_progress");

  // The confirmation waits in the outbox as a code in French, then is sent.
  auto pending = Outbox("?status=pending");
  ASSERT_EQ(pending.size(), 1u) << pending.dump();
  EXPECT_EQ(pending[0]["message_code"], "counselling.msg.confirmation");
  EXPECT_EQ(pending[0]["language"], "fr");
  EXPECT_EQ(pending[0]["channel"], "sms");
  EXPECT_EQ(pending[0]["params"]["time"], "10:00");
  EXPECT_EQ(Deliver()["result"]["sent"], 1);
  EXPECT_EQ(Outbox("?status=sent").size(), 1u);

  // Rescheduled an hour later: the old booking is cancelled, a new one booked.
  const std::string later = day + "T10:00:00.000000Z";
  auto moved = Post(BookingUrl(first, "/reschedule"), {{"slot_start", later}}, coord_);
  ASSERT_EQ(moved.status, 201) << moved.body;
  const auto second = moved.Json()["id"].get<std::int64_t>();
  EXPECT_EQ(moved.Json()["rescheduled_from"], first);
  EXPECT_EQ(Get(BookingUrl(first), coord_).Json()["status"], "cancelled");
  EXPECT_EQ(Post(BookingUrl(first, "/cancel"), json::object(), coord_).status, 422);
  EXPECT_EQ(Deliver()["result"]["sent"], 2);  // the cancellation of 10:00, the confirmation of 11:00

  // The counsellor's calendar shows the booking; the old slot is free again.
  auto calendar = Get("/api/v1/counselling/calendar?from=" + day + "&to=" + LocalDay(72h), counsellor_);
  ASSERT_EQ(calendar.status, 200) << calendar.body;
  ASSERT_EQ(calendar.Json()["bookings"].size(), 1u);
  EXPECT_EQ(calendar.Json()["bookings"][0]["id"], second);
  bool old_free = false;
  const json own = calendar.Json();
  for (const auto& s : own["slots"]) old_free |= s["start"] == slot;
  EXPECT_TRUE(old_free) << slot << " " << calendar.body;

  // 24 h before the session the pass queues and sends a reminder, once.
  server_.clock().Advance(
      std::chrono::duration_cast<std::chrono::seconds>(ParseTimestamp(later).value() - 23h - server_.clock().Now()));
  auto reminded = Deliver();
  EXPECT_EQ(reminded["result"]["reminders"], 1) << reminded;
  EXPECT_EQ(reminded["result"]["sent"], 1);
  EXPECT_EQ(Deliver()["result"]["reminders"], 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM counselling_outbox WHERE kind = 'reminder'"), 1);

  // Before the slot the session cannot be recorded; after it, a no-show shown on the request.
  EXPECT_EQ(Post(BookingUrl(second, "/session"), {{"status", "no_show"}}, counsellor_).status, 422);
  server_.clock().Advance(24h);
  EXPECT_EQ(Post(BookingUrl(second, "/session"), {{"status", "maybe"}}, counsellor_).status, 400);
  auto recorded = Post(BookingUrl(second, "/session"), {{"status", "no_show"}}, counsellor_);
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(recorded.Json()["status"], "no_show");
  requests = Get("/api/v1/counselling/requests?pool=family", coord_);
  EXPECT_EQ(requests.Json()["items"][0]["no_shows"], 1) << requests.body;
  EXPECT_EQ(Get(BookingUrl(second), coord_).Json()["client_no_shows"], 1);
  // Every read of bookings was audited.
  EXPECT_GE(Get("/api/v1/audit?record_type=counselling_booking&action=view", admin_).Json()["total"].get<long long>(),
            2);
  EXPECT_GE(Get("/api/v1/audit?record_type=counselling_booking&action=search", admin_).Json()["total"].get<long long>(),
            1);
}

TEST_F(Counselling, SessionNotesAreSealedAndReadByTheCounsellorOnly) {
  const auto cid = MakeCounsellor();
  const std::string slot = LocalDay(24h) + "T09:00:00.000000Z";
  auto booked = Post("/api/v1/counselling/bookings",
                     {{"counsellor_id", cid},
                      {"slot_start", slot},
                      {"client_name", "Walk-in-Client-5f2"},
                      {"client_phone", "+212600000088"},
                      {"channel", "in_person"}},
                     counsellor_);
  ASSERT_EQ(booked.status, 201) << booked.body;
  const auto id = booked.Json()["id"].get<std::int64_t>();
  // Only the booking's counsellor writes notes; a coordinator may not.
  EXPECT_EQ(Post(BookingUrl(id, "/notes"), {{"text", "x"}}, admin_).status, 403);
  auto note = Post(BookingUrl(id, "/notes"), {{"text", kSecret}}, counsellor_);
  ASSERT_EQ(note.status, 201) << note.body;
  auto mine = Get(BookingUrl(id), counsellor_).Json();
  ASSERT_EQ(mine["notes"].size(), 1u);
  EXPECT_EQ(mine["notes"][0]["text"], kSecret);
  auto theirs = Get(BookingUrl(id), coord_);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_TRUE(theirs.Json()["notes"][0]["text"].is_null());
  EXPECT_EQ(theirs.body.find("SESSION-NOTE"), std::string::npos);
  // At rest: sealed under the booking's context, which never opens as the case of the same number.
  std::string sealed;
  {
    auto s = server_.platform().db->Acquire();
    s.sql() << "SELECT sealed FROM counselling_session_notes", soci::into(sealed);
  }
  EXPECT_EQ(sealed.find("SESSION-NOTE"), std::string::npos);
  const auto& cipher = *server_.services().case_notes;
  EXPECT_FALSE(cipher.Open(id, sealed));
  EXPECT_TRUE(cipher.Open(std::string_view("sanad.counselling.session." + std::to_string(id)), sealed));
  EXPECT_EQ(Get("/api/v1/audit?record_type=counselling_booking&action=note", admin_).Json()["total"], 1);
  // Nowhere in the database files (SQLite, its WAL and the audit spool) or in a dump (PostgreSQL).
  std::string everything;
  if (server_.platform().db->dialect() == db::Dialect::kSqlite) {
    const std::filesystem::path db_path(server_.platform().db->url().sqlite_path);
    for (const auto& entry : std::filesystem::directory_iterator(db_path.parent_path())) {
      if (!entry.path().filename().string().starts_with(db_path.filename().string())) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      everything += ss.str();
    }
  } else {
    const std::string cmd = "pg_dump --no-owner --dbname='" + db_url_ + "'";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[65536];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) everything.append(buf, n);
    ASSERT_EQ(pclose(p), 0) << "pg_dump failed";
  }
  EXPECT_NE(everything.find("Walk-in-Client-5f2"), std::string::npos) << "the bookings were read";
  EXPECT_EQ(everything.find("SESSION-NOTE-9c1e"), std::string::npos);
  EXPECT_EQ(everything.find("husband's anger"), std::string::npos);
}

TEST_F(Counselling, ParallelRequestsForOneSlotBookItExactlyOnce) {
  const auto cid = MakeCounsellor();
  const std::string slot = LocalDay(48h) + "T12:00:00.000000Z";
  constexpr int kThreads = 16;
  std::atomic<int> created{0}, taken{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client = server_.Client();
      auto h = coord_.Auth();
      h.emplace_back("Content-Type", "application/json");
      const std::string body = json{{"counsellor_id", cid},
                                    {"slot_start", slot},
                                    {"client_name", "Client " + std::to_string(i)},
                                    {"client_phone", "+2126000001" + std::to_string(10 + i)}}
                                   .dump();
      while (!go.load()) std::this_thread::yield();
      auto r = client.Request("POST", "/api/v1/counselling/bookings", body, h);
      if (r.status == 201) {
        ++created;
      } else if (r.status == 409 && r.Json()["error"]["reason"] == "counselling.slot_taken") {
        ++taken;
      } else {
        ++other;
        ADD_FAILURE() << r.status << " " << r.body;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM counselling_bookings"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM counselling_outbox"), 1);  // one confirmation, of the one booking
}

TEST_F(Counselling, BadInputChangesNothingAndScopeHolds) {
  const auto cid = MakeCounsellor();
  // Bad availability names the line and the fault; the availability stays as it was.
  auto bad = Send("PUT", Url(cid, "/availability"),
                  {{"lines",
                    {{{"weekday", 1}, {"starts", "09:00"}, {"ends", "18:00"}},
                     {{"weekday", 2}, {"starts", "12:00"}, {"ends", "10:00"}}}}},
                  coord_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()["error"]["reason"], "counselling.bad_hours");
  EXPECT_EQ(bad.Json()["error"]["field"], "lines/1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM counsellor_availability"), 7);
  auto bad_specialty = Post("/api/v1/counselling/counsellors",
                            {{"username", "coord"},
                             {"given_name", "A"},
                             {"family_name", "B"},
                             {"specialties", {"family", "astrology"}},
                             {"languages", {"ar"}},
                             {"pool", "family"},
                             {"area_code", "MA-03"}},
                            admin_);
  EXPECT_EQ(bad_specialty.status, 400);
  EXPECT_EQ(bad_specialty.Json()["error"]["field"], "specialties/1");
  // Not a slot: mid-slot, or in the past; no booking without a client.
  const std::string day = LocalDay(48h);
  auto mid =
      Post("/api/v1/counselling/bookings",
           {{"counsellor_id", cid}, {"slot_start", day + "T09:30:00Z"}, {"client_name", "A"}, {"client_phone", "1"}},
           coord_);
  EXPECT_EQ(mid.status, 400);
  EXPECT_EQ(mid.Json()["error"]["reason"], "counselling.not_a_slot");
  auto past = Post("/api/v1/counselling/bookings",
                   {{"counsellor_id", cid},
                    {"slot_start", LocalDay(-48h) + "T09:00:00Z"},
                    {"client_name", "A"},
                    {"client_phone", "1"}},
                   coord_);
  EXPECT_EQ(past.Json()["error"]["reason"], "counselling.slot_past") << past.body;
  auto nobody =
      Post("/api/v1/counselling/bookings", {{"counsellor_id", cid}, {"slot_start", day + "T09:00:00Z"}}, coord_);
  EXPECT_EQ(nobody.Json()["error"]["reason"], "counselling.client_required");
  // A request of the white-army line goes to a counsellor of that pool, not of the family one.
  auto white = c_.PostJson("/api/v1/public/reports", json{{"service_code", "family_counselling"},
                                                          {"commune_code", kCasa},
                                                          {"topic", "stress"},
                                                          {"counselling_channel", "phone"},
                                                          {"white_army", true},
                                                          {"contact_phone", "+212600000066"}}
                                                         .dump());
  ASSERT_EQ(white.status, 201) << white.body;
  auto pool = Get("/api/v1/counselling/requests?pool=white_army", coord_).Json();
  ASSERT_EQ(pool["items"].size(), 1u) << pool.dump();
  auto wrong = Post(
      "/api/v1/counselling/bookings",
      {{"counsellor_id", cid}, {"slot_start", day + "T09:00:00Z"}, {"request_id", pool["items"][0]["id"]}}, coord_);
  EXPECT_EQ(wrong.Json()["error"]["reason"], "counselling.wrong_pool") << wrong.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM counselling_bookings"), 0);
  // Another region's coordinator sees neither the counsellor nor their slots, nor books them.
  EXPECT_EQ(Get(Url(cid), outsider_).status, 404);
  EXPECT_TRUE(Slots("from=" + LocalDay(), outsider_)["items"].empty());
  auto foreign =
      Post("/api/v1/counselling/bookings",
           {{"counsellor_id", cid}, {"slot_start", day + "T09:00:00Z"}, {"client_name", "A"}, {"client_phone", "1"}},
           outsider_);
  EXPECT_EQ(foreign.status, 404);
  auto elsewhere = Post("/api/v1/counselling/counsellors",
                        {{"username", "coord"},
                         {"given_name", "A"},
                         {"family_name", "B"},
                         {"specialties", {"family"}},
                         {"languages", {"ar"}},
                         {"pool", "family"},
                         {"area_code", "MA-03"}},
                        outsider_);
  EXPECT_EQ(elsewhere.Json()["error"]["reason"], "counselling.outside_scope") << elsewhere.body;
  // A counsellor may not manage counsellors or see the outbox.
  EXPECT_EQ(Get("/api/v1/counselling/outbox", counsellor_).status, 403);
  EXPECT_EQ(Send("PUT", Url(cid, "/availability"), {{"lines", json::array()}}, counsellor_).status, 403);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM counsellors"), 1);
}

}  // namespace
}  // namespace sanad::testing
