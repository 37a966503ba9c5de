// The registry change feed on SQLite and on PostgreSQL (SANAD_TEST_DB selects): sequence numbers in
// commit order without gaps even under concurrent writers, and a follower in another "process" (its own
// Database, as a second app server has) that learns of a commit by NOTIFY, by polling when it does not
// listen, reloads when the feed was pruned past it, and retries an entry it failed to apply.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "db/migrations.h"
#include "registry/change_feed_follower.h"
#include "registry/change_feed_store.h"
#include "test_db.h"

namespace sanad::testing {
namespace {

using namespace std::chrono_literals;
using registry::AppliedChange;
using registry::ChangeFeedFollower;
using registry::ChangeFeedStore;

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = FreshDatabaseUrl(BackendFromEnv());
    db_ = Open();
    ASSERT_TRUE(db::Migrate(*db_).has_value());
  }

  std::unique_ptr<db::Database> Open() {
    auto db = db::Database::Open(url_, 8);
    EXPECT_TRUE(db.has_value()) << db.error().message;
    return std::move(*db);
  }

  // Appends in a transaction of its own, as ChangeService::Approve does.
  static std::int64_t Append(db::Database& db, std::int64_t cr, std::vector<std::int64_t> persons,
                             std::chrono::milliseconds hold = 0ms) {
    ChangeFeedStore feed(db);
    auto seq = db.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
      AppliedChange c;
      c.change_request_id = cr;
      c.person_ids = persons;
      c.household_ids = {cr * 10};
      auto n = feed.Append(s, c, "2026-12-04T00:00:00Z");
      std::this_thread::sleep_for(hold);  // the rest of a longer transaction
      return n;
    });
    EXPECT_TRUE(seq.has_value()) << seq.error().message;
    return seq.value_or(-1);
  }

  bool postgres() const { return BackendFromEnv() == Backend::kPostgres; }

  std::string url_;
  std::unique_ptr<db::Database> db_;
};

// Collects what a follower applies.
struct Applied {
  std::mutex mu;
  std::vector<AppliedChange> changes;
  Status operator()(const AppliedChange& c) {
    std::lock_guard lock(mu);
    changes.push_back(c);
    return Ok();
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return changes.size();
  }
  bool WaitFor(std::size_t n, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (size() >= n) return true;
      std::this_thread::sleep_for(5ms);
    }
    return size() >= n;
  }
};

TEST_F(ChangeFeedTest, EntriesComeBackInOrderWithTheirPersonsAndHouseholds) {
  ChangeFeedStore feed(*db_);
  EXPECT_EQ(feed.LastSeq().value(), 0);
  EXPECT_EQ(Append(*db_, 7, {70, 71}), 1);
  EXPECT_EQ(Append(*db_, 8, {}), 2);
  EXPECT_EQ(feed.LastSeq().value(), 2);
  auto all = feed.After(0, 10);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].seq, 1);
  EXPECT_EQ((*all)[0].change.change_request_id, 7);
  EXPECT_EQ((*all)[0].change.person_ids, (std::vector<std::int64_t>{70, 71}));
  EXPECT_EQ((*all)[0].change.household_ids, (std::vector<std::int64_t>{70}));
  EXPECT_TRUE((*all)[1].change.person_ids.empty());
  EXPECT_EQ(feed.After(1, 10)->size(), 1u);
  EXPECT_EQ(feed.After(0, 1)->size(), 1u);
}

TEST_F(ChangeFeedTest, ConcurrentWritersGetDistinctConsecutiveSequencesInCommitOrder) {
  // Eight connections append at once and hold their transactions open a little: every one commits,
  // the numbers are 1..N, and a reader that polls meanwhile never sees a number before a smaller one
  // is committed (it would skip that one for good).
  constexpr int kWriters = 8, kEach = 5;
  std::atomic<bool> done{false};
  std::vector<std::int64_t> observed_gaps;
  std::thread reader([&] {
    ChangeFeedStore feed(*db_);
    std::int64_t last = 0;
    while (!done) {
      auto e = feed.After(last, 1000);
      if (e) {
        for (const auto& x : *e) {
          if (x.seq != last + 1) observed_gaps.push_back(x.seq);
          last = x.seq;
        }
      }
      std::this_thread::sleep_for(1ms);
    }
  });
  std::vector<std::thread> writers;
  std::mutex mu;
  std::set<std::int64_t> seqs;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        auto seq = Append(*db_, w * 100 + i, {w}, std::chrono::milliseconds((w + i) % 3 * 5));
        std::lock_guard lock(mu);
        seqs.insert(seq);
      }
    });
  }
  for (auto& t : writers) t.join();
  done = true;
  reader.join();
  ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kWriters * kEach));
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), kWriters * kEach);
  EXPECT_TRUE(observed_gaps.empty()) << "a reader saw seq " << observed_gaps.front()
                                     << " before a smaller one committed";
}

