// Registry deduplication end to end on SQLite: a synthetic region with duplicate
// registrations is imported; a job proposes candidate pairs; a reviewer confirms one (a merge_persons
// request is filed), a second person approves it and the duplicate is merged into one person; a
// rejected pair is never proposed again by a second job; cancellation discards a job's results; a job
// whose server died is finished by another runner and its results are written once; the
// cross-programme check lists ASD beneficiaries who also receive family allowances. Jobs run through a
// jobs::JobRunner, as in `sanad serve`.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>

#include <filesystem>
#include <fstream>
#include <thread>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "db/migrations.h"
#include "dedup/dedup_messages.h"
#include "dedup/dedup_service.h"
#include "geo/reference_data.h"
#include "registry/benefit_ledger.h"
#include "registry/change_service.h"
#include "registry/importer.h"
#include "registry_model/fields.h"
#include "synth/csv_writer.h"
#include "synth/generator.h"
#include "test_db.h"

namespace sanad::dedup {
namespace {

using registry::Actor;

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class DedupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("sanad-dedup-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto ref = synth::LoadReferenceData(std::string(SANAD_SOURCE_ROOT) + "/data");
    ASSERT_TRUE(ref) << ref.error().message;
    synth::Config config;
    config.households = 600;
    config.region = "MA-03";
    config.seed = 7;
    config.duplicate_share = 0.1;
    auto reg = synth::Generate(*ref, config);
    ASSERT_TRUE(reg) << reg.error().message;
    ASSERT_TRUE(synth::WriteHouseholdsCsv(*reg, dir_ / "households.csv"));
    ASSERT_TRUE(synth::WritePersonsCsv(*reg, dir_ / "persons.csv"));
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    // SQLite or the PostgreSQL server CTest starts, as SANAD_TEST_DB says (two ctest entries).
    auto db = db::Database::Open(testing::FreshDatabaseUrl(testing::BackendFromEnv()), 4);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    const std::string data = std::string(SANAD_SOURCE_ROOT) + "/data";
    auto set = geo::LoadReferenceAreas(data);
    ASSERT_TRUE(set);
    areas::AreaStore areas(*db_);
    ASSERT_TRUE(areas.LoadReference(*set, *geo::ReferenceChecksum(data)));
    store_ = std::make_unique<registry::RegistryStore>(*db_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    changes_ = std::make_unique<registry::ChangeService>(*store_, *audit_, clock_);
    dstore_ = std::make_unique<DedupStore>(*db_);
    jobs_ = std::make_unique<jobs::JobStore>(*db_);
    service_ = std::make_unique<DedupService>(*dstore_, *changes_, *jobs_, clock_, DedupOptions{.threads = 2});
    runner_ = std::make_unique<jobs::JobRunner>(
        *jobs_, clock_, jobs::JobRunnerOptions{.node_id = "test-node", .poll = std::chrono::milliseconds(20)});
    runner_->Register(DedupService::kJobKind, *service_);
    runner_->Start();
    const std::string today = DateOf(clock_.Now()).ToString();
    agent_ = Actor{1, "agent", {std::string("MA-03"), today}, "test", "t1"};
    coordinator_ = Actor{2, "coordinator", {std::string("MA-03"), today}, "test", "t2"};
    reviewer_ = Actor{3, "reviewer", {std::string("MA-03"), today}, "test", "t3"};
    registry::Importer importer(*store_, *changes_, clock_);
    for (auto kind : {registry::ImportKind::kHouseholds, registry::ImportKind::kPersons}) {
      const auto file = dir_ / (kind == registry::ImportKind::kHouseholds ? "households.csv" : "persons.csv");
      auto out =
          importer.Import(kind, ReadAll(file), agent_, {.file_name = file.filename().string(), .store_report = false});
      ASSERT_TRUE(out) << out.error().message;
      ASSERT_TRUE(out->accepted()) << (out->errors.empty() ? "" : out->errors[0].reason);
      // The synthetic duplicates share national IDs: the reviewer's documented decision lets them in, for
      // deduplication to find them.
      ASSERT_TRUE(changes_->Approve(out->change_request->id, coordinator_,
                                    registry::ReviewDecision{"duplicates kept for deduplication", false, true}));
    }
  }

  void TearDown() override {
    runner_.reset();
    service_.reset();
    changes_.reset();
  }

  long long Count(const std::string& sql) {
    auto s = db_->Acquire();
    long long n = 0;
    s.sql() << sql, soci::into(n);
    return n;
  }

  // Waits until the runner has finished with the job that runs deduplication job `id`.
  void WaitForJob(std::int64_t id) {
    auto row = dstore_->GetJob(id, registry::Scope{});
    ASSERT_TRUE(row && *row && (**row).run_job_id);
    for (int i = 0; i < 6000; ++i) {
      auto run = jobs_->Get(*(**row).run_job_id);
      ASSERT_TRUE(run && *run);
      if ((**run).state != jobs::JobState::kQueued && (**run).state != jobs::JobState::kRunning) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "deduplication job " << id << " did not finish";
  }

  JobRow RunJob() {
    auto job = service_->StartJob(reviewer_);
    EXPECT_TRUE(job) << job.error().message;
    if (!job) return {};
    WaitForJob(job->id);
    auto row = service_->GetJob(job->id, registry::Scope{});
    EXPECT_TRUE(row && *row);
    return **row;
  }

  std::vector<CandidateRow> Pending() {
    auto page = service_->Candidates("pending", reviewer_.scope, 1000, 0);
    EXPECT_TRUE(page) << page.error().message;
    return page->first;
  }

  std::string Relationship(std::int64_t person) {
    static const int kRel = registry::FieldIndex(registry::kPersonFields, "relationship");
    auto p = store_->households.GetPerson(person, reviewer_.scope);
    return p && *p ? (**p).values[kRel].value_or("") : "";
  }

  static inline std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<registry::RegistryStore> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<registry::ChangeService> changes_;
  std::unique_ptr<DedupStore> dstore_;
  std::unique_ptr<jobs::JobStore> jobs_;
  std::unique_ptr<DedupService> service_;
  std::unique_ptr<jobs::JobRunner> runner_;
  Actor agent_, coordinator_, reviewer_;
};

TEST_F(DedupTest, JobFillsTheQueueConfirmFilesAMergeThatASecondPersonApplies) {
  const JobRow job = RunJob();
  ASSERT_EQ(job.status, "done") << job.error.value_or("") << " records=" << job.records
                                << " persons=" << Count("SELECT COUNT(*) FROM persons")
                                << " named=" << Count("SELECT COUNT(*) FROM persons WHERE given_name_ar IS NOT NULL");
  EXPECT_GT(job.records, 1000);
  EXPECT_GT(job.candidate_pairs, 0);
  EXPECT_GT(job.proposed, 20);
  auto pending = Pending();
  ASSERT_EQ(static_cast<long long>(pending.size()), job.proposed);
  const auto& top = pending.front();
  EXPECT_LT(top.person_a, top.person_b);
  EXPECT_EQ(top.band, "match");
  auto ex = nlohmann::json::parse(top.explanation);
  ASSERT_TRUE(ex["fields"].is_array());
  EXPECT_GT(ex["fields"].size(), 3u);
  EXPECT_NEAR(ex["weight"].get<double>(), top.weight, 0.01);

  // A pair whose persons are not heads: merging one away leaves both households valid.
  const CandidateRow* pick = nullptr;
  for (const auto& c : pending) {
    if (c.band == "match" && Relationship(c.person_a) != "head" && Relationship(c.person_b) != "head") {
      pick = &c;
      break;
    }
  }
  ASSERT_NE(pick, nullptr);
  auto bad_keep = service_->Confirm(pick->id, 999999999, "", reviewer_);
  ASSERT_FALSE(bad_keep);
  EXPECT_EQ(bad_keep.error().code, Code::kInvalidArgument);

  auto confirmed = service_->Confirm(pick->id, pick->person_a, "same person", reviewer_);
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->status, "confirmed");
  ASSERT_TRUE(confirmed->change_request_id);
  auto again = service_->Confirm(pick->id, std::nullopt, "", reviewer_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kFailedPrecondition);

  // Four eyes: the reviewer who filed it cannot approve it; the coordinator can.
  EXPECT_FALSE(changes_->Approve(*confirmed->change_request_id, reviewer_, "", false));
  auto applied = changes_->Approve(*confirmed->change_request_id, coordinator_, "ok", false);
  ASSERT_TRUE(applied) << applied.error().message;
  auto gone = store_->households.GetPerson(pick->person_b, reviewer_.scope);
  ASSERT_TRUE(gone && *gone);
  EXPECT_EQ((**gone).merged_into, std::optional<std::int64_t>(pick->person_a));
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM persons WHERE status = 'merged' AND id = {}", pick->person_b)), 1);

  // The merged pair leaves the queue and is not proposed again.
  for (const auto& c : Pending()) EXPECT_NE(c.id, pick->id);
  const JobRow second = RunJob();
  ASSERT_EQ(second.status, "done") << second.error.value_or("");
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM linkage_candidates WHERE person_a = {} AND person_b = {}",
                              pick->person_a, pick->person_b)),
            1);
}

