// Sends the callbacks of the outbox (dci_outbox): a thread that leases due rows, posts each to its URL
// and marks it delivered, or retries it later with a doubling backoff until max_attempts. Rows are in
// the database before any ACK is sent, so a restart loses nothing; the lease keeps two app servers from
// sending the same row at once (a server that dies mid-send leaves the row to be sent again once its
// lease runs out: at-least-once, the message_id lets the partner drop a repeat).
//
// Thread safety: Start/Stop from one thread; Poke from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/time.h"
#include "dci/dci_store.h"
#include "dci/signature.h"

namespace sanad::dci {

struct OutboxOptions {
  std::chrono::milliseconds poll{1000};         // how often due rows are looked for without a Poke
  std::chrono::milliseconds timeout{5000};      // per delivery
  std::chrono::milliseconds first_retry{5000};  // then 10 s, 20 s, … up to max_retry
  std::chrono::milliseconds max_retry{3'600'000};
  long long max_attempts = 12;
  std::chrono::seconds lease{60};
  // Sanad's signing key: each callback is signed as it is sent (not when queued: a retry hours later
  // still carries a signature that has not expired). None: callbacks go unsigned.
  std::optional<OwnKey> signing_key;
};

class OutboxWorker {
 public:
  OutboxWorker(DciStore& store, const Clock& clock, OutboxOptions options, std::string worker_id);
  ~OutboxWorker();
  void Start();
  void Stop();
  void Poke();
  // One pass over the due rows (the thread's loop; tests call it directly). Returns rows delivered.
  Result<std::size_t> RunOnce();
  std::uint64_t failures() const { return failures_.load(); }

 private:
  void Loop();
  // `body` with Sanad's signature as of `now` (the body itself when no key is configured).
  std::string Signed(const std::string& body, TimePoint now) const;

  DciStore& store_;
  const Clock& clock_;
  OutboxOptions options_;
  std::string worker_id_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, poked_ = false;
  std::atomic<std::uint64_t> failures_{0};
};

}  // namespace sanad::dci
