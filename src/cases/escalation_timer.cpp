#include "cases/escalation_timer.h"

#include <spdlog/spdlog.h>

namespace sanad::cases {

EscalationTimer::EscalationTimer(CaseEscalation& escalation, std::chrono::seconds interval)
    : EscalationTimer(
          "case escalation",
          [&escalation]() -> Status {
            auto job = escalation.Start(std::nullopt, "system");
            if (!job) return std::unexpected(job.error());
            return Ok();
          },
          interval) {}

void EscalationTimer::Start() {
  if (thread_.joinable() || interval_.count() <= 0) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      // Not fatal: the next tick tries again; the failure is logged for the operator.
      if (auto st = start_(); !st) spdlog::warn("{}: the pass could not be queued: {}", what_, st.error().message);
      lock.lock();
    }
  });
}

void EscalationTimer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sanad::cases