TEST_F(DedupTest, TheQueueSortsByScoreOrProposalOverTheWholeQueue) {
  ASSERT_EQ(RunJob().status, "done");
  auto page = [&](std::string_view sort, int limit, int offset) {
    auto p = service_->Candidates("pending", reviewer_.scope, limit, offset, sort);
    EXPECT_TRUE(p) << p.error().message;
    return p ? p->first : std::vector<CandidateRow>{};
  };
  const auto all = page("", 1000, 0);
  ASSERT_GT(all.size(), 3u);
  auto weights = [](const std::vector<CandidateRow>& rows) {
    std::vector<double> w;
    w.reserve(rows.size());
    for (const auto& c : rows) w.push_back(c.weight);
    return w;
  };
  // The default and "-score": the likeliest first; "score": the least likely first, on one-row pages too.
  auto by_default = weights(all), ascending = weights(page("score", 1000, 0));
  EXPECT_TRUE(std::is_sorted(by_default.rbegin(), by_default.rend()));
  EXPECT_TRUE(std::is_sorted(ascending.begin(), ascending.end()));
  EXPECT_EQ(ascending.front(), by_default.back());
  EXPECT_EQ(weights(page("-score", 1, 0)), std::vector<double>{by_default.front()});
  EXPECT_EQ(page("score", 1, 1).at(0).id, page("score", 1000, 0).at(1).id);
  // By proposal: ties (one job proposes all at once) go by id in the same direction.
  const auto newest = page("-created_at", 1000, 0), oldest = page("created_at", 1000, 0);
  ASSERT_EQ(newest.size(), all.size());
  EXPECT_EQ(newest.front().id, oldest.back().id);
  EXPECT_GT(newest.front().id, newest.back().id);
}

