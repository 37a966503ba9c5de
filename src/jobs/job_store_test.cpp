// The job table's contract on SQLite and PostgreSQL (SANAD_TEST_DB): a job is claimed by one node, its
// lease expires only when heartbeats stop, a node that lost its lease can no longer write, cancellation
// and exhausted attempts settle jobs, and concurrent claimers never obtain the same job. Time is passed
// in explicitly, so lease expiry is tested without waiting.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "db/migrations.h"
#include "jobs/job_store.h"
#include "jobs_test_support.h"

namespace sanad::jobs {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class JobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenTestDatabase(12);
    ASSERT_TRUE(db_);
    store_ = std::make_unique<JobStore>(*db_);
  }

  JobRecord Enqueue(const std::string& kind = "sum", std::optional<std::string> key = std::nullopt,
                    int max_attempts = 3) {
    NewJob j{.kind = kind,
             .params = {{"n", 3}},
             .area_code = "MA-03",
             .exclusive_key = key,
             .owner_id = 7,
             .owner = "amina",
             .max_attempts = max_attempts};
    auto r = store_->Enqueue(j, t0_);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(JobRecord{});
  }
  std::optional<JobRecord> Claim(const std::string& node, TimePoint at, std::vector<std::string> kinds = {"sum"}) {
    auto r = store_->Claim(kinds, node, at, kLease);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::nullopt;
  }
  JobRecord Get(std::int64_t id) {
    auto r = store_->Get(id);
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : JobRecord{};
  }

  static constexpr milliseconds kLease{15'000};
  const TimePoint t0_ = TimePoint(seconds(1'800'000'000));
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<JobStore> store_;
};

TEST_F(JobStoreTest, AQueuedJobIsClaimedByOneNodeWithALease) {
  const JobRecord job = Enqueue();
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.area_code, std::optional<std::string>("MA-03"));
  EXPECT_EQ(job.params["n"], 3);
  EXPECT_EQ(job.stage, "queued");

  auto a = Claim("node-a", t0_);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, job.id);
  EXPECT_EQ(a->state, JobState::kRunning);
  EXPECT_EQ(a->lease_owner, std::optional<std::string>("node-a"));
  EXPECT_EQ(a->lease_until_ms, EpochMillis(t0_ + kLease));
  EXPECT_EQ(a->attempts, 1);
  EXPECT_TRUE(a->started_at);
  EXPECT_FALSE(Claim("node-b", t0_ + seconds(1)));              // held
  EXPECT_FALSE(Claim("node-b", t0_ + seconds(20), {"other"}));  // not a kind node-b runs
}

TEST_F(JobStoreTest, HeartbeatsKeepTheLeaseAndStoreProgress) {
  const JobRecord job = Enqueue();
  ASSERT_TRUE(Claim("node-a", t0_));
  ProgressUpdate p{.done = 40, .total = 100, .stage = "scoring", .stage_params = {{"block", 2}}};
  auto hb = store_->Heartbeat(job.id, "node-a", t0_ + seconds(10), kLease, p);
  ASSERT_TRUE(hb) << hb.error().message;
  EXPECT_EQ(*hb, LeaseStatus::kHeld);
  EXPECT_FALSE(Claim("node-b", t0_ + seconds(16)));  // would have expired without the heartbeat
  const JobRecord row = Get(job.id);
  EXPECT_EQ(row.progress_done, 40);
  EXPECT_EQ(row.progress_total, 100);
  EXPECT_EQ(row.stage, "scoring");
  EXPECT_EQ(row.stage_params["block"], 2);
  EXPECT_EQ(row.lease_until_ms, EpochMillis(t0_ + seconds(10) + kLease));
  auto b = Claim("node-b", t0_ + seconds(26));
  ASSERT_TRUE(b);  // heartbeats stopped: taken over
  EXPECT_EQ(b->attempts, 2);
}

