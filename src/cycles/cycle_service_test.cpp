// The cycle lifecycle on SQLite and PostgreSQL (SANAD_TEST_DB): generation through the job runner,
// four eyes, freeze after approval (a registry edit through a change request changes nothing), discard
// and regeneration of a draft, paid and closed, one cycle whatever races (two generations at once, two
// servers), no partial cycle when the computation fails inside the transaction, a dead server's job
// finished by another, entries and totals within a regional scope, incompatibility flags.
//
// The entries computation is a stand-in here (set-based, from the current registry: amount = rooms ×
// 100 DH for odd household ids); the scenario test with the real data plane is in tests/.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "cycles/cycle_programme.h"
#include "cycles/cycle_service.h"
#include "cycles/test_support.h"
#include "db/migrations.h"
#include "db/row_scan.h"
#include "geo/reference_data.h"
#include "registry/change_service.h"
#include "targeting/model.h"
#include "targeting/score_run.h"
#include "test_db.h"

namespace sanad::cycles {
namespace {

using registry::Actor;

constexpr const char* kPeriod = "2026-03";

using testing::StandInEntries;

class CycleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("sanad-cycles-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    // The whole country: several regions.
    auto st = testing::WriteSyntheticRegistry(dir_, 120, 11);
    ASSERT_TRUE(st) << st.error().message;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    auto db = db::Database::Open(sanad::testing::FreshDatabaseUrl(sanad::testing::BackendFromEnv()), 6);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    const std::string data = std::string(SANAD_SOURCE_ROOT) + "/data";
    areas::AreaStore areas(*db_);
    ASSERT_TRUE(areas.LoadReference(*geo::LoadReferenceAreas(data), *geo::ReferenceChecksum(data)));
    registry_ = std::make_unique<registry::RegistryStore>(*db_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    changes_ = std::make_unique<registry::ChangeService>(*registry_, *audit_, clock_);
    store_ = std::make_unique<CycleStore>(*db_);
    jobs_ = std::make_unique<jobs::JobStore>(*db_);
    service_ = std::make_unique<CycleService>(*store_, *jobs_, clock_, StandInEntries);
    const std::string today = DateOf(clock_.Now()).ToString();
    officer_ = Actor{1, "officer", {std::nullopt, today}, "test", "t1"};
    approver_ = Actor{2, "approver", {std::nullopt, today}, "test", "t2"};
    auto imported = testing::ImportSyntheticRegistry(dir_, *registry_, *changes_, clock_, officer_, approver_);
    ASSERT_TRUE(imported) << imported.error().reason << " " << imported.error().message;
  }

  void TearDown() override {
    if (runner_) runner_->Stop();
    runner_.reset();
  }

  void StartRunner(const std::string& node = "node-a") {
    runner_ = std::make_unique<jobs::JobRunner>(*jobs_, clock_,
                                                jobs::JobRunnerOptions{.node_id = node,
                                                                       .lease = std::chrono::milliseconds(600),
                                                                       .heartbeat = std::chrono::milliseconds(200),
                                                                       .poll = std::chrono::milliseconds(20)});
    runner_->Register(CycleService::kJobKind, *service_);
    runner_->Start();
  }

  long long Count(const std::string& sql) {
    auto s = db_->Acquire();
    long long n = 0;
    s.sql() << sql, soci::into(n);
    return n;
  }

  jobs::JobRecord WaitForJob(std::int64_t id) {
    for (int i = 0; i < 1500; ++i) {
      auto j = jobs_->Get(id);
      EXPECT_TRUE(j && *j);
      if (!j || !*j) break;
      if ((**j).state != jobs::JobState::kQueued && (**j).state != jobs::JobState::kRunning) return **j;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }

  // A draft computed directly (no runner).
  CycleRow Draft(const std::string& programme = "ASD", const std::string& period = kPeriod) {
    auto c = service_->Compute(programme, period, FormatTimestamp(clock_.Now()), officer_.user_id, officer_.username);
    EXPECT_TRUE(c) << (c ? "" : c.error().reason);
    return c ? *c : CycleRow{};
  }

  std::vector<EntryRow> AllEntries(std::int64_t id, const registry::Scope& scope = {}) {
    registry::Scope sc = scope;
    if (sc.today.empty()) sc.today = DateOf(clock_.Now()).ToString();
    auto page = service_->Entries(id, {}, sc, 1000, 0);
    EXPECT_TRUE(page);
    return page ? page->first : std::vector<EntryRow>{};
  }

  static inline std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<registry::RegistryStore> registry_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<registry::ChangeService> changes_;
  std::unique_ptr<CycleStore> store_;
  std::unique_ptr<jobs::JobStore> jobs_;
  std::unique_ptr<CycleService> service_;
  std::unique_ptr<jobs::JobRunner> runner_;
  Actor officer_, approver_;
};

TEST_F(CycleTest, GeneratesThroughTheJobRunnerAndGivesTheExistingCycleTheSecondTime) {
  StartRunner();
  auto first = service_->Generate("ASD", kPeriod, std::nullopt, officer_);
  ASSERT_TRUE(first) << first.error().reason;
  ASSERT_TRUE(first->job);
  auto job = WaitForJob(first->job->id);
  ASSERT_EQ(job.state, jobs::JobState::kSucceeded) << job.error_code.value_or("");
  ASSERT_TRUE(job.result);
  const std::int64_t id = (*job.result)["cycle_id"].get<std::int64_t>();
  auto c = service_->Get(id);
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((**c).state, "draft");
  EXPECT_EQ((**c).currency, "MAD");
  EXPECT_EQ((**c).generated_by, "officer");
  EXPECT_EQ((**c).programme_digest.size(), 64u);
  EXPECT_EQ((**c).totals.considered, Count("SELECT COUNT(*) FROM households WHERE status = 'active'"));
  EXPECT_GT((**c).totals.eligible, 0);
  // The cut-off the job fixed was saved as its checkpoint before any work.
  ASSERT_TRUE(job.checkpoint);
  EXPECT_EQ((*job.checkpoint)["cut_off"], (**c).cut_off);

  auto second = service_->Generate("ASD", kPeriod, std::nullopt, approver_);
  ASSERT_TRUE(second);
  ASSERT_TRUE(second->existing);
  EXPECT_FALSE(second->job);
  EXPECT_EQ(second->existing->id, id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM programme_cycles"), 1);
}

TEST_F(CycleTest, RefusesBadInput) {
  auto unknown = service_->Generate("NOPE", kPeriod, std::nullopt, officer_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().reason, "program.not_found");
  for (const char* bad : {"2026-13", "2026-3", "202603", "2026-03-01"}) {
    auto r = service_->Generate("ASD", bad, std::nullopt, officer_);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().reason, "cycle.bad_period") << bad;
    EXPECT_EQ(r.error().field, "period");
  }
  auto future = service_->Generate("ASD", kPeriod, FormatTimestamp(clock_.Now() + std::chrono::hours(48)), officer_);
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().reason, "cycle.cut_off_in_future");
  auto garbage = service_->Generate("ASD", kPeriod, std::string("yesterday"), officer_);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().field, "cut_off");
  Actor regional = officer_;
  regional.scope.area = "MA-03";
  auto scoped = service_->Generate("ASD", kPeriod, std::nullopt, regional);
  ASSERT_FALSE(scoped);
  EXPECT_EQ(scoped.error().reason, "cycle.national_only");
  auto early = service_->Generate("ASD", "1990-01", std::nullopt, officer_);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().reason, "cycle.no_parameters");
}