TEST_F(DedupTest, ARejectedPairIsNeverProposedAgain) {
  ASSERT_EQ(RunJob().status, "done");
  auto pending = Pending();
  ASSERT_FALSE(pending.empty());
  const CandidateRow target = pending.back();  // the weakest: most likely not the same person
  auto rejected = service_->Reject(target.id, "brothers", reviewer_);
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM linkage_decisions WHERE person_a = {} AND person_b = {} AND "
                              "decision = 'not_duplicates'",
                              target.person_a, target.person_b)),
            1);

  // A second run finds the same pairs: the rejected one is skipped, the pending ones are not duplicated.
  const JobRow second = RunJob();
  ASSERT_EQ(second.status, "done");
  EXPECT_EQ(second.proposed, 0);
  for (const auto& c : Pending()) EXPECT_FALSE(c.person_a == target.person_a && c.person_b == target.person_b);
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM linkage_candidates WHERE person_a = {} AND person_b = {}",
                              target.person_a, target.person_b)),
            1);

  // Even when the queue is emptied of pending pairs, a new job proposes everything but the rejected pair.
  {
    auto s = db_->Acquire();
    s.sql() << "DELETE FROM linkage_candidates WHERE status = 'pending'";
  }
  const JobRow third = RunJob();
  EXPECT_EQ(third.proposed, static_cast<std::int64_t>(pending.size()) - 1);
  for (const auto& c : Pending()) EXPECT_FALSE(c.person_a == target.person_a && c.person_b == target.person_b);
}

