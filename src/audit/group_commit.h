// Group commit for audit entries written on their own (the audit of a read, a sign-in): concurrent
// callers share one transaction and so one durable commit (one fsync on SQLite, one WAL flush on
// PostgreSQL) instead of paying one each. A caller learns that its entry is durable only once the
// transaction holding it has committed, and gets the batch's error when the commit fails, so a read
// whose audit entry was not written is not answered (fail-closed).
//
// One writer thread takes everything queued so far as one batch; entries that arrive meanwhile form
// the next batch, so a lone entry waits only for a thread wake-up and under load batches grow by
// themselves. Callers either wait (Submit) or hand over a completion and carry on (SubmitAsync): the
// HTTP server uses the latter so that a request thread serves other requests while the audit entry of
// its last response is being made durable, which is what lets batches grow beyond the number of
// request threads (with 8 threads and a 5 ms fsync, waiting callers cap audited reads at ~1,600/s).
//
// Thread safety: Submit and SubmitAsync may be called from any number of threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "audit/audit_entry.h"
#include "core/error.h"

namespace sanad::audit {

class GroupCommit {
 public:
  // Writes a whole batch in one transaction, appending in order; returns the entries as written.
  // Runs on the writer thread only, one batch at a time.
  using WriteBatch = std::function<Result<std::vector<AuditEntry>>(std::vector<AuditEntry>&)>;
  // Receives the entry as written, or the batch's error; runs on the writer thread and must not throw.
  using Done = std::function<void(Result<AuditEntry>)>;

  explicit GroupCommit(WriteBatch write, std::size_t max_batch = 512);
  // Writes what is still queued, then stops the writer thread.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues `entry` and returns once the transaction holding it has committed (or failed).
  Result<AuditEntry> Submit(AuditEntry entry);
  // Queues `entry` and returns at once; `done` runs once the transaction holding it has committed (or
  // failed).
  void SubmitAsync(AuditEntry entry, Done done);

  // Transactions committed and entries written since construction (for tests and metrics). Updated
  // before the batch's completions run.
  std::uint64_t commits() const;
  std::uint64_t entries() const;

 private:
  struct Waiter {
    AuditEntry entry;
    Done done;
  };
  void Run();

  WriteBatch write_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Waiter> queue_;
  bool stopping_ = false;
  std::uint64_t commits_ = 0;
  std::uint64_t entries_ = 0;
  std::thread writer_;  // last: starts once everything above is constructed
};

}  // namespace sanad::audit
