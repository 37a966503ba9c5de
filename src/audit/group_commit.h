// Group commit for audit entries written on their own (the audit of a read, a sign-in): concurrent
// callers share one transaction and so one durable commit (one fsync on SQLite, one WAL flush on
// PostgreSQL) instead of paying one each. Each caller still returns only once its own entry is durable,
// and gets the batch's error when the commit fails, so a read whose audit entry was not written is not
// answered (fail-closed).
//
// Leader/follower, no timer: the first caller to find no commit in flight writes everything queued so
// far; callers that arrive meanwhile queue up and the next of them writes the next batch. A lone caller
// therefore pays no added latency, and under load batches grow by themselves.
//
// Thread safety: Submit may be called from any number of threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "audit/audit_entry.h"
#include "core/error.h"

namespace sanad::audit {

class GroupCommit {
 public:
  // Writes a whole batch in one transaction, appending in order; returns the entries as written.
  using WriteBatch = std::function<Result<std::vector<AuditEntry>>(std::vector<AuditEntry>&)>;

  explicit GroupCommit(WriteBatch write, std::size_t max_batch = 512)
      : write_(std::move(write)), max_batch_(max_batch) {}

  // Queues `entry` and returns once the transaction holding it has committed (or failed).
  Result<AuditEntry> Submit(AuditEntry entry);

  // Transactions committed and entries written since construction (for tests and metrics).
  std::uint64_t commits() const;
  std::uint64_t entries() const;

 private:
  struct Waiter {
    AuditEntry entry;
    std::optional<Result<AuditEntry>> result;
  };

  WriteBatch write_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable done_;
  std::vector<std::shared_ptr<Waiter>> queue_;
  bool writing_ = false;
  std::uint64_t commits_ = 0;
  std::uint64_t entries_ = 0;
};

}  // namespace sanad::audit
