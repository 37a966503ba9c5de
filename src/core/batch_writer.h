// Group commit of public intake: items submitted at the same time share one transaction and so one
// durable commit (one fsync on SQLite, one WAL flush on PostgreSQL) instead of paying one each, and
// SQLite's single writer is taken by one thread instead of being fought over by every request thread
// (whose busy handler sleeps in growing steps: the second-long tails of one commit per request). The
// same scheme as the audit log's (audit/group_commit.h). Used by the e-service report intake and the
// women's empowerment registrations.
//
// One writer thread takes everything queued so far (at most `max_batch`) as one batch; items that
// arrive meanwhile form the next one, so a lone item waits only for a thread wake-up and batches grow
// by themselves under load. A submitter learns that its item is stored only once the batch's
// transaction has committed, and gets the batch's error otherwise: an item is never acknowledged
// before it is durable. Callers either wait (Submit) or hand over a completion and carry on
// (SubmitAsync, which the HTTP routes use with the request's Deferred so that request threads serve
// other requests while the commit is under way).
//
// Thread safety: Submit and SubmitAsync may be called from any number of threads.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/error.h"

namespace sanad::core {

template <class Item, class Stored>
class BatchWriter {
 public:
  // Writes a whole batch in one transaction, in order, all or none; returns one result per item.
  // Runs on the writer thread only, one batch at a time.
  using WriteBatch = std::function<Result<std::vector<Stored>>(std::vector<Item>&)>;
  // Receives the item as stored, or the batch's error; runs on the writer thread and must not throw.
  using Done = std::function<void(Result<Stored>)>;

  explicit BatchWriter(WriteBatch write, std::size_t max_batch = 256)
      : write_(std::move(write)), max_batch_(max_batch == 0 ? 1 : max_batch), writer_([this] { Run(); }) {}
  // Writes what is still queued, then stops the writer thread.
  ~BatchWriter() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    writer_.join();
  }
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Queues `item` and returns once the transaction holding it has committed (or failed).
  Result<Stored> Submit(Item item) {
    std::mutex m;
    std::condition_variable cv;
    std::optional<Result<Stored>> out;
    SubmitAsync(std::move(item), [&](Result<Stored> r) {
      std::lock_guard lock(m);
      out = std::move(r);
      cv.notify_one();  // under the lock: this frame may end as soon as it is released
    });
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return out.has_value(); });
    return std::move(*out);
  }

  // Queues `item` and returns at once; `done` runs once the transaction holding it has committed (or
  // failed).
  void SubmitAsync(Item item, Done done) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(Waiter{std::move(item), std::move(done)});
    }
    wake_.notify_one();
  }

  // Transactions attempted and items written since construction (tests, metrics). Updated before the
  // batch's completions run.
  std::uint64_t batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  std::uint64_t items() const {
    std::lock_guard lock(mu_);
    return items_;
  }

 private:
  struct Waiter {
    Item item;
    Done done;
  };

  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued was written
      const std::size_t n = std::min(queue_.size(), max_batch_);
      std::vector<Waiter> batch(std::make_move_iterator(queue_.begin()),
                                std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      lock.unlock();

      std::vector<Item> items;
      items.reserve(batch.size());
      for (auto& w : batch) items.push_back(std::move(w.item));
      Result<std::vector<Stored>> written = write_(items);
      if (written && written->size() != batch.size()) {
        written = std::unexpected(Error{Code::kInternal, "batch writer returned a different count", "", 0});
      }
      lock.lock();
      ++batches_;
      if (written) items_ += batch.size();
      lock.unlock();
      for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i].done(written ? Result<Stored>((*written)[i]) : Result<Stored>(std::unexpected(written.error())));
      }
      lock.lock();
    }
  }

  WriteBatch write_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Waiter> queue_;
  bool stopping_ = false;
  std::uint64_t batches_ = 0;
  std::uint64_t items_ = 0;
  std::thread writer_;  // last: starts once everything above is constructed
};

}  // namespace sanad::core
