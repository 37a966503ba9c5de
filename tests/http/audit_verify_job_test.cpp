// Verifying the audit chain is a job (POST /api/v1/audit/verify → 202, GET …/{id} until it ends) on
// SQLite and PostgreSQL (SANAD_TEST_DB): auditors and administrators start and read it, an area-scoped
// auditor too (the chain is global); the report's reason is a catalogue code rendered in the request's
// language; a running verification can be cancelled.
#include <gtest/gtest.h>

#include <thread>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

// Polls the job until it has ended (or 20 s have passed) and returns its last state.
Json AwaitJob(const HttpClient& c, std::int64_t id, const Headers& auth) {
  Json job;
  for (int i = 0; i < 400; ++i) {
    auto r = c.Get("/api/v1/audit/verify/" + std::to_string(id), auth);
    if (r.status != 200) return Json{{"http_status", r.status}, {"body", r.body}};
    job = r.Json();
    const std::string status = job["status"];
    if (status != "queued" && status != "running") return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return job;
}

TEST(AuditVerifyJob, AuditorsStartAndReadAVerificationWhoseReportIsInTheirLanguage) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  const std::string auditor_pw = server.AddUser("auditor.rabat", {auth::Role::kAuditor});
  const std::string local_pw = server.AddUser("auditor.fes", {auth::Role::kAuditor}, "MA-03");
  const std::string agent_pw = server.AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03.231");
  auto c = server.Client();
  auto auditor = BearerToken(c, "auditor.rabat", auditor_pw);
  auto local = BearerToken(c, "auditor.fes", local_pw);
  auto agent = BearerToken(c, "agent.fes", agent_pw);
  ASSERT_TRUE(auditor && local && agent);

  auto started = c.PostJson("/api/v1/audit/verify", "{}", Bearer(*auditor));
  ASSERT_EQ(started.status, 202) << started.body;
  const Json job = started.Json();
  ASSERT_TRUE(job["id"].is_number_integer()) << job.dump();
  EXPECT_TRUE(job["status"] == "queued" || job["status"] == "running" || job["status"] == "succeeded") << job.dump();
  EXPECT_TRUE(job["progress"].contains("done") && job["progress"].contains("total")) << job.dump();
  EXPECT_EQ(started.Header("location"), "/api/v1/audit/verify/" + std::to_string(job["id"].get<std::int64_t>()));
  Json done = AwaitJob(c, job["id"], Bearer(*auditor));
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["report"]["ok"], true) << done.dump();
  EXPECT_GT(done["report"]["checked"].get<long long>(), 0);
  EXPECT_TRUE(done["report"]["first_broken_id"].is_null());
  EXPECT_TRUE(done["report"]["reason"].is_null());
  EXPECT_EQ(done["progress"]["done"], done["report"]["checked"]) << done.dump();

  // Others may not start or read one.
  EXPECT_EQ(c.PostJson("/api/v1/audit/verify", "{}", Bearer(*agent)).status, 403);
  EXPECT_EQ(c.Get("/api/v1/audit/verify/" + std::to_string(job["id"].get<std::int64_t>()), Bearer(*agent)).status, 403);
  EXPECT_EQ(c.PostJson("/api/v1/audit/verify", "{}").status, 401);
  EXPECT_EQ(c.Get("/api/v1/audit/verify/999999", Bearer(*auditor)).status, 404);
  // The start is in the log, with its job.
  audit::AuditQuery q;
  q.action = "verify";
  q.record_type = "audit_log";
  auto starts = server.platform().audit->Query(q);
  ASSERT_TRUE(starts && starts->total == 1);
  EXPECT_EQ(Json::parse(starts->items[0].details)["job_id"], job["id"]);

  // Entries removed (the head says more than the log holds): the area-scoped auditor's verification
  // names the first missing entry, with the reason in French.
  long long last = 0;
  {
    auto s = server.platform().db->Acquire();
    s.sql() << "SELECT last_id FROM audit_head WHERE singleton = 1", soci::into(last);
    s.sql() << "UPDATE audit_head SET last_id = last_id + 5 WHERE singleton = 1";
  }
  Headers fr = Bearer(*local);
  fr.emplace_back("Accept-Language", "fr");
  auto broken_start = c.PostJson("/api/v1/audit/verify", "{}", fr);
  ASSERT_EQ(broken_start.status, 202) << broken_start.body;
  Json broken = AwaitJob(c, broken_start.Json()["id"], fr);
  ASSERT_EQ(broken["status"], "succeeded") << broken.dump();
  const Json& report = broken["report"];
  EXPECT_EQ(report["ok"], false) << report.dump();
  EXPECT_EQ(report["first_broken_id"], last + 1) << report.dump();
  EXPECT_EQ(report["reason"], "audit_verify.entries_missing") << report.dump();
  EXPECT_EQ(report["params"]["previous"], std::to_string(last)) << report.dump();
  EXPECT_NE(report["message"].get<std::string>().find("des entrées manquent"), std::string::npos) << report.dump();
  Headers ar = Bearer(*auditor);
  ar.emplace_back("Accept-Language", "ar");
  auto in_arabic = c.Get("/api/v1/audit/verify/" + std::to_string(broken["id"].get<std::int64_t>()), ar);
  ASSERT_EQ(in_arabic.status, 200);
  EXPECT_NE(in_arabic.Json()["report"]["message"].get<std::string>().find("مفقودة"), std::string::npos)
      << in_arabic.body;
}

TEST(AuditVerifyJob, ARunningVerificationCanBeCancelledAndASecondStartJoinsIt) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  // Every chunk boundary waits: the job is still running when it is cancelled.
  options.jobs.test_chunk_delay = std::chrono::milliseconds(3000);
  TestServer server(options);
  const std::string auditor_pw = server.AddUser("auditor.rabat", {auth::Role::kAuditor});
  const std::string admin_pw = server.AddUser("admin.rabat", {auth::Role::kAdmin});
  auto c = server.Client();
  auto auditor = BearerToken(c, "auditor.rabat", auditor_pw);
  auto admin = BearerToken(c, "admin.rabat", admin_pw);
  ASSERT_TRUE(auditor && admin);
  auto first = c.PostJson("/api/v1/audit/verify", "{}", Bearer(*auditor));
  ASSERT_EQ(first.status, 202) << first.body;
  const std::int64_t id = first.Json()["id"];
  auto second = c.PostJson("/api/v1/audit/verify", "{}", Bearer(*admin));
  ASSERT_EQ(second.status, 202) << second.body;
  EXPECT_EQ(second.Json()["id"], id) << "one verification at a time: the second start joins the first";
  auto cancelled = c.PostJson("/api/v1/audit/verify/" + std::to_string(id) + "/cancel", "{}", Bearer(*auditor));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  Json end = AwaitJob(c, id, Bearer(*auditor));
  EXPECT_EQ(end["status"], "cancelled") << end.dump();
  EXPECT_TRUE(end["report"].is_null());
  EXPECT_EQ(c.PostJson("/api/v1/audit/verify/" + std::to_string(id) + "/cancel", "{}", Bearer(*auditor)).status, 422)
      << "an ended job cannot be cancelled";
}

}  // namespace
}  // namespace sanad::testing
