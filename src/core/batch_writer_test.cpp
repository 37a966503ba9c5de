// core::BatchWriter (group commit of public intake): items queued while a batch is being written form the
// next batch together, every submitter gets its own item's result only after its batch was written, a failed
// batch answers each of its items with the error, and the destructor writes what is still queued.
#include "core/batch_writer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sanad::core {
namespace {

// A writer whose first batch waits until the test opens the gate: what is submitted meanwhile queues up.
struct GatedWriter {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  bool fail_next = false;
  std::vector<std::vector<int>> batches;

  Result<std::vector<std::string>> Write(std::vector<int>& items) {
    std::unique_lock lock(mu);
    batches.push_back(items);
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
    if (fail_next) {
      fail_next = false;
      return Failure(Code::kUnavailable, "test.batch_failed", {}, "");
    }
    std::vector<std::string> out;
    out.reserve(items.size());
    for (int i : items) out.push_back("stored " + std::to_string(i));
    return out;
  }
  void WaitForBatches(std::size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return batches.size() >= n; });
  }
  void Open() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
};

// Results by item, filled by the completions (which run on the writer thread).
struct Results {
  std::mutex mu;
  std::condition_variable cv;
  std::map<int, Result<std::string>> by_item;

  BatchWriter<int, std::string>::Done For(int item) {
    return [this, item](Result<std::string> r) {
      std::lock_guard lock(mu);
      by_item.emplace(item, std::move(r));
      cv.notify_all();
    };
  }
  std::size_t Count() {
    std::lock_guard lock(mu);
    return by_item.size();
  }
  void WaitFor(std::size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return by_item.size() >= n; });
  }
};

TEST(BatchWriter, ItemsQueuedDuringAWriteShareTheNextBatchAndEachGetsItsOwnResultOnlyOnceWritten) {
  GatedWriter w;
  Results results;
  BatchWriter<int, std::string> writer([&](std::vector<int>& items) { return w.Write(items); });
  writer.SubmitAsync(1, results.For(1));
  w.WaitForBatches(1);  // the batch {1} is being written and holds the writer
  for (int i = 2; i <= 5; ++i) writer.SubmitAsync(i, results.For(i));
  EXPECT_EQ(results.Count(), 0u);  // nothing is answered before its batch is written
  w.Open();
  results.WaitFor(5);
  ASSERT_EQ(w.batches.size(), 2u);
  EXPECT_EQ(w.batches[0], std::vector<int>{1});
  EXPECT_EQ(w.batches[1], (std::vector<int>{2, 3, 4, 5}));  // one transaction for the four
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(results.by_item.at(i)) << i;
    EXPECT_EQ(*results.by_item.at(i), "stored " + std::to_string(i));
  }
  EXPECT_EQ(writer.batches(), 2u);
  EXPECT_EQ(writer.items(), 5u);
}

TEST(BatchWriter, AFailedBatchAnswersEachOfItsItemsWithTheErrorAndTheNextBatchIsWritten) {
  GatedWriter w;
  w.Open();
  w.fail_next = true;
  BatchWriter<int, std::string> writer([&](std::vector<int>& items) { return w.Write(items); });
  auto failed = writer.Submit(7);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Code::kUnavailable);
  auto stored = writer.Submit(8);
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, "stored 8");
  EXPECT_EQ(writer.items(), 1u);
}

TEST(BatchWriter, StoppingWritesWhatIsStillQueued) {
  GatedWriter w;
  Results results;
  {
    BatchWriter<int, std::string> writer([&](std::vector<int>& items) { return w.Write(items); });
    writer.SubmitAsync(1, results.For(1));
    w.WaitForBatches(1);
    writer.SubmitAsync(2, results.For(2));
    writer.SubmitAsync(3, results.For(3));
    w.Open();
  }  // the destructor returns only once everything queued was written
  ASSERT_EQ(results.Count(), 3u);
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(results.by_item.at(i)) << i;
}

}  // namespace
}  // namespace sanad::core