TEST_F(ChangeFeedTest, AFollowerOnAnotherConnectionSeesACommitWithinTwoSeconds) {
  // PostgreSQL: polling every minute, so only the notification can make it in time.
  auto other = Open();
  ChangeFeedStore feed(*other);
  Applied applied;
  ChangeFeedFollower follower(feed, {.poll_interval = postgres() ? 60s : 50ms}, std::ref(applied));
  follower.Start(feed.LastSeq().value());
  if (postgres()) {
    for (int i = 0; i < 200 && !follower.listening(); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(follower.listening());
  }
  Append(*db_, 1, {11});
  ASSERT_TRUE(applied.WaitFor(1, 2s));
  Append(*db_, 2, {12});
  ASSERT_TRUE(applied.WaitFor(2, 2s));
  follower.Stop();
  EXPECT_EQ(applied.changes[0].person_ids, std::vector<std::int64_t>{11});
  EXPECT_EQ(applied.changes[1].person_ids, std::vector<std::int64_t>{12});
  EXPECT_EQ(follower.last_seq(), 2);
}

TEST_F(ChangeFeedTest, WithoutNotificationsPollingCatchesUp) {
  auto other = Open();
  ChangeFeedStore feed(*other);
  Applied applied;
  ChangeFeedFollower follower(feed, {.poll_interval = 200ms, .listen = false}, std::ref(applied));
  follower.Start(0);
  Append(*db_, 1, {11});
  ASSERT_TRUE(applied.WaitFor(1, 2s));
  EXPECT_FALSE(follower.listening());
}

TEST_F(ChangeFeedTest, AFollowerStartedAtTheLoadPositionAppliesOnlyLaterChanges) {
  Append(*db_, 1, {11});
  Append(*db_, 2, {12});
  ChangeFeedStore feed(*db_);
  const auto from = feed.LastSeq().value();  // what a starting node reads before loading its index
  Append(*db_, 3, {13});
  Applied applied;
  ChangeFeedFollower follower(feed, {}, std::ref(applied));
  follower.Start(from);
  ASSERT_TRUE(applied.WaitFor(1, 2s));
  follower.Stop();
  ASSERT_EQ(applied.changes.size(), 1u);
  EXPECT_EQ(applied.changes[0].change_request_id, 3);
}

TEST_F(ChangeFeedTest, AFollowerBehindThePrunedFeedRebuildsOnce) {
  for (int i = 1; i <= 5; ++i) Append(*db_, i, {i});
  {
    auto s = db_->Acquire();
    s.sql() << "DELETE FROM registry_changes WHERE seq <= 3";  // as Append's pruning would
  }
  ChangeFeedStore feed(*db_);
  Applied applied;
  ChangeFeedFollower follower(feed, {}, std::ref(applied));
  follower.Start(1);  // saw only seq 1 before
  ASSERT_TRUE(follower.CatchUp().has_value());
  follower.Stop();
  ASSERT_FALSE(applied.changes.empty());
  EXPECT_TRUE(applied.changes[0].bulk);
  EXPECT_EQ(follower.last_seq(), 5);
}

TEST_F(ChangeFeedTest, AnEntryThatFailedToApplyIsAppliedAgain) {
  ChangeFeedStore feed(*db_);
  Append(*db_, 1, {11});
  Append(*db_, 2, {12});
  int calls = 0;
  std::vector<std::int64_t> seen;
  ChangeFeedFollower follower(feed, {}, [&](const AppliedChange& c) -> Status {
    if (++calls == 2) return Fail(Code::kUnavailable, "database went away");
    seen.push_back(c.change_request_id);
    return Ok();
  });
  EXPECT_FALSE(follower.CatchUp().has_value());
  EXPECT_EQ(follower.last_seq(), 1);
  EXPECT_TRUE(follower.CatchUp().has_value());
  EXPECT_EQ(follower.last_seq(), 2);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2}));
}

}  // namespace
}  // namespace sanad::testing
