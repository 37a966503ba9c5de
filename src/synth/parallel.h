// Internal: runs fn(task) for task in [0, tasks) on `threads` threads (the caller's included).
// Tasks are claimed in increasing order from an atomic counter; fn must only touch task-owned state.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace sanad::synth::internal {

inline int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

template <typename Fn>
void ParallelFor(std::int64_t tasks, int threads, Fn&& fn) {
  std::atomic<std::int64_t> next{0};
  auto work = [&] {
    for (std::int64_t t = next.fetch_add(1); t < tasks; t = next.fetch_add(1)) fn(t);
  };
  const int extra = static_cast<int>(std::min<std::int64_t>(threads, tasks)) - 1;
  std::vector<std::jthread> pool;
  for (int i = 0; i < extra; ++i) pool.emplace_back(work);
  work();
}

}  // namespace sanad::synth::internal
