#include "audit/group_commit.h"

#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "audit/audit_log.h"
#include "db/migrations.h"

namespace sanad::audit {
namespace {

AuditEntry Entry(int n) {
  AuditEntry e;
  e.username = "u" + std::to_string(n);
  e.action = "view";
  e.record_type = "household";
  e.record_id = std::to_string(n);
  return e;
}

TEST(GroupCommitTest, ConcurrentCallersShareCommitsAndEachGetsItsOwnEntry) {
  std::atomic<int> calls{0};
  long long next_id = 0;
  GroupCommit group([&](std::vector<AuditEntry>& batch) -> Result<std::vector<AuditEntry>> {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a durable commit takes time
    for (auto& e : batch) e.id = ++next_id;
    return batch;
  });
  constexpr int kThreads = 32, kEach = 20;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::pair<std::string, long long>>> got(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = group.Submit(Entry(t * 1000 + i));
        ASSERT_TRUE(r);
        got[t].emplace_back(r->record_id, r->id);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<long long> ids;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(got[t].size(), static_cast<std::size_t>(kEach));
    for (int i = 0; i < kEach; ++i) {
      EXPECT_EQ(got[t][i].first, std::to_string(t * 1000 + i));  // its own entry back, not a neighbour's
      ids.insert(got[t][i].second);
    }
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(group.entries(), static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_EQ(group.commits(), static_cast<std::uint64_t>(calls.load()));
  EXPECT_LT(calls.load(), kThreads * kEach / 4) << "callers did not share commits";
}

TEST(GroupCommitTest, AFailedCommitFailsEveryEntryOfItsBatch) {
  std::atomic<bool> fail{true};
  GroupCommit group([&](std::vector<AuditEntry>& batch) -> Result<std::vector<AuditEntry>> {
    if (fail) return std::unexpected(Error{Code::kUnavailable, "disk full", "", 0});
    return batch;
  });
  auto r = group.Submit(Entry(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kUnavailable);
  EXPECT_EQ(group.commits(), 0u);
  fail = false;
  EXPECT_TRUE(group.Submit(Entry(2)));
}

TEST(GroupCommitTest, AuditLogKeepsAnIntactChainUnderConcurrentAppends) {
  auto path = std::filesystem::temp_directory_path() / ("sanad-group-commit-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  auto db = db::Database::Open("sqlite:" + path.string(), 8);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db::Migrate(**db));
  SystemClock clock;
  AuditLog log(**db, clock);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) ASSERT_TRUE(log.Append(Entry(t * 100 + i)));
    });
  }
  for (auto& th : threads) th.join();
  auto report = log.Verify();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->checked, 400);
  EXPECT_FALSE(report->first_broken_id) << report->reason;
  EXPECT_LE(log.group_commit().commits(), 400u);
  db->reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace sanad::audit
