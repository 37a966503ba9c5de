#include "cycles/read_ahead.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace sanad::cycles {

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

ReadAhead::ReadAhead(db::Session& caller, std::string as_of, AsOfFilter filter, std::size_t chunk_size,
                     EvaluateChunk evaluate, bool threaded, std::size_t depth)
    : evaluate_(std::move(evaluate)), depth_(std::max<std::size_t>(depth, 1)) {
  std::unique_ptr<db::Session> second = threaded ? caller.database().TryAcquire() : nullptr;
  if (second) {
    reader_ = std::thread(&ReadAhead::Read, this, std::move(second), std::move(as_of), std::move(filter), chunk_size);
  } else {
    inline_ = std::make_unique<HouseholdBatchStore>(caller, std::move(as_of), std::move(filter), chunk_size);
  }
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (reader_.joinable()) reader_.join();
}

ReadAhead::Slot* ReadAhead::ToEvaluate() {
  for (auto it = ready_.rbegin(); it != ready_.rend(); ++it) {
    if (it->chunk && it->chunk->size() > 0 && !it->outcome && !it->evaluating) return &*it;
  }
  return nullptr;
}

void ReadAhead::Read(std::unique_ptr<db::Session> session, std::string as_of, AsOfFilter filter,
                     std::size_t chunk_size) {
  const double start = ThreadCpuSeconds();
  // Next() catches the database's exceptions (db::Guard); nothing else here throws but allocation.
  HouseholdBatchStore store(*session, std::move(as_of), std::move(filter), chunk_size);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // A full queue: evaluate its newest chunk rather than wait (the caller takes the oldest).
      while (!stop_ && ready_.size() >= depth_) {
        Slot* slot = ToEvaluate();
        if (slot == nullptr) {
          changed_.wait(lock);
          continue;
        }
        slot->evaluating = true;
        lock.unlock();
        const double t0 = ThreadCpuSeconds();
        auto outcome = evaluate_(*slot->chunk);
        const double spent = ThreadCpuSeconds() - t0;
        lock.lock();
        slot->outcome = std::move(outcome);
        slot->evaluating = false;
        evaluate_ahead_cpu_ += spent;
        evaluate_cpu_ += spent;
        ++evaluated_ahead_;
        changed_.notify_all();
      }
      if (stop_) break;
    }
    auto chunk = store.Next();
    const bool last = !chunk || chunk->size() == 0;
    {
      std::lock_guard lock(mutex_);
      ready_.push_back(Slot{std::move(chunk), std::nullopt, false});
      if (last) {
        finished_ = true;
        read_cpu_ = ThreadCpuSeconds() - start - evaluate_ahead_cpu_;
      }
    }
    changed_.notify_all();
    if (last) break;
  }
  session.reset();  // the connection goes back to the pool from the thread that used it
}

Result<EvaluatedChunk> ReadAhead::Evaluated(Result<RegistryChunk> chunk,
                                            std::optional<Result<programs::BatchOutcome>> outcome) {
  if (!chunk) return std::unexpected(chunk.error());
  if (chunk->size() == 0) return EvaluatedChunk{std::move(*chunk), {}};
  if (!outcome) {
    const double t0 = ThreadCpuSeconds();
    outcome = evaluate_(*chunk);
    const double spent = ThreadCpuSeconds() - t0;
    std::lock_guard lock(mutex_);
    evaluate_cpu_ += spent;
  }
  if (!*outcome) return std::unexpected(outcome->error());
  return EvaluatedChunk{std::move(*chunk), std::move(**outcome)};
}

Result<EvaluatedChunk> ReadAhead::Next() {
  if (inline_) {
    const double start = ThreadCpuSeconds();
    auto chunk = inline_->Next();
    read_cpu_ += ThreadCpuSeconds() - start;
    return Evaluated(std::move(chunk), std::nullopt);
  }
  const auto waiting = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() && !ready_.front().evaluating; });
  waited_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - waiting).count();
  // The last entry (the empty chunk or the error) stays, so that asking again answers it again.
  if (finished_ && ready_.size() == 1) {
    Result<RegistryChunk> last = ready_.front().chunk;
    lock.unlock();
    return Evaluated(std::move(last), std::nullopt);
  }
  Slot slot = std::move(ready_.front());
  ready_.pop_front();
  lock.unlock();
  changed_.notify_all();
  return Evaluated(std::move(slot.chunk), std::move(slot.outcome));
}

double ReadAhead::read_cpu() const {
  std::lock_guard lock(mutex_);
  return read_cpu_;
}

double ReadAhead::evaluate_cpu() const {
  std::lock_guard lock(mutex_);
  return evaluate_cpu_;
}

double ReadAhead::evaluate_ahead_cpu() const {
  std::lock_guard lock(mutex_);
  return evaluate_ahead_cpu_;
}

std::size_t ReadAhead::evaluated_ahead() const {
  std::lock_guard lock(mutex_);
  return evaluated_ahead_;
}

}  // namespace sanad::cycles
