#include "counselling/notification_delivery.h"

#include <spdlog/spdlog.h>

#include "i18n/catalogue.h"
#include "i18n/language.h"

namespace sanad::counselling {

Result<PassCounts> NotificationDelivery::Pass(const std::function<Status(db::Session&)>& fence) {
  PassCounts counts;
  const TimePoint now = clock().Now();
  const std::string now_text = FormatTimestamp(now);
  auto due_reminders = outbox_.NeedingReminder(now);
  if (!due_reminders) return std::unexpected(due_reminders.error());
  std::vector<OutboxMessage> reminders;
  for (const auto& [booking, name] : *due_reminders) {
    for (auto& m : BookingMessages("reminder", booking, name)) reminders.push_back(std::move(m));
  }
  if (!reminders.empty()) {
    auto queued = outbox_.QueueReminders(reminders, now_text, fence);
    if (!queued) return std::unexpected(queued.error());
    counts.reminders = *queued;
  }
  auto due = outbox_.Due(now_text, 500);
  if (!due) return std::unexpected(due.error());
  for (const auto& m : *due) {
    const i18n::Lang lang = i18n::ParseLang(m.language).value_or(i18n::Lang::kAr);
    auto text = i18n::Render(lang, m.message_code, m.params);
    Status sent = Ok();
    if (text) {
      sent = sender_.Send(OutgoingText{m.channel, m.recipient, m.language, *text});
    } else {
      sent = Fail(Code::kInternal, "no catalogue text for " + m.message_code);
    }
    Status marked;
    if (sent) {
      marked = outbox_.MarkSent(m.id, now_text, fence);
      ++counts.sent;
    } else {
      const int attempts = m.attempts + 1;
      const bool give_up = attempts >= retry_.max_attempts;
      const std::string next = FormatTimestamp(now + RetryDelay(retry_, attempts));
      // The gateway's own words stay in the operator's log and the outbox row, never with a client.
      spdlog::warn("counselling message {} ({} to {}): attempt {} failed: {}", m.id, m.channel, m.recipient, attempts,
                   sent.error().message);
      marked = outbox_.MarkFailure(m.id, attempts, give_up, next, sent.error().message, fence);
      ++(give_up ? counts.failed : counts.retried);
    }
    if (!marked) return std::unexpected(marked.error());
  }
  return counts;
}

Result<jobs::Json> NotificationDelivery::Run(jobs::JobContext& ctx) {
  ctx.SetStage("counselling.delivery_running");
  auto done = Pass([&ctx](db::Session& s) { return ctx.Fence(s); });
  if (!done) return std::unexpected(done.error());
  ctx.SetProgress(done->sent, done->sent + done->retried + done->failed);
  return jobs::Json{
      {"reminders", done->reminders}, {"sent", done->sent}, {"retried", done->retried}, {"failed", done->failed}};
}

}  // namespace sanad::counselling
