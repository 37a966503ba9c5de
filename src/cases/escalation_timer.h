// Starts the escalation pass of overdue cases (case_escalation.h) every interval on this app server.
// Every server of a cluster runs one: the job's exclusive key keeps a single pass queued or running, and
// its lease makes one server apply it. The interval is wall time between attempts; the deadlines
// themselves are read from the application's clock by the pass.
//
// Thread safety: Start and Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "cases/case_escalation.h"

namespace sanad::cases {

class EscalationTimer {
 public:
  EscalationTimer(CaseEscalation& escalation, std::chrono::seconds interval);
  // Any other pass queued the same way (the grievances' escalation): `start` queues it, `what` names
  // it in the log when it cannot be queued.
  EscalationTimer(std::string what, std::function<Status()> start, std::chrono::seconds interval)
      : what_(std::move(what)), start_(std::move(start)), interval_(interval) {}
  ~EscalationTimer() { Stop(); }
  EscalationTimer(const EscalationTimer&) = delete;
  EscalationTimer& operator=(const EscalationTimer&) = delete;

  void Start();
  void Stop();

 private:
  std::string what_;
  std::function<Status()> start_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sanad::cases
