// Targeting simulation over HTTP on SQLite and PostgreSQL (SANAD_TEST_DB): a synthetic registry scored
// with the illustrative model, an ASD run with a higher candidate threshold, numbers that hold
// together (covered ≤ households, errors in [0, 1], the regions adding up to the total, the higher
// threshold covering at least as many), the CSV export, 422 on an unknown parameter, and who may see
// what (aggregates.read; a simulation is visible from its own area only).
#include <gtest/gtest.h>

#include <thread>

#include "app/demo_registry.h"
#include "synth/generator.h"
#include "targeting/model.h"
#include "targeting/score_run.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

constexpr int kHouseholds = 400;

Json AwaitJob(const HttpClient& c, const std::string& path, const Headers& auth) {
  Json job;
  for (int i = 0; i < 600; ++i) {
    auto r = c.Get(path, auth);
    if (r.status != 200) return Json{{"http_status", r.status}, {"body", r.body}};
    job = r.Json();
    const std::string status = job["status"];
    if (status != "queued" && status != "running") return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return job;
}

// A synthetic Moroccan registry of kHouseholds households, scored with the illustrative model.
void SeedScoredRegistry(TestServer& server) {
  auto ref = synth::LoadReferenceData(std::string(SANAD_SOURCE_ROOT) + "/data");
  ASSERT_TRUE(ref) << ref.error().message;
  synth::Config config;
  config.households = kHouseholds;
  config.seed = 5;
  config.duplicate_share = 0.0;
  auto reg = synth::Generate(*ref, config);
  ASSERT_TRUE(reg) << reg.error().message;
  auto seeded = app::SeedRegistry(server.platform(), *reg);
  ASSERT_TRUE(seeded) << seeded.error().message;
  auto model = targeting::LoadModel(std::string(SANAD_SOURCE_ROOT) + "/data/models/rsu-illustrative-2026.json");
  ASSERT_TRUE(model) << model.error().message;
  const TimePoint now = server.clock().Now();
  auto scored = targeting::ScoreAll(*server.platform().scores, *model, {DateOf(now).ToString(), FormatTimestamp(now)});
  ASSERT_TRUE(scored) << scored.error().message;
}

void ExpectRowHoldsTogether(const Json& row) {
  const auto households = row["households"].get<std::int64_t>();
  EXPECT_LE(row["poor_households"].get<std::int64_t>(), row["measured_households"].get<std::int64_t>()) << row;
  EXPECT_LE(row["measured_households"].get<std::int64_t>(), households) << row;
  for (const char* scenario : {"baseline", "candidate"}) {
    const Json& m = row[scenario];
    const auto covered = m["covered_households"].get<std::int64_t>();
    EXPECT_LE(covered, households) << row;
    EXPECT_LE(m["covered_persons"].get<std::int64_t>(), row["persons"].get<std::int64_t>()) << row;
    EXPECT_GE(m["coverage_rate"].get<double>(), 0.0);
    EXPECT_LE(m["coverage_rate"].get<double>(), 1.0);
    for (const char* error : {"inclusion_error", "exclusion_error"}) {
      if (m[error].is_null()) continue;
      EXPECT_GE(m[error].get<double>(), 0.0) << row;
      EXPECT_LE(m[error].get<double>(), 1.0) << row;
    }
    // ASD pays every eligible household at least its 500 DH floor (or flat amount): 50,000 centimes.
    EXPECT_GE(m["monthly_cost_minor"].get<std::int64_t>(), 50'000 * covered) << row;
    EXPECT_EQ(m["yearly_cost_minor"].get<std::int64_t>(),
              12 * m["monthly_cost_minor"].get<std::int64_t>() + m["one_off_cost_minor"].get<std::int64_t>());
  }
  EXPECT_GE(row["candidate"]["covered_households"].get<std::int64_t>(),
            row["baseline"]["covered_households"].get<std::int64_t>())
      << "a higher threshold covers at least as many: " << row;
}

TEST(TargetingSimulationHttp, AnalystsCompareACandidateThresholdByRegion) {
  TestServerOptions options;
  options.db_url = FreshDatabaseUrl(BackendFromEnv());
  TestServer server(options);
  SeedScoredRegistry(server);
  if (HasFatalFailure()) return;
  const std::string analyst_pw = server.AddUser("analyst.rabat", {auth::Role::kNationalAnalyst});
  const std::string coord_pw = server.AddUser("coord.fes", {auth::Role::kRegionalCoordinator}, "MA-03");
  const std::string agent_pw = server.AddUser("agent.fes", {auth::Role::kDataEntry}, "MA-03");
  auto c = server.Client();
  auto analyst = BearerToken(c, "analyst.rabat", analyst_pw);
  auto coord = BearerToken(c, "coord.fes", coord_pw);
  auto agent = BearerToken(c, "agent.fes", agent_pw);
  ASSERT_TRUE(analyst && coord && agent);

  // The parameters in force prefill the candidate.
  auto defaults = c.Get("/api/v1/programs/ASD/targeting-simulation/defaults?period=2026-03", Bearer(*analyst));
  ASSERT_EQ(defaults.status, 200) << defaults.body;
  EXPECT_EQ(defaults.Json()["parameters"]["asd.flat"], 500);
  EXPECT_DOUBLE_EQ(defaults.Json()["poverty_line"].get<double>(), 9.743001);

  const std::string body = R"({"period":"2026-03","overrides":{"asd.index_threshold":11.0}})";
  auto started = c.PostJson("/api/v1/programs/ASD/targeting-simulation", body, Bearer(*analyst));
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string path = started.Header("location").value_or("");
  ASSERT_EQ(path,
            "/api/v1/programs/ASD/targeting-simulation/" + std::to_string(started.Json()["id"].get<std::int64_t>()));
  const Json job = AwaitJob(c, path, Bearer(*analyst));
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  const Json& result = job["result"];
  const Json& total = result["total"];
  EXPECT_EQ(total["households"], kHouseholds) << total;
  EXPECT_EQ(job["progress"]["done"], kHouseholds);
  EXPECT_EQ(result["parameters"]["candidate"]["asd.index_threshold"], 11.0);
  EXPECT_GT(total["poor_households"].get<std::int64_t>(), 0) << total;
  EXPECT_GT(total["baseline"]["covered_households"].get<std::int64_t>(), 0) << total;
  EXPECT_GT(total["candidate"]["covered_households"].get<std::int64_t>(),
            total["baseline"]["covered_households"].get<std::int64_t>())
      << total;
  ExpectRowHoldsTogether(total);
  ASSERT_GT(result["regions"].size(), 1u);
  std::int64_t households = 0, covered = 0, cost = 0;
  for (const Json& row : result["regions"]) {
    ExpectRowHoldsTogether(row);
    households += row["households"].get<std::int64_t>();
    covered += row["candidate"]["covered_households"].get<std::int64_t>();
    cost += row["candidate"]["monthly_cost_minor"].get<std::int64_t>();
  }
  EXPECT_EQ(households, total["households"].get<std::int64_t>());
  EXPECT_EQ(covered, total["candidate"]["covered_households"].get<std::int64_t>());
  EXPECT_EQ(cost, total["candidate"]["monthly_cost_minor"].get<std::int64_t>());

  // The table as CSV: the header, two lines per region, two for the total.
  auto csv = c.Get(path + "/result.csv", Bearer(*analyst));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.Header("content-type").value_or("").find("text/csv"), std::string::npos);
  std::size_t lines = 0;
  for (char ch : csv.body) lines += ch == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 1 + 2 * (result["regions"].size() + 1));
  EXPECT_NE(csv.body.find("\r\ntotal,candidate," + std::to_string(kHouseholds) + ","), std::string::npos) << csv.body;

  // An unknown parameter and a decimal amount: 422 naming each, nothing queued.
  auto bad = c.PostJson("/api/v1/programs/ASD/targeting-simulation",
                        R"({"period":"2026-03","overrides":{"asd.treshold":10,"asd.flat":600.5}})", Bearer(*analyst));
  ASSERT_EQ(bad.status, 422) << bad.body;
  const Json problems = bad.Json()["error"]["problems"];
  ASSERT_EQ(problems.size(), 2u) << bad.body;
  // In the names' order (the body's object is read sorted).
  EXPECT_EQ(problems[0]["field"], "overrides.asd.flat");
  EXPECT_EQ(problems[0]["reason"], "program.override_not_integer");
  EXPECT_EQ(problems[1]["field"], "overrides.asd.treshold");
  EXPECT_EQ(problems[1]["reason"], "program.override_unknown");
  // Every problem at once: a value that is not a number beside an unknown name (the former stopped the
  // check with a 400 of its own), and a period that is none beside an unknown name.
  auto both = c.PostJson("/api/v1/programs/ASD/targeting-simulation",
                         R"({"period":"2026-03","overrides":{"asd.index_threshold":"10","asd.treshold":10}})",
                         Bearer(*analyst));
  ASSERT_EQ(both.status, 422) << both.body;
  ASSERT_EQ(both.Json()["error"]["problems"].size(), 2u) << both.body;
  EXPECT_EQ(both.Json()["error"]["problems"][0]["field"], "overrides.asd.index_threshold") << both.body;
  EXPECT_EQ(both.Json()["error"]["problems"][0]["reason"], "field.not_number") << both.body;
  EXPECT_EQ(both.Json()["error"]["problems"][1]["reason"], "program.override_unknown") << both.body;
  auto period_too =
      c.PostJson("/api/v1/programs/ASD/targeting-simulation",
                 R"({"period":"2026-13","overrides":{"asd.treshold":10,"asd.flat":600}})", Bearer(*analyst));
  ASSERT_EQ(period_too.status, 422) << period_too.body;
  ASSERT_EQ(period_too.Json()["error"]["problems"].size(), 2u) << period_too.body;
  EXPECT_EQ(period_too.Json()["error"]["problems"][0]["field"], "period") << period_too.body;
  EXPECT_EQ(period_too.Json()["error"]["problems"][1]["field"], "overrides.asd.treshold") << period_too.body;
  EXPECT_EQ(
      c.PostJson("/api/v1/programs/NOPE/targeting-simulation", R"({"period":"2026-03"})", Bearer(*analyst)).status,
      404);

  // Aggregates only: a data-entry agent may not; a regional coordinator does not see the national run.
  EXPECT_EQ(c.PostJson("/api/v1/programs/ASD/targeting-simulation", body, Bearer(*agent)).status, 403);
  EXPECT_EQ(c.Get(path, Bearer(*agent)).status, 403);
  EXPECT_EQ(c.Get(path, Bearer(*coord)).status, 404);
  EXPECT_EQ(c.Get(path + "/result.csv", Bearer(*coord)).status, 404);
  // The coordinator's own run covers their region only, and the analyst does not see it.
  auto own = c.PostJson("/api/v1/programs/ASD/targeting-simulation", body, Bearer(*coord));
  ASSERT_EQ(own.status, 202) << own.body;
  const Json regional = AwaitJob(c, own.Header("location").value_or(""), Bearer(*coord));
  ASSERT_EQ(regional["status"], "succeeded") << regional.dump();
  ASSERT_EQ(regional["result"]["regions"].size(), 1u) << regional.dump();
  EXPECT_EQ(regional["result"]["regions"][0]["region"], "MA-03");
  EXPECT_EQ(regional["result"]["area"], "MA-03");
  for (const Json& row : result["regions"]) {
    if (row["region"] == "MA-03") {
      EXPECT_EQ(row["households"], regional["result"]["total"]["households"]);
    }
  }
  EXPECT_EQ(c.Get(own.Header("location").value_or(""), Bearer(*analyst)).status, 404);
}

}  // namespace
}  // namespace sanad::testing
