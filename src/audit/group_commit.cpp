#include "audit/group_commit.h"

#include <algorithm>

namespace sanad::audit {

Result<AuditEntry> GroupCommit::Submit(AuditEntry entry) {
  auto me = std::make_shared<Waiter>();
  me->entry = std::move(entry);
  std::unique_lock lock(mu_);
  queue_.push_back(me);
  for (;;) {
    // Wait while another caller is writing and our entry is not done yet.
    done_.wait(lock, [&] { return me->result.has_value() || !writing_; });
    if (me->result) return std::move(*me->result);
    // No commit in flight and our entry still queued: lead the next batch (it includes our entry,
    // which is in the queue's first max_batch_ entries or will be taken by a following round).
    writing_ = true;
    const std::size_t n = std::min(queue_.size(), max_batch_);
    std::vector<std::shared_ptr<Waiter>> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();

    std::vector<AuditEntry> entries;
    entries.reserve(batch.size());
    for (auto& w : batch) entries.push_back(std::move(w->entry));
    Result<std::vector<AuditEntry>> written = write_(entries);
    if (written && written->size() != batch.size()) {
      written = std::unexpected(Error{Code::kInternal, "audit batch writer returned a different count", "", 0});
    }

    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (written) {
        batch[i]->result = std::move((*written)[i]);
      } else {
        batch[i]->result = std::unexpected(written.error());
      }
    }
    if (written) {
      ++commits_;
      entries_ += batch.size();
    }
    writing_ = false;
    done_.notify_all();
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
