#include "eservices/intake_batcher.h"

#include <future>

namespace sanad::eservices {

IntakeBatcher::IntakeBatcher(ReportStore& store, std::size_t max_batch)
    : store_(store), max_batch_(max_batch), writer_([this] { Run(); }) {}

IntakeBatcher::~IntakeBatcher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

Result<Report> IntakeBatcher::Submit(NewReport report) {
  std::promise<Result<Report>> stored;
  auto future = stored.get_future();
  SubmitAsync(std::move(report), [&stored](Result<Report> r) { stored.set_value(std::move(r)); });
  return future.get();
}

void IntakeBatcher::SubmitAsync(NewReport report, Done done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Waiter{std::move(report), std::move(done)});
  }
  cv_.notify_one();
}

void IntakeBatcher::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left to write
    std::vector<Waiter> batch;
    if (queue_.size() <= max_batch_) {
      batch.swap(queue_);
    } else {
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_));
    }
    lock.unlock();
    std::vector<NewReport> reports;
    reports.reserve(batch.size());
    for (auto& w : batch) reports.push_back(std::move(w.report));
    auto stored = store_.InsertBatch(reports);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (stored) {
        batch[i].done((*stored)[i]);
      } else {
        batch[i].done(std::unexpected(stored.error()));
      }
    }
    lock.lock();
  }
}

}  // namespace sanad::eservices
