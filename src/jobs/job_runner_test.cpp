// The job runner with real threads and short leases (1.5 s) on SQLite and
// PostgreSQL: a handler's chunks, progress and result; resume from a dead node's checkpoint;
// cancellation between chunks; graceful stop gives the job back; two runners on one database never run
// the same job at once, even when a job outlives the lease (the heartbeat keeps it).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "jobs/job_runner.h"
#include "jobs_test_support.h"

namespace sanad::jobs {
namespace {

using std::chrono::milliseconds;

// Adds 1..n in chunks of one, saving a checkpoint after each; records which chunks it ran.
class SumHandler : public JobHandler {
 public:
  Result<Json> Run(JobContext& ctx) override {
    const int n = ctx.params().value("n", 10);
    const int fail_with = ctx.params().value("fail", 0);
    if (fail_with) return Fail(Code::kInvalidArgument, "asked to fail", "fail");
    int next = 1;
    long long sum = 0;
    if (ctx.checkpoint()) {
      next = (*ctx.checkpoint())["next"].get<int>();
      sum = (*ctx.checkpoint())["sum"].get<long long>();
    }
    {
      std::lock_guard lock(mu);
      if (!running.insert(ctx.id()).second) overlaps.push_back(ctx.id());
      runs[ctx.id()].push_back(ctx.node());
    }
    struct Leave {
      SumHandler& h;
      std::int64_t id;
      ~Leave() {
        std::lock_guard lock(h.mu);
        h.running.erase(id);
      }
    } leave{*this, ctx.id()};
    ctx.SetStage("adding", {{"n", n}});
    for (; next <= n; ++next) {
      if (auto st = ctx.NextChunk(); !st) return std::unexpected(st.error());
      sum += next;
      {
        std::lock_guard lock(mu);
        chunks[ctx.id()].push_back(next);
      }
      ctx.SetProgress(next, n);
      if (auto st = ctx.SaveCheckpoint({{"next", next + 1}, {"sum", sum}}); !st) return std::unexpected(st.error());
    }
    return Json{{"sum", sum}};
  }

  std::mutex mu;
  std::set<std::int64_t> running;
  std::vector<std::int64_t> overlaps;
  std::map<std::int64_t, std::vector<std::string>> runs;
  std::map<std::int64_t, std::vector<int>> chunks;
};

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenTestDatabase(12);
    ASSERT_TRUE(db_);
    store_ = std::make_unique<JobStore>(*db_);
  }

  JobRunnerOptions Fast(const std::string& node, milliseconds chunk_delay = milliseconds(0)) {
    // A lease of 1.5 s: short, yet beyond the scheduling hiccups of a loaded CI machine.
    return JobRunnerOptions{.node_id = node,
                            .workers = 2,
                            .lease = milliseconds(1500),
                            .heartbeat = milliseconds(150),
                            .poll = milliseconds(20),
                            .progress_flush = milliseconds(50),
                            .test_chunk_delay = chunk_delay};
  }
  std::int64_t Enqueue(Json params) {
    auto r = store_->Enqueue(NewJob{.kind = "sum", .params = std::move(params), .owner = "test"}, clock_.Now());
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->id : 0;
  }
  JobRecord Get(std::int64_t id) {
    auto r = store_->Get(id);
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : JobRecord{};
  }
  // Waits (up to 30 s) until `pred` holds for the job.
  JobRecord WaitFor(std::int64_t id, const std::function<bool(const JobRecord&)>& pred) {
    JobRecord row;
    for (int i = 0; i < 3000; ++i) {
      row = Get(id);
      if (pred(row)) return row;
      std::this_thread::sleep_for(milliseconds(10));
    }
    ADD_FAILURE() << "job " << id << " stayed " << StateName(row.state);
    return row;
  }
  static bool Finished(const JobRecord& r) { return r.state != JobState::kQueued && r.state != JobState::kRunning; }

  SystemClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<JobStore> store_;
  SumHandler sum_;
};

TEST_F(JobRunnerTest, RunsAJobInChunksAndRecordsItsResult) {
  JobRunner runner(*store_, clock_, Fast("node-a"));
  runner.Register("sum", sum_);
  const auto id = Enqueue({{"n", 10}});
  runner.Start();
  const JobRecord row = WaitFor(id, Finished);
  EXPECT_EQ(row.state, JobState::kSucceeded);
  EXPECT_EQ((*row.result)["sum"], 55);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.lease_owner, std::optional<std::string>("node-a"));
  EXPECT_EQ(row.stage, "done");
  EXPECT_EQ(sum_.chunks[id], (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

// The heartbeat writes progress at most every progress_flush; a job that ends sooner must still show
// where it ended (a finished deduplication or verification job read "0 of N" before).
TEST_F(JobRunnerTest, AFinishedJobShowsItsLastProgress) {
  JobRunnerOptions options = Fast("node-a");
  options.progress_flush = std::chrono::seconds(30);
  options.heartbeat = std::chrono::seconds(30);
  JobRunner runner(*store_, clock_, options);
  runner.Register("sum", sum_);
  const auto ok = Enqueue({{"n", 7}});
  runner.Start();
  const JobRecord row = WaitFor(ok, Finished);
  EXPECT_EQ(row.state, JobState::kSucceeded);
  EXPECT_EQ(row.progress_done, 7);
  EXPECT_EQ(row.progress_total, 7);
}

TEST_F(JobRunnerTest, ProgressAndStageReachTheDatabaseWhileTheJobRuns) {
  JobRunner runner(*store_, clock_, Fast("node-a", milliseconds(40)));
  runner.Register("sum", sum_);
  const auto id = Enqueue({{"n", 30}});
  runner.Start();
  const JobRecord mid = WaitFor(id, [](const JobRecord& r) { return r.progress_done >= 5 || Finished(r); });
  EXPECT_EQ(mid.state, JobState::kRunning);
  EXPECT_EQ(mid.stage, "adding");
  EXPECT_EQ(mid.stage_params["n"], 30);
  EXPECT_EQ(mid.progress_total, 30);
  EXPECT_EQ(WaitFor(id, Finished).state, JobState::kSucceeded);
}

TEST_F(JobRunnerTest, AJobOfADeadNodeIsTakenOverAndResumesFromItsCheckpoint) {
  const auto id = Enqueue({{"n", 6}});
  // A node claimed it, saved a checkpoint after chunk 3, and died: its lease expired a minute ago.
  const std::vector<std::string> kinds{"sum"};
  ASSERT_TRUE(store_->Claim(kinds, "dead-node", clock_.Now() - std::chrono::minutes(2), milliseconds(1000)).value());
  ASSERT_TRUE(store_
                  ->SaveCheckpoint(id, "dead-node", {{"next", 4}, {"sum", 6}}, clock_.Now() - std::chrono::minutes(2),
                                   milliseconds(1000))
                  .value());
  JobRunner runner(*store_, clock_, Fast("node-b"));
  runner.Register("sum", sum_);
  runner.Start();
  const JobRecord row = WaitFor(id, Finished);
  EXPECT_EQ(row.state, JobState::kSucceeded);
  EXPECT_EQ((*row.result)["sum"], 21);
  EXPECT_EQ(row.attempts, 2);
  EXPECT_EQ(row.lease_owner, std::optional<std::string>("node-b"));
  EXPECT_EQ(sum_.chunks[id], (std::vector<int>{4, 5, 6}));  // chunks 1–3 were not redone
}

TEST_F(JobRunnerTest, CancellationStopsTheJobAtTheNextChunk) {
  JobRunner runner(*store_, clock_, Fast("node-a", milliseconds(30)));
  runner.Register("sum", sum_);
  const auto id = Enqueue({{"n", 1000}});
  runner.Start();
  WaitFor(id, [](const JobRecord& r) { return r.progress_done >= 2; });
  ASSERT_EQ(store_->RequestCancel(id, clock_.Now()).value(), CancelOutcome::kRequested);
  const JobRecord row = WaitFor(id, Finished);
  EXPECT_EQ(row.state, JobState::kCancelled);
  EXPECT_FALSE(row.result);
  std::lock_guard lock(sum_.mu);
  EXPECT_LT(sum_.chunks[id].size(), 100u);
}

TEST_F(JobRunnerTest, AFailingHandlerRecordsItsErrorCode) {
  JobRunner runner(*store_, clock_, Fast("node-a"));
  runner.Register("sum", sum_);
  const auto id = Enqueue({{"fail", 1}});
  runner.Start();
  const JobRecord row = WaitFor(id, Finished);
  EXPECT_EQ(row.state, JobState::kFailed);
  EXPECT_EQ(row.error_code, std::optional<std::string>("invalid_argument"));
  EXPECT_EQ(row.error_message, std::optional<std::string>("asked to fail"));
}

TEST_F(JobRunnerTest, StopGivesTheJobBackAndAnotherNodeFinishesIt) {
  const auto id = Enqueue({{"n", 200}});
  {
    JobRunner a(*store_, clock_, Fast("node-a", milliseconds(20)));
    a.Register("sum", sum_);
    a.Start();
    WaitFor(id, [](const JobRecord& r) { return r.progress_done >= 3; });
    a.Stop();
  }
  const JobRecord released = Get(id);
  EXPECT_EQ(released.state, JobState::kQueued);
  EXPECT_EQ(released.attempts, 0);
  ASSERT_TRUE(released.checkpoint);
  const int resume_at = (*released.checkpoint)["next"].get<int>();
  EXPECT_GT(resume_at, 3);

  JobRunner b(*store_, clock_, Fast("node-b"));
  b.Register("sum", sum_);
  b.Start();
  const JobRecord row = WaitFor(id, Finished);
  EXPECT_EQ(row.state, JobState::kSucceeded);
  EXPECT_EQ((*row.result)["sum"], 200 * 201 / 2);
  EXPECT_EQ(row.lease_owner, std::optional<std::string>("node-b"));
  std::lock_guard lock(sum_.mu);
  EXPECT_EQ(sum_.runs[id], (std::vector<std::string>{"node-a", "node-b"}));
}

TEST_F(JobRunnerTest, TwoRunnersOnOneDatabaseNeverRunTheSameJobAtOnce) {
  // Each job takes over 2 s, longer than the 1.5 s lease: only the heartbeat keeps the other node off.
  JobRunner a(*store_, clock_, Fast("node-a", milliseconds(220)));
  JobRunner b(*store_, clock_, Fast("node-b", milliseconds(220)));
  a.Register("sum", sum_);
  b.Register("sum", sum_);
  std::vector<std::int64_t> ids;
  ids.reserve(8);
  for (int i = 0; i < 8; ++i) ids.push_back(Enqueue({{"n", 10}}));
  a.Start();
  b.Start();
  std::set<std::string> nodes;
  for (auto id : ids) {
    const JobRecord row = WaitFor(id, Finished);
    EXPECT_EQ(row.state, JobState::kSucceeded);
    EXPECT_EQ((*row.result)["sum"], 55);
    EXPECT_EQ(row.attempts, 1) << "job " << id << " was claimed twice";
    nodes.insert(row.lease_owner.value_or(""));
  }
  std::lock_guard lock(sum_.mu);
  EXPECT_TRUE(sum_.overlaps.empty()) << "a job ran on two nodes at once";
  for (auto id : ids) EXPECT_EQ(sum_.runs[id].size(), 1u) << "job " << id;
  EXPECT_EQ(nodes, (std::set<std::string>{"node-a", "node-b"}));  // both nodes took work
}

}  // namespace
}  // namespace sanad::jobs
