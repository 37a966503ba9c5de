#include "audit/group_commit.h"

#include <algorithm>
#include <optional>

namespace sanad::audit {

GroupCommit::GroupCommit(WriteBatch write, std::size_t max_batch)
    : write_(std::move(write)), max_batch_(max_batch == 0 ? 1 : max_batch), writer_([this] { Run(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Result<AuditEntry> GroupCommit::Submit(AuditEntry entry) {
  std::mutex m;
  std::condition_variable cv;
  std::optional<Result<AuditEntry>> out;
  SubmitAsync(std::move(entry), [&](Result<AuditEntry> r) {
    std::lock_guard lock(m);
    out = std::move(r);
    cv.notify_one();  // under the lock: this frame may end as soon as it is released
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return out.has_value(); });
  return std::move(*out);
}

void GroupCommit::SubmitAsync(AuditEntry entry, Done done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Waiter{std::move(entry), std::move(done)});
  }
  wake_.notify_one();
}

void GroupCommit::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued was written
    const std::size_t n = std::min(queue_.size(), max_batch_);
    std::vector<Waiter> batch(std::make_move_iterator(queue_.begin()),
                              std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();

    std::vector<AuditEntry> entries;
    entries.reserve(batch.size());
    for (auto& w : batch) entries.push_back(std::move(w.entry));
    Result<std::vector<AuditEntry>> written = write_(entries);
    if (written && written->size() != batch.size()) {
      written = std::unexpected(Error{Code::kInternal, "audit batch writer returned a different count", "", 0});
    }
    if (written) {
      std::lock_guard counters(mu_);
      ++commits_;
      entries_ += batch.size();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (written) {
        batch[i].done(std::move((*written)[i]));
      } else {
        batch[i].done(std::unexpected(written.error()));
      }
    }
    lock.lock();
  }
}

std::uint64_t GroupCommit::commits() const {
  std::lock_guard lock(mu_);
  return commits_;
}

std::uint64_t GroupCommit::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

}  // namespace sanad::audit
