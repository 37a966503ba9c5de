#include "registry/change_feed_follower.h"

namespace sanad::registry {

namespace {

constexpr std::size_t kBatch = 500;
constexpr std::chrono::seconds kReconnectDelay{5};

}  // namespace

ChangeFeedFollower::ChangeFeedFollower(ChangeFeedStore& feed, FollowerOptions options, Apply apply, OnError on_error)
    : feed_(feed), options_(options), apply_(std::move(apply)), on_error_(std::move(on_error)) {}

ChangeFeedFollower::~ChangeFeedFollower() { Stop(); }

void ChangeFeedFollower::Start(std::int64_t after_seq) {
  if (thread_.joinable()) return;
  last_seq_ = after_seq;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void ChangeFeedFollower::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (listener_) listener_->Interrupt();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status ChangeFeedFollower::CatchUp() {
  std::lock_guard lock(catch_up_mu_);
  while (true) {
    const std::int64_t last = last_seq_.load();
    auto entries = feed_.After(last, kBatch);
    if (!entries) return std::unexpected(entries.error());
    if (entries->empty()) return Ok();
    if (entries->front().seq != last + 1) {
      // Pruned past what this process saw (it was stopped or cut off for long): rebuild from the rows.
      AppliedChange everything;
      everything.bulk = true;
      if (auto st = apply_(everything); !st) return st;
      last_seq_ = entries->back().seq;
      continue;
    }
    for (const auto& e : *entries) {
      if (auto st = apply_(e.change); !st) return st;
      last_seq_ = e.seq;
    }
    if (entries->size() < kBatch) return Ok();
  }
}

void ChangeFeedFollower::Run() {
  const bool can_listen = options_.listen && feed_.db().dialect() == db::Dialect::kPostgres;
  auto next_connect = std::chrono::steady_clock::now();
  auto report = [this](const Error& e) {
    if (on_error_) on_error_(e);
  };
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    if (auto st = CatchUp(); !st) report(st.error());
    db::NotificationListener* listener = nullptr;
    {
      std::lock_guard lock(mu_);
      listener = listener_.get();
    }
    if (!listener && can_listen && std::chrono::steady_clock::now() >= next_connect) {
      auto opened = db::NotificationListener::Open(feed_.db().url(), ChangeFeedStore::kChannel);
      if (opened) {
        std::lock_guard lock(mu_);
        listener_ = std::move(*opened);
        listening_ = true;
        continue;  // catch up once more: a commit between the last read and LISTEN sent no wake-up to us
      }
      report(opened.error());
      next_connect = std::chrono::steady_clock::now() + kReconnectDelay;
    }
    if (listener) {
      auto woke = listener->Wait(options_.poll_interval);
      if (!woke) {
        report(woke.error());
        std::lock_guard lock(mu_);
        listener_.reset();
        listening_ = false;
        next_connect = std::chrono::steady_clock::now() + kReconnectDelay;
      }
    } else {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
    }
  }
  std::lock_guard lock(mu_);
  listener_.reset();
  listening_ = false;
}

}  // namespace sanad::registry