TEST_F(CycleTest, FourEyesApprovalFreezesTheCycle) {
  CycleRow draft = Draft();
  ASSERT_GT(draft.id, 0);
  auto own = service_->Approve(draft.id, false, officer_);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, Code::kPermissionDenied);
  EXPECT_EQ(own.error().reason, "cycle.own_cycle");

  const auto before = AllEntries(draft.id);
  auto approved = service_->Approve(draft.id, false, approver_);
  ASSERT_TRUE(approved) << approved.error().reason;
  EXPECT_EQ(approved->state, "approved");
  EXPECT_EQ(approved->approved_by, "approver");
  EXPECT_TRUE(approved->approved_at);

  // Edit an eligible household through the registry's change-request path (author, then reviewer).
  const EntryRow* target = nullptr;
  for (const auto& e : before)
    if (e.eligible) target = &e;
  ASSERT_NE(target, nullptr);
  auto cr = changes_->Submit("update_household", {{"household_id", target->household_id}, {"changes", {{"rooms", 9}}}},
                             officer_);
  ASSERT_TRUE(cr) << cr.error().reason;
  ASSERT_TRUE(changes_->Approve(cr->id, approver_, registry::ReviewDecision{}));
  // The stand-in would now compute 900 DH for it; the approved cycle keeps what it froze.
  const auto after = AllEntries(draft.id);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].household_id, before[i].household_id);
    EXPECT_EQ(after[i].household_version, before[i].household_version);
    EXPECT_EQ(after[i].amount_minor, before[i].amount_minor);
    EXPECT_EQ(after[i].details, before[i].details);
  }
  auto again = service_->Get(draft.id);
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((**again).totals.total_minor, draft.totals.total_minor);
  EXPECT_EQ((**again).totals.eligible, draft.totals.eligible);

  // Approved: never discarded, never approved twice, never recomputed.
  auto discard = service_->Discard(draft.id, officer_);
  ASSERT_FALSE(discard);
  EXPECT_EQ(discard.error().reason, "cycle.not_draft");
  auto twice = service_->Approve(draft.id, false, approver_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().reason, "cycle.not_draft");
  auto regenerate = service_->Generate("ASD", kPeriod, std::nullopt, officer_);
  ASSERT_TRUE(regenerate);
  ASSERT_TRUE(regenerate->existing);
  EXPECT_EQ(regenerate->existing->totals.total_minor, draft.totals.total_minor);
}