TEST_F(JobStoreTest, ANodeThatLostItsLeaseCanNoLongerWrite) {
  const JobRecord job = Enqueue();
  ASSERT_TRUE(Claim("node-a", t0_));
  ASSERT_TRUE(store_->SaveCheckpoint(job.id, "node-a", {{"next", 5}}, t0_, kLease).value_or(false));
  auto b = Claim("node-b", t0_ + seconds(16));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->lease_owner, std::optional<std::string>("node-b"));
  ASSERT_TRUE(b->checkpoint);
  EXPECT_EQ((*b->checkpoint)["next"], 5);  // the new owner resumes from here

  EXPECT_EQ(store_->Heartbeat(job.id, "node-a", t0_ + seconds(17), kLease, std::nullopt).value(), LeaseStatus::kLost);
  EXPECT_FALSE(store_->SaveCheckpoint(job.id, "node-a", {{"next", 9}}, t0_, kLease).value());
  EXPECT_FALSE(store_->MarkSucceeded(job.id, "node-a", {{"by", "a"}}, t0_ + seconds(18)).value());
  EXPECT_FALSE(store_->MarkFailed(job.id, "node-a", Error{Code::kInternal, "x", "", 0}, t0_).value());
  EXPECT_FALSE(store_->Release(job.id, "node-a").value());
  auto fenced = db_->InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    if (auto st = store_->Fence(s, job.id, "node-a"); !st) return std::unexpected(st.error());
    return true;
  });
  ASSERT_FALSE(fenced);
  EXPECT_EQ(fenced.error().code, Code::kConflict);  // lease lost

  ASSERT_TRUE(store_->MarkSucceeded(job.id, "node-b", {{"by", "b"}}, t0_ + seconds(20)).value());
  const JobRecord row = Get(job.id);
  EXPECT_EQ(row.state, JobState::kSucceeded);
  EXPECT_EQ((*row.result)["by"], "b");
  EXPECT_EQ(row.lease_owner, std::optional<std::string>("node-b"));
  EXPECT_EQ((*row.checkpoint)["next"], 5);
  EXPECT_TRUE(row.finished_at);
  EXPECT_FALSE(Claim("node-c", t0_ + seconds(100)));  // finished jobs are never claimed
}

TEST_F(JobStoreTest, CancellingAQueuedJobIsImmediateARunningOneIsRequested) {
  const JobRecord queued = Enqueue();
  EXPECT_EQ(store_->RequestCancel(queued.id, t0_).value(), CancelOutcome::kCancelled);
  EXPECT_EQ(Get(queued.id).state, JobState::kCancelled);
  EXPECT_FALSE(Claim("node-a", t0_));
  auto again = store_->RequestCancel(queued.id, t0_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kFailedPrecondition);
  auto none = store_->RequestCancel(999'999, t0_);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Code::kNotFound);

  const JobRecord running = Enqueue();
  ASSERT_TRUE(Claim("node-a", t0_));
  EXPECT_EQ(store_->RequestCancel(running.id, t0_).value(), CancelOutcome::kRequested);
  EXPECT_EQ(Get(running.id).state, JobState::kRunning);  // until the node reaches a chunk boundary
  EXPECT_EQ(store_->Heartbeat(running.id, "node-a", t0_ + seconds(1), kLease, std::nullopt).value(),
            LeaseStatus::kCancelRequested);
  auto fenced = db_->InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    if (auto st = store_->Fence(s, running.id, "node-a"); !st) return std::unexpected(st.error());
    return true;
  });
  ASSERT_FALSE(fenced);  // results of a cancelled job are not committed
  EXPECT_EQ(fenced.error().code, Code::kFailedPrecondition);
  // The node died before noticing: once the lease expires the job is settled as cancelled, not rerun.
  EXPECT_FALSE(Claim("node-b", t0_ + seconds(60)));
  auto reaped = store_->Reap(t0_ + seconds(60));
  ASSERT_TRUE(reaped);
  EXPECT_EQ(reaped->cancelled, 1);
  EXPECT_EQ(Get(running.id).state, JobState::kCancelled);
}

