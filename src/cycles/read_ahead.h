// The registry's chunks read ahead of their writing, on a second pooled connection in a thread of its
// own, and each chunk evaluated by whichever of the two threads is free first: on two cores a cycle then
// takes about half the sum of reading, evaluating and writing instead of the longer of reading and
// (evaluating + writing). The reader, once its bounded queue is full, evaluates the newest chunk not yet
// evaluated instead of waiting; the caller evaluates a chunk it takes that the reader has not. The as-of
// read needs no transaction of its own — it is defined by the cut-off, and on SQLite the generating
// transaction holds the write lock, so no registry write commits meanwhile. When the pool has no free
// connection (or `threaded` is false) the chunks are read and evaluated on the caller's session when
// asked, with the same results.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/error.h"
#include "cycles/household_batch_store.h"
#include "db/database.h"
#include "programs/evaluate_batch.h"

namespace sanad::cycles {

// The calling thread's CPU time in seconds (CLOCK_THREAD_CPUTIME_ID): what a cycle's phases are measured
// by (CycleTotals), since the read runs on its own thread.
double ThreadCpuSeconds();

// A chunk's evaluation. Called from either thread, one chunk at a time on each: it may only read what
// they share (a compiled programme is read only).
using EvaluateChunk = std::function<Result<programs::BatchOutcome>(const RegistryChunk&)>;

struct EvaluatedChunk {
  RegistryChunk chunk;
  programs::BatchOutcome outcome;  // empty for the empty chunk that ends the read
};

class ReadAhead {
 public:
  // `depth`: chunks read and not yet taken (bounded memory: depth + 2 chunks at most: one being read, one
  // being written). Two, so that the reader evaluates the newer while the caller takes the older.
  ReadAhead(db::Session& caller, std::string as_of, AsOfFilter filter, std::size_t chunk_size, EvaluateChunk evaluate,
            bool threaded, std::size_t depth = 2);
  ~ReadAhead();  // stops the reader and waits for it
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next chunk with its evaluation (an empty chunk at the end); after an error, that error again.
  Result<EvaluatedChunk> Next();
  bool threaded() const { return reader_.joinable(); }
  // CPU seconds the reads took (the reader thread's own clock, less its evaluations; the caller's when not
  // threaded), the evaluations took on both threads, and those of them on the reader's thread. Final once
  // Next() has returned the empty chunk or an error.
  double read_cpu() const;
  double evaluate_cpu() const;
  double evaluate_ahead_cpu() const;
  // How many chunks the reader's thread evaluated.
  std::size_t evaluated_ahead() const;
  // Wall seconds Next() waited for the reader (a chunk not read yet, or being evaluated on its thread).
  double waited() const { return waited_; }

 private:
  struct Slot {
    Result<RegistryChunk> chunk;
    std::optional<Result<programs::BatchOutcome>> outcome;  // set once evaluated
    bool evaluating = false;                                // by the reader, now
  };
  void Read(std::unique_ptr<db::Session> session, std::string as_of, AsOfFilter filter, std::size_t chunk_size);
  // With the lock held: the newest slot worth evaluating ahead (a chunk, not evaluated nor being), or null.
  Slot* ToEvaluate();
  Result<EvaluatedChunk> Evaluated(Result<RegistryChunk> chunk, std::optional<Result<programs::BatchOutcome>> outcome);

  EvaluateChunk evaluate_;
  std::size_t depth_;
  std::unique_ptr<HouseholdBatchStore> inline_;  // when not threaded
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Slot> ready_;  // references stay valid: only the front is popped, and never while evaluated
  bool stop_ = false;
  bool finished_ = false;  // the reader has queued its last chunk (empty) or an error
  double read_cpu_ = 0, evaluate_cpu_ = 0, evaluate_ahead_cpu_ = 0;
  std::size_t evaluated_ahead_ = 0;
  double waited_ = 0;  // the caller's alone
  std::thread reader_;
};

}  // namespace sanad::cycles