TEST_F(CycleTest, ADraftIsDiscardedAndGeneratedAgainThenPaidAndClosed) {
  CycleRow first = Draft();
  auto closed_early = service_->Close(first.id, officer_);
  ASSERT_FALSE(closed_early);
  EXPECT_EQ(closed_early.error().reason, "cycle.not_paid");
  auto discarded = service_->Discard(first.id, officer_);
  ASSERT_TRUE(discarded) << discarded.error().reason;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM programme_cycles"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM cycle_entries"), 0);
  auto gone = service_->Approve(first.id, false, approver_);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Code::kNotFound);

  // The same cut-off gives the same rows.
  auto a = service_->Compute("ASD", kPeriod, first.cut_off, officer_.user_id, officer_.username);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->totals.total_minor, first.totals.total_minor);
  EXPECT_EQ(a->totals.considered, first.totals.considered);

  auto not_approved = service_->MarkPaid(a->id);
  ASSERT_FALSE(not_approved);
  EXPECT_EQ(not_approved.error().reason, "cycle.not_approved");
  ASSERT_TRUE(service_->Approve(a->id, false, approver_));
  auto paid = service_->MarkPaid(a->id);
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->state, "paid");
  EXPECT_TRUE(paid->paid_at);
  auto closed = service_->Close(a->id, officer_);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->state, "closed");
  EXPECT_TRUE(closed->closed_at);
  // Closing it again says so (it said "only once paid").
  auto again = service_->Close(a->id, officer_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "cycle.already_closed");
  EXPECT_EQ(again.error().code, Code::kConflict);
  auto listed = service_->List("ASD", "closed", 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, a->id);
}

TEST_F(CycleTest, AFailureInsideTheTransactionLeavesNoPartialCycle) {
  // Writes every entry, then fails before the commit (as a killed server would never commit).
  CycleService failing(*store_, *jobs_, clock_, [](db::Session& s, const CycleComputation& c) -> Result<CycleTotals> {
    auto t = StandInEntries(s, c);
    EXPECT_TRUE(t && t->considered > 0);
    return Failure(Code::kUnavailable, "test.abort");
  });
  auto r = failing.Compute("ASD", kPeriod, FormatTimestamp(clock_.Now()), officer_.user_id, officer_.username);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "test.abort");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM programme_cycles"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM cycle_entries"), 0);
}

TEST_F(CycleTest, ADeadServersJobIsFinishedByAnotherWithOneCycle) {
  auto queued = service_->Generate("ASD", kPeriod, std::nullopt, officer_);
  ASSERT_TRUE(queued && queued->job);
  // Server "dead" claims the job and dies before committing: its lease is already over.
  const std::string kinds[] = {CycleService::kJobKind};
  auto claimed = jobs_->Claim(kinds, "dead", clock_.Now() - std::chrono::minutes(1), std::chrono::milliseconds(1));
  ASSERT_TRUE(claimed && *claimed);
  StartRunner("node-b");
  auto job = WaitForJob(queued->job->id);
  EXPECT_EQ(job.state, jobs::JobState::kSucceeded);
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM programme_cycles"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM cycle_entries"),
            Count("SELECT COUNT(*) FROM households WHERE status = 'active'"));
}

