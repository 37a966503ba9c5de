#include "jobs/periodic_timer.h"

namespace sanad::jobs {

void PeriodicTimer::Start() {
  if (thread_.joinable() || interval_.count() <= 0) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      tick_();
      lock.lock();
    }
  });
}

void PeriodicTimer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sanad::jobs
