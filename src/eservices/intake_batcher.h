// Group commit of report intake: reports submitted at the same time share one transaction and so one
// durable commit (one fsync on SQLite) instead of paying one each — the same scheme as the audit log's
// (audit/group_commit.h). One writer thread takes everything queued so far as a batch; reports that
// arrive meanwhile form the next one. A submitter learns that its report is stored only once the
// batch's transaction has committed, and gets the batch's error otherwise: a report is never
// acknowledged before it is durable.
//
// Thread safety: Submit and SubmitAsync may be called from any number of threads.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "eservices/report_store.h"

namespace sanad::eservices {

class IntakeBatcher {
 public:
  // Runs on the writer thread once the batch holding the report has committed (or failed); must not
  // throw.
  using Done = std::function<void(Result<Report>)>;

  explicit IntakeBatcher(ReportStore& store, std::size_t max_batch = 256);
  // Writes what is still queued, then stops the writer thread.
  ~IntakeBatcher();
  IntakeBatcher(const IntakeBatcher&) = delete;
  IntakeBatcher& operator=(const IntakeBatcher&) = delete;

  // Queues the report and returns once it is stored (or its batch failed).
  Result<Report> Submit(NewReport report);
  // Queues the report and returns at once; `done` runs when its batch has committed or failed.
  void SubmitAsync(NewReport report, Done done);

 private:
  struct Waiter {
    NewReport report;
    Done done;
  };
  void Run();

  ReportStore& store_;
  std::size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Waiter> queue_;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace sanad::eservices