TEST_F(CycleTest, TwoGenerationsAtOnceGiveOneCycle) {
  // Slow computations that overlap: both insert the cycle row; the unique index lets one commit.
  std::atomic<int> calls{0};
  CycleService slow(*store_, *jobs_, clock_, [&](db::Session& s, const CycleComputation& c) -> Result<CycleTotals> {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return StandInEntries(s, c);
  });
  const std::string cut = FormatTimestamp(clock_.Now());
  Result<CycleRow> a = Failure(Code::kInternal, "unset"), b = Failure(Code::kInternal, "unset");
  std::thread t1([&] { a = slow.Compute("ASD", kPeriod, cut, 1, "officer"); });
  std::thread t2([&] { b = slow.Compute("ASD", kPeriod, cut, 3, "other"); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a) << a.error().reason << " " << a.error().message;
  ASSERT_TRUE(b) << b.error().reason << " " << b.error().message;
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM programme_cycles"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM cycle_entries"), a->totals.considered);
}

TEST_F(CycleTest, TwoServersAskingAtOnceGetOneCycle) {
  // Two app servers: each its own service and runner over the one database.
  CycleService other(*store_, *jobs_, clock_, StandInEntries);
  StartRunner("node-a");
  jobs::JobRunner runner_b(*jobs_, clock_,
                           jobs::JobRunnerOptions{.node_id = "node-b", .poll = std::chrono::milliseconds(20)});
  runner_b.Register(CycleService::kJobKind, other);
  runner_b.Start();
  Result<GenerateOutcome> a = Failure(Code::kInternal, "unset"), b = Failure(Code::kInternal, "unset");
  std::thread t1([&] { a = service_->Generate("ASD", kPeriod, std::nullopt, officer_); });
  std::thread t2([&] { b = other.Generate("ASD", kPeriod, std::nullopt, approver_); });
  t1.join();
  t2.join();
  // Each got a job, the cycle, or 409 cycle.generation_running. A second job is possible when the first
  // finished before the second request (its exclusive key is then free): it finds the cycle and stops.
  std::set<std::int64_t> cycles;
  int answered = 0;
  for (auto* r : {&a, &b}) {
    if (*r) {
      ++answered;
      if ((*r)->job) {
        auto job = WaitForJob((*r)->job->id);
        EXPECT_EQ(job.state, jobs::JobState::kSucceeded);
        if (job.result) cycles.insert((*job.result)["cycle_id"].get<std::int64_t>());
      } else if ((*r)->existing) {
        cycles.insert((*r)->existing->id);
      }
    } else {
      EXPECT_EQ(r->error().reason, "cycle.generation_running");
    }
  }
  EXPECT_GE(answered, 1);
  EXPECT_EQ(cycles.size(), 1u);
  runner_b.Stop();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM programme_cycles"), 1);
  auto again = other.Generate("ASD", kPeriod, std::nullopt, approver_);
  ASSERT_TRUE(again && again->existing);
}

TEST_F(CycleTest, ARegionalReaderSeesTheEntriesAndTotalsOfTheirRegionOnly) {
  CycleRow c = Draft();
  auto national = service_->Summary(c.id, registry::Scope{std::nullopt, DateOf(clock_.Now()).ToString()});
  ASSERT_TRUE(national);
  ASSERT_GE(national->regions.size(), 2u) << "the synthetic registry spans several regions";
  std::int64_t sum = 0;
  for (const auto& r : national->regions) {
    EXPECT_FALSE(r.region.empty());
    sum += r.totals.total_minor;
  }
  EXPECT_EQ(sum, c.totals.total_minor);
  const RegionTotals& one = national->regions.front();
  registry::Scope regional{one.region, DateOf(clock_.Now()).ToString()};
  auto mine = service_->Summary(c.id, regional);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->regions.size(), 1u);
  EXPECT_EQ(mine->regions.front().region, one.region);
  EXPECT_EQ(mine->totals.considered, one.totals.considered);
  EXPECT_EQ(mine->totals.total_minor, one.totals.total_minor);
  const auto entries = AllEntries(c.id, regional);
  EXPECT_EQ(static_cast<std::int64_t>(entries.size()), one.totals.considered);
  for (const auto& e : entries) EXPECT_TRUE(e.commune_code.starts_with(one.region + ".")) << e.commune_code;
  // The region filter of a national reader gives the same rows.
  auto filtered = service_->Entries(c.id, EntryFilter{.eligible = true, .region = one.region},
                                    registry::Scope{std::nullopt, DateOf(clock_.Now()).ToString()}, 1000, 0);
  ASSERT_TRUE(filtered);
  EXPECT_EQ(filtered->second, one.totals.eligible);
}