TEST_F(DedupTest, DifferentPersonsNeedsACommentAndAReviewerCanUndoIt) {
  ASSERT_EQ(RunJob().status, "done");
  auto pending = Pending();
  ASSERT_FALSE(pending.empty());
  const CandidateRow target = pending.back();

  // No comment, or only spaces: refused, naming the field; nothing is recorded.
  for (const std::string blank : {"", "  \t"}) {
    auto refused = service_->Reject(target.id, blank, reviewer_);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Code::kInvalidArgument);
    EXPECT_EQ(refused.error().reason, "field.required");
    EXPECT_EQ(refused.error().field, "comment");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM linkage_decisions"), 0);

  auto rejected = service_->Reject(target.id, "cousins, different fathers", reviewer_);
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->comment.value_or(""), "cousins, different fathers");

  // Only a rejected pair can be reopened; outside the reviewer's area it does not exist.
  auto not_rejected = service_->Reopen(pending.front().id, reviewer_);
  ASSERT_FALSE(not_rejected);
  EXPECT_EQ(not_rejected.error().reason, "linkage_candidate.not_rejected");
  Actor elsewhere = reviewer_;
  elsewhere.scope.area = "MA-01";
  auto outside = service_->Reopen(target.id, elsewhere);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, Code::kNotFound);

  auto reopened = service_->Reopen(target.id, reviewer_);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened->status, "pending");
  EXPECT_FALSE(reopened->comment);
  EXPECT_FALSE(reopened->decided_by);
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM linkage_decisions WHERE person_a = {} AND person_b = {}",
                              target.person_a, target.person_b)),
            0);
  auto twice = service_->Reopen(target.id, reviewer_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Code::kFailedPrecondition);

  // Pending again: it is in the queue, a new job does not propose it a second time, and it can be
  // decided anew.
  bool listed = false;
  for (const auto& c : Pending()) listed = listed || c.id == target.id;
  EXPECT_TRUE(listed);
  EXPECT_EQ(RunJob().proposed, 0);
  auto decided = service_->Reject(target.id, "checked the civil register: brothers", reviewer_);
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->status, "rejected");
}

TEST_F(DedupTest, JobStagesAndExplanationLevelsAreCatalogueCodes) {
  ASSERT_EQ(RunJob().status, "done");
  auto pending = Pending();
  ASSERT_FALSE(pending.empty());
  auto ex = nlohmann::json::parse(pending.front().explanation);
  for (const auto& f : ex["fields"]) {
    ASSERT_TRUE(f["label_code"].is_string()) << f.dump();
    EXPECT_TRUE(f["label_code"].get<std::string>().starts_with("linkage_level.")) << f.dump();
    EXPECT_FALSE(ComparisonCode(f["comparison"].get<std::string>()).empty()) << f.dump();
  }
  for (const char* stage : {"queued", "loading", "preparing", "blocking", "training", "scoring", "clustering",
                            "writing_queue", "done", "failed", "cancelled"}) {
    EXPECT_FALSE(StageCode(stage).empty()) << stage;
  }
  // The level codes follow linkage::LevelLabel level by level, for every kind of comparison.
  using linkage::CompareKind;
  for (auto kind : {CompareKind::kName, CompareKind::kDate, CompareKind::kCommune, CompareKind::kExact,
                    CompareKind::kExactOrTypo, CompareKind::kText, CompareKind::kIdentifier}) {
    for (int level = 0; level <= linkage::LevelCount(kind); ++level) EXPECT_FALSE(LevelCode(kind, level).empty());
    EXPECT_TRUE(LevelCode(kind, linkage::LevelCount(kind) + 1).empty());
  }
}

