#include "audit/checkpointer.h"

#include <fmt/format.h>

#include "audit/verify_report.h"

namespace sanad::audit {

Checkpointer::Checkpointer(AuditLog& log, CheckpointWriter& writer, const Clock& clock, std::chrono::seconds interval,
                           ErrorSink on_error)
    : log_(log), writer_(writer), clock_(clock), interval_(interval), on_error_(std::move(on_error)) {}

Checkpointer::~Checkpointer() {
  if (thread_.joinable()) (void)Stop();
}

void Checkpointer::Start() {
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

Status Checkpointer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  auto c = CheckpointNow();
  if (!c) return std::unexpected(c.error());
  return Ok();
}

void Checkpointer::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (cv_.wait_for(lock, interval_, [this] { return stop_; })) break;
    lock.unlock();
    if (auto c = CheckpointNow(); !c && on_error_) on_error_(c.error().message);
    lock.lock();
  }
}

Result<std::optional<Checkpoint>> Checkpointer::CheckpointNow() {
  std::lock_guard guard(checkpoint_mu_);
  ChainHead from;
  if (auto last = writer_.Last()) from = ChainHead{last->id, last->hash};
  ChainHead head;
  auto report = log_.CheckExtends(from, head);
  if (!report) return std::unexpected(report.error());
  if (report->first_broken_id) {
    return Fail(Code::kFailedPrecondition,
                fmt::format("audit chain no longer extends checkpoint {} (broken at entry {}: {}); nothing signed",
                            from.id, *report->first_broken_id, VerifyReasonText(*report, i18n::Lang::kEn)));
  }
  if (head.id == from.id) return std::optional<Checkpoint>();
  auto c = writer_.Append(head.id, head.hash, FormatTimestamp(clock_.Now()));
  if (!c) return std::unexpected(c.error());
  return std::optional<Checkpoint>(std::move(*c));
}

}  // namespace sanad::audit