TEST_F(CycleTest, FlagsWhatSlippedThroughAndApprovalNeedsThemAcknowledged) {
  CycleRow c = Draft();
  EXPECT_EQ(c.households_flagged, 0);
  const auto entries = AllEntries(c.id);
  std::int64_t household = 0;
  for (const auto& e : entries)
    if (e.eligible) household = e.household_id;
  ASSERT_GT(household, 0);
  {
    // A member now receives family allowances (after the cut-off).
    auto s = db_->Acquire();
    long long h = household;
    s.sql() << "UPDATE persons SET family_allowances = 1 WHERE household_id = :h", soci::use(h);
  }
  auto refused = service_->Approve(c.id, false, approver_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "cycle.flags_unresolved");
  EXPECT_EQ(refused.error().field, "acknowledge_flags");
  auto flagged =
      service_->Entries(c.id, EntryFilter{.flagged = true}, registry::Scope{std::nullopt, "2026-12-05"}, 100, 0);
  ASSERT_TRUE(flagged);
  ASSERT_EQ(flagged->second, 1);
  EXPECT_EQ(flagged->first.front().household_id, household);
  auto flags = nlohmann::json::parse(*flagged->first.front().flags);
  ASSERT_TRUE(flags.is_array());
  EXPECT_EQ(flags[0]["reason"], "cycle.flag.registry_receives");
  EXPECT_EQ(flags[0]["params"]["other"], "family_allowances");
  auto kept = service_->Get(c.id);
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((**kept).households_flagged, 1);

  auto approved = service_->Approve(c.id, true, approver_);
  ASSERT_TRUE(approved) << approved.error().reason;
  EXPECT_EQ(approved->households_flagged, 1);
}

TEST_F(CycleTest, FlagsHouseholdsThatAnApprovedCycleOfAnIncompatibleProgrammePays) {
  CycleRow tadamon = Draft("AMO_TADAMON");
  ASSERT_TRUE(service_->Approve(tadamon.id, false, approver_));
  CycleRow achamil = Draft("AMO_ACHAMIL");
  // The stand-in makes the same households eligible for both.
  EXPECT_EQ(achamil.households_flagged, achamil.totals.eligible);
  auto page =
      service_->Entries(achamil.id, EntryFilter{.flagged = true}, registry::Scope{std::nullopt, "2026-12-05"}, 1, 0);
  ASSERT_TRUE(page && !page->first.empty());
  auto flags = nlohmann::json::parse(*page->first.front().flags);
  EXPECT_EQ(flags[0]["reason"], "cycle.flag.approved_cycle");
  EXPECT_EQ(flags[0]["params"]["other"], "AMO_TADAMON");
  // ASD declares no incompatible programme of its own (its family-allowance rule is the registry's).
  auto asd = BuiltinProgrammeLookup()("ASD");
  ASSERT_TRUE(asd);
  for (const auto& check : FlagChecksFor(*asd)) EXPECT_NE(check.kind, FlagCheck::Kind::kApprovedCycle);
}

// The entries' only index is their primary key (migration 0040): the check must find the other
// programme's cycle first, then the household's entry in it by (cycle_id, household_id), never scan the
// entries for each eligible household of a national draft. SQLite's plan; PostgreSQL plans the small
// tables of a test by its defaults.
TEST_F(CycleTest, TheApprovedCycleCheckFindsTheEntryByThePrimaryKey) {
  if (sanad::testing::BackendFromEnv() != sanad::testing::Backend::kSqlite) GTEST_SKIP() << "SQLite's query plan";
  const FlagCheck check{FlagCheck::Kind::kApprovedCycle, "AMO_TADAMON", "", "{}"};
  auto s = db_->Acquire();
  std::vector<std::string> steps;
  db::ScanRows(
      s, "EXPLAIN QUERY PLAN " + FlagUpdateSql(check),
      {std::string("{}"), std::string("{}"), std::int64_t{1}, std::string("AMO_TADAMON"), std::string(kPeriod)},
      [&](const db::ScanRow& r) { steps.emplace_back(r.Text(3)); });
  std::string plan;
  for (const auto& step : steps) plan += step + "\n";
  const auto has = [&](std::string_view prefix, std::string_view part) {
    return std::any_of(steps.begin(), steps.end(), [&](const std::string& x) {
      return x.starts_with(prefix) && x.find(part) != std::string::npos;
    });
  };
  EXPECT_TRUE(has("SEARCH c2", "(programme=? AND period=?)")) << plan;
  EXPECT_TRUE(has("SEARCH e2", "(cycle_id=? AND household_id=?)")) << plan;
  EXPECT_FALSE(has("SCAN", "")) << plan;
}

