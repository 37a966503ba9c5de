// Starts the escalation pass of overdue cases (case_escalation.h) every interval on this app server.
// Every server of a cluster runs one: the job's exclusive key keeps a single pass queued or running, and
// its lease makes one server apply it. The interval is wall time between attempts; the deadlines
// themselves are read from the application's clock by the pass. Other exclusive passes (the counselling
// outbox's delivery) are queued by the same timer with their own `tick`.
//
// Thread safety: Start and Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "cases/case_escalation.h"

namespace sanad::cases {

class EscalationTimer {
 public:
  EscalationTimer(CaseEscalation& escalation, std::chrono::seconds interval);
  // Calls `tick` every interval (it queues its own job and logs its own failures).
  EscalationTimer(std::function<void()> tick, std::chrono::seconds interval)
      : tick_(std::move(tick)), interval_(interval) {}
  ~EscalationTimer() { Stop(); }
  EscalationTimer(const EscalationTimer&) = delete;
  EscalationTimer& operator=(const EscalationTimer&) = delete;

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

}  // namespace sanad::cases
