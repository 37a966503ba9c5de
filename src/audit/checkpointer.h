// Signs the audit chain head into the checkpoint file at a fixed interval and once more at Stop().
//
// Before signing, it checks that the chain in the database still extends the last checkpoint it
// wrote (CheckExtends); if it does not, it signs nothing, logs the break through `on_error` and tries
// again at the next tick: a rewritten chain is never signed as a continuation of the old one.
//
// Thread safety: Start/Stop from one thread; CheckpointNow may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "audit/audit_log.h"
#include "audit/checkpoint.h"

namespace sanad::audit {

class Checkpointer {
 public:
  using ErrorSink = std::function<void(const std::string&)>;
  Checkpointer(AuditLog& log, CheckpointWriter& writer, const Clock& clock, std::chrono::seconds interval,
               ErrorSink on_error);
  ~Checkpointer();

  // Starts the timer thread.
  void Start();
  // Stops the timer thread and writes a final checkpoint.
  Status Stop();

  // Signs the current head if it moved since the last checkpoint. Returns the checkpoint written, or
  // nullopt when there was nothing new. Failures where the chain no longer extends the last
  // checkpoint) are kFailedPrecondition.
  Result<std::optional<Checkpoint>> CheckpointNow();

 private:
  void Run();

  AuditLog& log_;
  CheckpointWriter& writer_;
  const Clock& clock_;
  std::chrono::seconds interval_;
  ErrorSink on_error_;
  std::mutex checkpoint_mu_;  // one checkpoint at a time
  std::mutex mu_;             // guards stop_
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sanad::audit