TEST_F(DedupTest, OneJobAtATimeAndCancellationDiscardsResults) {
  // A runner slowed down at each chunk boundary, so that the job is surely running when cancelled.
  runner_ =
      std::make_unique<jobs::JobRunner>(*jobs_, clock_,
                                        jobs::JobRunnerOptions{.node_id = "slow-node",
                                                               .poll = std::chrono::milliseconds(20),
                                                               .test_chunk_delay = std::chrono::milliseconds(400)});
  runner_->Register(DedupService::kJobKind, *service_);
  runner_->Start();
  auto job = service_->StartJob(reviewer_);
  ASSERT_TRUE(job);
  for (int i = 0; i < 500 && jobs_->Get(*job->run_job_id).value()->state != jobs::JobState::kRunning; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto second = service_->StartJob(coordinator_);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Code::kConflict);
  auto cancelled = service_->CancelJob(job->id, reviewer_);
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  WaitForJob(job->id);
  auto row = service_->GetJob(job->id, registry::Scope{});
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((**row).status, "cancelled");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM linkage_candidates"), 0);
  auto run = jobs_->Get(*job->run_job_id);
  ASSERT_TRUE(run && *run);
  EXPECT_EQ((**run).state, jobs::JobState::kCancelled);
  EXPECT_EQ((**run).area_code, std::optional<std::string>("MA-03"));  // the starter's scope
  EXPECT_EQ((**run).lease_owner, std::optional<std::string>("slow-node"));
  auto not_running = service_->CancelJob(job->id, reviewer_);
  ASSERT_FALSE(not_running);
  EXPECT_EQ(not_running.error().code, Code::kFailedPrecondition);
}

TEST_F(DedupTest, AJobWhoseServerDiedIsRunByAnotherAndItsResultsAreWrittenOnce) {
  runner_.reset();  // no server runs jobs while the "dead" one claims this one
  auto job = service_->StartJob(reviewer_);
  ASSERT_TRUE(job) << job.error().message;
  const std::vector<std::string> kinds{DedupService::kJobKind};
  auto claimed = jobs_->Claim(kinds, "dead-node", clock_.Now() - std::chrono::minutes(5), std::chrono::seconds(15));
  ASSERT_TRUE(claimed && *claimed);
  runner_ = std::make_unique<jobs::JobRunner>(
      *jobs_, clock_, jobs::JobRunnerOptions{.node_id = "live-node", .poll = std::chrono::milliseconds(20)});
  runner_->Register(DedupService::kJobKind, *service_);
  runner_->Start();
  WaitForJob(job->id);
  auto row = service_->GetJob(job->id, registry::Scope{});
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((**row).status, "done") << (**row).error.value_or("");
  EXPECT_GT((**row).proposed, 0);
  auto run = jobs_->Get(*job->run_job_id).value();
  EXPECT_EQ(run->state, jobs::JobState::kSucceeded);
  EXPECT_EQ(run->attempts, 2);
  EXPECT_EQ(run->lease_owner, std::optional<std::string>("live-node"));
  EXPECT_EQ((*run->result)["proposed"], (**row).proposed);
  const long long written = Count(fmt::format("SELECT COUNT(*) FROM linkage_candidates WHERE job_id = {}", job->id));
  EXPECT_EQ(written, (**row).proposed);

  // The server committed the results and died before marking the job succeeded: the next one finds
  // the job done and records its stored result without writing the queue again.
  {
    auto s = db_->Acquire();
    long long rid = *job->run_job_id;
    s.sql()
        << "UPDATE jobs SET state = 'running', lease_owner = 'dead-node', lease_until = 0, result = NULL WHERE id = :i",
        soci::use(rid);
  }
  runner_->Poke();
  WaitForJob(job->id);
  run = jobs_->Get(*job->run_job_id).value();
  EXPECT_EQ(run->state, jobs::JobState::kSucceeded);
  EXPECT_EQ(run->attempts, 3);
  ASSERT_TRUE(run->result);
  EXPECT_EQ((*run->result)["proposed"], (**row).proposed);
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM linkage_candidates WHERE job_id = {}", job->id)), written);
}

TEST_F(DedupTest, AJobOutsideAnyPersonFailsWithItsErrorRecorded) {
  Actor nowhere = reviewer_;
  nowhere.scope.area = "DZ-16";  // Algiers: no person of this registry
  auto job = service_->StartJob(nowhere);
  ASSERT_TRUE(job);
  WaitForJob(job->id);
  auto row = service_->GetJob(job->id, registry::Scope{});
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((**row).status, "failed");
  EXPECT_FALSE((**row).error.value_or("").empty());
  auto next = service_->StartJob(reviewer_);  // the service carries on
  ASSERT_TRUE(next) << next.error().message;
  WaitForJob(next->id);
}

