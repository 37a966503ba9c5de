#include "cycles/read_ahead.h"

#include <time.h>

#include <algorithm>
#include <utility>

namespace sanad::cycles {

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

ReadAhead::ReadAhead(db::Session& caller, std::string as_of, AsOfFilter filter, std::size_t chunk_size, bool threaded,
                     std::size_t depth)
    : depth_(std::max<std::size_t>(depth, 1)) {
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

void ReadAhead::Read(std::unique_ptr<db::Session> session, std::string as_of, AsOfFilter filter,
                     std::size_t chunk_size) {
  const double start = ThreadCpuSeconds();
  // Next() catches the database's exceptions (db::Guard); nothing else here throws but allocation.
  HouseholdBatchStore store(*session, std::move(as_of), std::move(filter), chunk_size);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || ready_.size() < depth_; });
      if (stop_) break;
    }
    auto chunk = store.Next();
    const bool last = !chunk || chunk->size() == 0;
    {
      std::lock_guard lock(mutex_);
      ready_.push_back(std::move(chunk));
      if (last) {
        finished_ = true;
        read_cpu_ = ThreadCpuSeconds() - start;
      }
    }
    changed_.notify_all();
    if (last) break;
  }
  session.reset();  // the connection goes back to the pool from the thread that used it
}

Result<RegistryChunk> ReadAhead::Next() {
  if (inline_) {
    const double start = ThreadCpuSeconds();
    auto chunk = inline_->Next();
    read_cpu_ += ThreadCpuSeconds() - start;
    return chunk;
  }
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty(); });
  // The last entry (the empty chunk or the error) stays, so that asking again answers it again.
  if (finished_ && ready_.size() == 1) return ready_.front();
  Result<RegistryChunk> chunk = std::move(ready_.front());
  ready_.pop_front();
  lock.unlock();
  changed_.notify_all();
  return chunk;
}

double ReadAhead::read_cpu() const {
  std::lock_guard lock(mutex_);
  return read_cpu_;
}

}  // namespace sanad::cycles
