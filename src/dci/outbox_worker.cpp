#include "dci/outbox_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "dci/callback_client.h"

namespace sanad::dci {

OutboxWorker::OutboxWorker(DciStore& store, const Clock& clock, OutboxOptions options, std::string worker_id)
    : store_(store), clock_(clock), options_(std::move(options)), worker_id_(std::move(worker_id)) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::Poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

std::string OutboxWorker::Signed(const std::string& body, TimePoint now) const {
  if (!options_.signing_key) return body;
  auto envelope = nlohmann::json::parse(body, nullptr, false);
  if (!envelope.is_object()) return body;  // Sanad queued it: cannot happen, but never lose the callback
  SignEnvelope(envelope, &*options_.signing_key, UnixSeconds(now));
  return envelope.dump();
}

Result<std::size_t> OutboxWorker::RunOnce() {
  std::size_t delivered = 0;
  while (true) {
    const auto now = clock_.Now();
    auto leased = store_.Lease(worker_id_, FormatTimestamp(now), FormatTimestamp(now + options_.lease), 20);
    if (!leased) return std::unexpected(leased.error());
    if (leased->empty()) return delivered;
    for (const auto& item : *leased) {
      auto sent = PostJson(item.url, Signed(item.body, now), options_.timeout);
      const auto after = clock_.Now();
      if (sent) {
        if (auto st = store_.MarkDelivered(item.id, FormatTimestamp(after)); !st) return std::unexpected(st.error());
        ++delivered;
        continue;
      }
      ++failures_;
      const long long attempt = item.attempts + 1;
      auto wait = options_.first_retry * (1LL << std::min<long long>(attempt - 1, 20));
      wait = std::min<std::chrono::milliseconds>(wait, options_.max_retry);
      const bool give_up = attempt >= options_.max_attempts;
      spdlog::warn("dci: callback {} to {} failed (attempt {}{}): {}", item.action, item.url, attempt,
                   give_up ? ", given up" : "", sent.error().message);
      if (auto st = store_.MarkFailed(item.id, sent.error().message, FormatTimestamp(after + wait), give_up); !st)
        return std::unexpected(st.error());
    }
  }
}

void OutboxWorker::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.poll, [&] { return stop_ || poked_; });
      if (stop_) return;
      poked_ = false;
    }
    if (auto r = RunOnce(); !r) {
      ++failures_;
      spdlog::warn("dci: outbox pass failed: {}", r.error().message);
    }
  }
}

}  // namespace sanad::dci