TEST_F(DedupTest, CrossProgrammeListsAsdBeneficiariesWithFamilyAllowances) {
  // Two persons of different households: one with the registry flag, one on an external list.
  long long flagged = 0, listed = 0, flagged_home = 0, listed_home = 0;
  {
    auto s = db_->Acquire();
    s.sql() << "SELECT MIN(id) FROM persons WHERE status = 'active'", soci::into(flagged);
    s.sql() << "UPDATE persons SET family_allowances = 1 WHERE id = :i", soci::use(flagged);
    s.sql() << "UPDATE persons SET family_allowances = 0 WHERE id <> :i", soci::use(flagged);
    s.sql() << "SELECT household_id FROM persons WHERE id = :i", soci::use(flagged), soci::into(flagged_home);
    s.sql()
        << "SELECT MIN(id) FROM persons WHERE status = 'active' AND household_id <> :h AND national_id IS NOT NULL AND "
           "birth_date IS NOT NULL AND given_name_lat IS NOT NULL",
        soci::use(flagged_home), soci::into(listed);
    s.sql() << "SELECT household_id FROM persons WHERE id = :i", soci::use(listed), soci::into(listed_home);
  }
  registry::BenefitLedger ledger(*store_, *audit_, clock_);
  for (auto [home, ref] : {std::pair{flagged_home, "asd-1"}, std::pair{listed_home, "asd-2"}}) {
    registry::BenefitInput in{.household_id = home,
                              .programme = "ASD",
                              .kind = "cash",
                              .date = "2025-01-31",
                              .amount_minor = 50000,
                              .currency = "MAD",
                              .reference = ref,
                              .source = "payments"};
    ASSERT_TRUE(ledger.Record(in, agent_));
  }
  auto none = service_->CrossProgramme("nope", reviewer_.scope, 50, 0);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Code::kInvalidArgument);

  auto before = service_->CrossProgramme("asd_family_allowances", reviewer_.scope, 50, 0);
  ASSERT_TRUE(before) << before.error().message;
  ASSERT_EQ(before->second, 1);
  EXPECT_EQ(before->first[0].person_id, flagged);
  EXPECT_TRUE(before->first[0].registry_flag);
  EXPECT_EQ(before->first[0].first_programme_last_date, "2025-01-31");

  // A fund's list naming `listed` with a typo in the Latin given name, plus a stranger.
  std::string csv =
      "record_id,given_name_ar,family_name_ar,given_name_lat,family_name_lat,sex,birth_date,national_id\n";
  {
    auto s = db_->Acquire();
    soci::row r;
    s.sql() << "SELECT given_name_ar, family_name_ar, given_name_lat, family_name_lat, sex, birth_date, national_id "
               "FROM persons "
               "WHERE id = :i",
        soci::use(listed), soci::into(r);
    auto v = [&](std::size_t i) { return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i); };
    csv += fmt::format("CNSS-1,{},{},{}x,{},{},{},{}\n", v(0), v(1), v(2), v(3), v(4), v(5), v(6));
    csv += "CNSS-2,زكرياء,الفاسي,Zakaria,Elfassi,M,1931-01-01,ZZ999999\n";
  }
  auto list = service_->UploadExternalList("CNSS family allowances", "family_allowances", csv, reviewer_);
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->rows_total, 2);
  EXPECT_EQ(list->matched, 1);
  auto after = service_->CrossProgramme("asd_family_allowances", reviewer_.scope, 50, 0);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->second, 2);
  EXPECT_EQ(after->first[1].person_id, listed);
  EXPECT_FALSE(after->first[1].registry_flag);
  EXPECT_EQ(after->first[1].lists, std::vector<std::string>{"CNSS family allowances"});

  // Outside the scope nothing is listed.
  Actor elsewhere = reviewer_;
  elsewhere.scope.area = "MA-01";
  auto outside = service_->CrossProgramme("asd_family_allowances", elsewhere.scope, 50, 0);
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->second, 0);

  auto bad = service_->UploadExternalList("x", "family_allowances", "name\nfoo\n", reviewer_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Code::kInvalidArgument);
}

}  // namespace
}  // namespace sanad::dedup
