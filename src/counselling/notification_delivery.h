// Delivery of the counselling outbox as a job (kind `counselling_notifications`) on the job runner
// (src/jobs): one pass queues the reminders now due (24 h before a session) and sends every pending
// message whose time has come through the Sender, rendered from the i18n catalogue in the client's
// language; a failure is retried later with exponential backoff (RetryPolicy), then marked failed.
// At most one pass is queued or running across app servers (exclusive key) and its writes are fenced
// by the job's lease. The clock is the application's: tests move it by hand.
//
// Thread safety: Start/Get may be called concurrently; Pass runs on one thread at a time (the job).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/time.h"
#include "counselling/outbox.h"
#include "jobs/exclusive_pass.h"

namespace sanad::counselling {

struct PassCounts {
  long long reminders = 0, sent = 0, retried = 0, failed = 0;
};

class NotificationDelivery final : public jobs::ExclusivePass {
 public:
  static constexpr const char* kJobKind = "counselling_notifications";

  NotificationDelivery(OutboxStore& outbox, Sender& sender, jobs::JobStore& jobs, const Clock& clock,
                       RetryPolicy retry = {})
      : ExclusivePass(jobs, clock, kJobKind, "counselling.delivery_busy"),
        outbox_(outbox),
        sender_(sender),
        retry_(retry) {}

  // One pass at the clock's now; `fence` guards each write (the job's lease; none in unit tests).
  Result<PassCounts> Pass(const std::function<Status(db::Session&)>& fence = {});

  // jobs::JobHandler: {"reminders", "sent", "retried", "failed"}.
  Result<jobs::Json> Run(jobs::JobContext& ctx) override;

 private:
  OutboxStore& outbox_;
  Sender& sender_;
  RetryPolicy retry_;
};

}  // namespace sanad::counselling