// The scenario with the real data plane (ComputeCycleEntries): score the registry, generate the ASD
// cycle through the job runner, approve it as a second user, edit a household through a change request:
// the cycle reads the same, rows, snapshots and totals; households not eligible keep their reasons.
TEST_F(CycleTest, ScenarioWithTheRegistrysDataPlane) {
  targeting::ScoreStore scores(*db_);
  auto model = targeting::LoadModel(std::string(SANAD_SOURCE_ROOT) + "/data/models/rsu-illustrative-2026.json");
  ASSERT_TRUE(model) << model.error().message;
  auto scored = targeting::ScoreAll(scores, *model,
                                    {.as_of = DateOf(clock_.Now()).ToString(), .now = FormatTimestamp(clock_.Now())});
  ASSERT_TRUE(scored) << scored.error().message;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the cut-off comes after the scores

  service_ = std::make_unique<CycleService>(*store_, *jobs_, clock_, RegistryEntries());
  StartRunner();
  auto queued = service_->Generate("ASD", kPeriod, std::nullopt, officer_);
  ASSERT_TRUE(queued && queued->job) << (queued ? "" : queued.error().reason);
  auto job = WaitForJob(queued->job->id);
  ASSERT_EQ(job.state, jobs::JobState::kSucceeded) << job.error_message.value_or("");
  const std::int64_t id = (*job.result)["cycle_id"].get<std::int64_t>();
  auto draft = service_->Get(id);
  ASSERT_TRUE(draft && *draft);
  EXPECT_EQ((**draft).totals.considered, Count("SELECT COUNT(*) FROM households WHERE status = 'active'"));
  EXPECT_GT((**draft).totals.eligible, 0);
  EXPECT_LT((**draft).totals.eligible, (**draft).totals.considered);
  EXPECT_GT((**draft).totals.total_minor, 0);

  const auto before = AllEntries(id);
  bool reasons_kept = false;
  std::int64_t edited = 0;
  for (const auto& e : before) {
    auto details = nlohmann::json::parse(e.details);
    if (!e.eligible) reasons_kept |= details.contains("reasons") && !details["reasons"].empty();
    if (e.eligible) edited = e.household_id;
  }
  EXPECT_TRUE(reasons_kept) << "households not eligible keep their reasons";
  ASSERT_GT(edited, 0);

  ASSERT_TRUE(service_->Approve(id, true, approver_));
  auto cr = changes_->Submit("update_household", {{"household_id", edited}, {"changes", {{"rooms", 7}}}}, officer_);
  ASSERT_TRUE(cr) << cr.error().reason;
  ASSERT_TRUE(changes_->Approve(cr->id, approver_, registry::ReviewDecision{}));

  const auto after = AllEntries(id);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].household_id, before[i].household_id);
    EXPECT_EQ(after[i].household_version, before[i].household_version);
    EXPECT_EQ(after[i].amount_minor, before[i].amount_minor);
    EXPECT_EQ(after[i].details, before[i].details);
  }
  auto approved = service_->Get(id);
  ASSERT_TRUE(approved && *approved);
  EXPECT_EQ((**approved).state, "approved");
  EXPECT_EQ((**approved).totals.total_minor, (**draft).totals.total_minor);
  EXPECT_EQ((**approved).totals.eligible, (**draft).totals.eligible);
}

TEST(ProgrammeDigest, DependsOnTheParametersInForce) {
  auto asd = BuiltinProgrammeLookup()("ASD");
  ASSERT_TRUE(asd);
  auto a = ProgrammeDigest(*asd, "2026-03");
  auto b = ProgrammeDigest(*asd, "2026-04");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);  // one parameter set for the year
  auto old = ProgrammeDigest(*asd, "2024-03");
  ASSERT_TRUE(old);
  EXPECT_NE(*a, *old);
}

}  // namespace
}  // namespace sanad::cycles