TEST_F(JobStoreTest, AJobInterruptedOnEveryAttemptFails) {
  const JobRecord job = Enqueue("sum", std::nullopt, 2);
  ASSERT_TRUE(Claim("node-a", t0_));
  ASSERT_TRUE(Claim("node-b", t0_ + seconds(16)));
  EXPECT_FALSE(Claim("node-c", t0_ + seconds(32)));
  EXPECT_EQ(store_->Reap(t0_ + seconds(31)).value().failed, 0);  // node-b's lease still holds
  EXPECT_EQ(store_->Reap(t0_ + seconds(32)).value().failed, 1);
  const JobRecord row = Get(job.id);
  EXPECT_EQ(row.state, JobState::kFailed);
  EXPECT_EQ(row.error_code, std::optional<std::string>("attempts_exhausted"));
}

TEST_F(JobStoreTest, ReleaseQueuesTheJobAgainWithoutSpendingAnAttempt) {
  const JobRecord job = Enqueue();
  ASSERT_TRUE(Claim("node-a", t0_));
  ASSERT_TRUE(store_->SaveCheckpoint(job.id, "node-a", {{"next", 2}}, t0_, kLease).value());
  ASSERT_TRUE(store_->Release(job.id, "node-a").value());
  JobRecord row = Get(job.id);
  EXPECT_EQ(row.state, JobState::kQueued);
  EXPECT_EQ(row.attempts, 0);
  EXPECT_FALSE(row.lease_until_ms);
  auto b = Claim("node-b", t0_ + seconds(1));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->attempts, 1);
  EXPECT_EQ((*b->checkpoint)["next"], 2);
}

TEST_F(JobStoreTest, AnExclusiveKeyAllowsOneActiveJob) {
  const JobRecord first = Enqueue("sum", "dedup");
  auto second = store_->Enqueue(NewJob{.kind = "sum", .exclusive_key = "dedup", .owner = "b"}, t0_);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Code::kConflict);
  EXPECT_TRUE(store_->Enqueue(NewJob{.kind = "sum", .exclusive_key = "other", .owner = "b"}, t0_));
  EXPECT_TRUE(store_->Enqueue(NewJob{.kind = "sum", .owner = "b"}, t0_));
  auto bad = store_->Enqueue(NewJob{.kind = "Bad Kind", .owner = "b"}, t0_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Code::kInvalidArgument);
  ASSERT_TRUE(store_->RequestCancel(first.id, t0_));
  EXPECT_TRUE(store_->Enqueue(NewJob{.kind = "sum", .exclusive_key = "dedup", .owner = "b"}, t0_));
}

TEST_F(JobStoreTest, ConcurrentClaimersNeverObtainTheSameJob) {
  constexpr int kJobs = 60, kNodes = 6;
  for (int i = 0; i < kJobs; ++i) Enqueue();
  std::mutex mu;
  std::multiset<std::int64_t> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> nodes;
  for (int n = 0; n < kNodes; ++n) {
    nodes.emplace_back([&, n] {
      const std::vector<std::string> kinds{"sum"};
      for (int idle = 0; idle < 5;) {
        auto r = store_->Claim(kinds, "node-" + std::to_string(n), t0_, kLease);
        if (!r) {
          if (++errors > 1000) break;  // SQLite busy under contention is an answer, not a double claim
          continue;
        }
        if (!*r) {
          ++idle;
          continue;
        }
        std::lock_guard lock(mu);
        claimed.insert((*r)->id);
      }
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs)) << errors << " claim errors";
  EXPECT_EQ(std::set<std::int64_t>(claimed.begin(), claimed.end()).size(), claimed.size()) << "a job was claimed twice";
}

}  // namespace
}  // namespace sanad::jobs
