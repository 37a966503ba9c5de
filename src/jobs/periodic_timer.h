// Calls `tick` every interval of wall time on its own thread, until stopped: how an app server queues a
// recurring job (the micro-credit collection proposals each night). Every server of a cluster may run
// one: the job's exclusive key keeps a single pass queued or running. The work's dates come from the
// application's clock inside the job, not from this timer. Every recurring pass uses it: case and grievance
// escalation, the counselling outbox's delivery, the micro-credit collection proposals.
//
// Thread safety: Start and Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace sanad::jobs {

class PeriodicTimer {
 public:
  PeriodicTimer(std::function<void()> tick, std::chrono::seconds interval)
      : tick_(std::move(tick)), interval_(interval) {}
  ~PeriodicTimer() { Stop(); }
  PeriodicTimer(const PeriodicTimer&) = delete;
  PeriodicTimer& operator=(const PeriodicTimer&) = delete;

  // Does nothing when already started or when the interval is not positive.
  void Start();
  void Stop();

 private:
  std::function<void()> tick_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sanad::jobs
