// The history of periodic passes on SQLite and PostgreSQL (SANAD_TEST_DB): settled runs of one kind older
// than the cut-off are deleted; queued and running jobs, recent runs and other kinds stay; a pass looks at
// the table at most once an hour. Time is passed in explicitly (a manual clock), so nothing waits.
#include <gtest/gtest.h>

#include <chrono>

#include "jobs/exclusive_pass.h"
#include "jobs/job_store.h"
#include "jobs_test_support.h"

namespace sanad::jobs {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kClaimLease{15'000};
constexpr hours kDay{24};

// A pass that does nothing: only its history is under test.
class SweepPass final : public ExclusivePass {
 public:
  SweepPass(JobStore& jobs, const Clock& clock) : ExclusivePass(jobs, clock, "sweep", "sweep.busy") {}
  Result<Json> Run(JobContext&) override { return Json::object(); }
};

class JobHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenTestDatabase(4);
    ASSERT_TRUE(db_);
    store_ = std::make_unique<JobStore>(*db_);
  }

  // A job of `kind` claimed by "node" at `at`; returns its id.
  std::int64_t Running(const std::string& kind, TimePoint at) {
    auto queued = store_->Enqueue(NewJob{.kind = kind, .owner = "system"}, at);
    EXPECT_TRUE(queued) << queued.error().message;
    const std::vector<std::string> kinds{kind};
    auto claimed = store_->Claim(kinds, "node", at, kClaimLease);
    EXPECT_TRUE(claimed && *claimed);
    EXPECT_EQ((*claimed)->id, queued->id);
    return queued->id;
  }
  std::int64_t Succeeded(const std::string& kind, TimePoint at) {
    const std::int64_t id = Running(kind, at);
    EXPECT_TRUE(store_->MarkSucceeded(id, "node", Json::object(), at).value_or(false));
    return id;
  }
  bool Exists(std::int64_t id) {
    auto r = store_->Get(id);
    EXPECT_TRUE(r);
    return r && r->has_value();
  }

  const TimePoint t0_ = TimePoint(seconds(1'800'000'000));
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<JobStore> store_;
};

TEST_F(JobHistoryTest, PruneDeletesOnlyTheKindsSettledRunsOlderThanTheCutOff) {
  const std::int64_t old_ok = Succeeded("sweep", t0_);
  const std::int64_t old_failed = Running("sweep", t0_);
  ASSERT_TRUE(store_->MarkFailed(old_failed, "node", Error{Code::kInternal, "boom", ""}, t0_).value_or(false));
  auto queued = store_->Enqueue(NewJob{.kind = "sweep", .owner = "system"}, t0_);
  ASSERT_TRUE(queued);
  ASSERT_EQ(store_->RequestCancel(queued->id, t0_).value_or(CancelOutcome::kRequested), CancelOutcome::kCancelled);
  const std::int64_t old_cancelled = queued->id;
  const std::int64_t recent = Succeeded("sweep", t0_ + 10 * kDay);
  const std::int64_t other_kind = Succeeded("other", t0_);
  const std::int64_t running = Running("sweep", t0_);
  auto waiting = store_->Enqueue(NewJob{.kind = "sweep", .owner = "system"}, t0_);
  ASSERT_TRUE(waiting);

  auto pruned = store_->PruneSettled("sweep", t0_ + 5 * kDay);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 3);
  EXPECT_FALSE(Exists(old_ok));
  EXPECT_FALSE(Exists(old_failed));
  EXPECT_FALSE(Exists(old_cancelled));
  EXPECT_TRUE(Exists(recent));
  EXPECT_TRUE(Exists(other_kind));
  EXPECT_TRUE(Exists(running));
  EXPECT_TRUE(Exists(waiting->id));
  // Again: nothing left to delete.
  EXPECT_EQ(store_->PruneSettled("sweep", t0_ + 5 * kDay).value_or(-1), 0);
}

TEST_F(JobHistoryTest, PruneRefusesABadKind) {
  auto pruned = store_->PruneSettled("sweep'; DROP TABLE jobs; --", t0_);
  ASSERT_FALSE(pruned);
  EXPECT_EQ(pruned.error().code, Code::kInvalidArgument);
}

TEST_F(JobHistoryTest, APassPrunesItsHistoryAtMostOnceAnHour) {
  ManualClock clock(t0_ + 100 * kDay);
  SweepPass pass(*store_, clock);
  const std::int64_t first = Succeeded("sweep", t0_);
  auto pruned = pass.PruneHistory(90 * kDay);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 1);
  EXPECT_FALSE(Exists(first));

  // Another old run: within the hour the pass does not look; an hour later it deletes it.
  const std::int64_t second = Succeeded("sweep", t0_ + kDay);
  clock.Advance(std::chrono::minutes(59));
  EXPECT_EQ(pass.PruneHistory(90 * kDay).value_or(-1), 0);
  EXPECT_TRUE(Exists(second));
  clock.Advance(std::chrono::minutes(1));
  EXPECT_EQ(pass.PruneHistory(90 * kDay).value_or(-1), 1);
  EXPECT_FALSE(Exists(second));
  // A run inside the kept period stays.
  clock.Advance(hours(1));
  const std::int64_t kept = Succeeded("sweep", clock.Now() - 89 * kDay);
  EXPECT_EQ(pass.PruneHistory(90 * kDay).value_or(-1), 0);
  EXPECT_TRUE(Exists(kept));
}

}  // namespace
}  // namespace sanad::jobs
