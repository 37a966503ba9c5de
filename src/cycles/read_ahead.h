// The registry's chunks read ahead of their evaluation, on a second pooled connection in a thread of
// its own: on two cores a cycle then takes the longer of reading and (evaluating + writing) instead of
// their sum. The as-of read needs no transaction of its own — it is defined by the cut-off, and on
// SQLite the generating transaction holds the write lock, so no registry write commits meanwhile.
// When the pool has no free connection (or `threaded` is false) the chunks are read on the caller's
// session when asked, with the same results.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.h"
#include "cycles/household_batch_store.h"
#include "db/database.h"

namespace sanad::cycles {

// The calling thread's CPU time in seconds (CLOCK_THREAD_CPUTIME_ID): what a cycle's phases are measured
// by (CycleTotals), since the read runs on its own thread.
double ThreadCpuSeconds();

class ReadAhead {
 public:
  // `depth`: chunks read and not yet taken (bounded memory: depth + 2 chunks at most: one being read, one
  // being evaluated and written).
  ReadAhead(db::Session& caller, std::string as_of, AsOfFilter filter, std::size_t chunk_size, bool threaded,
            std::size_t depth = 1);
  ~ReadAhead();  // stops the reader and waits for it
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next chunk (empty at the end); after an error, that error again.
  Result<RegistryChunk> Next();
  bool threaded() const { return reader_.joinable(); }
  // CPU seconds the reads took (the reader thread's own clock; the caller's when not threaded). Final
  // once Next() has returned the empty chunk or an error.
  double read_cpu() const;

 private:
  void Read(std::unique_ptr<db::Session> session, std::string as_of, AsOfFilter filter, std::size_t chunk_size);

  std::size_t depth_;
  std::unique_ptr<HouseholdBatchStore> inline_;  // when not threaded
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Result<RegistryChunk>> ready_;
  bool stop_ = false;
  bool finished_ = false;  // the reader has queued its last chunk (empty) or an error
  double read_cpu_ = 0;
  std::thread reader_;
};

}  // namespace sanad::cycles
