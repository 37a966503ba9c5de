// Follows the registry change feed from another process's point of view: a background thread hands
// every change committed past a known sequence number to `apply`, in order, whichever app server
// approved it (this one included: `apply` must be idempotent, e.g. re-read the current rows).
//
// On PostgreSQL it LISTENs on ChangeFeedStore::kChannel and wakes at each commit; it also reads the feed
// every `poll_interval`, so a lost notification or a broken listening connection delays a change by at
// most that interval (the connection is reopened). On SQLite (one process) only the polling runs.
//
//   auto from = feed.LastSeq();          // before loading the cache: nothing committed later is missed
//   cache.Load();
//   ChangeFeedFollower follower(feed, {}, apply, log_error);
//   follower.Start(*from);  …  follower.Stop();
//
// A failed `apply` is retried from the same entry at the next wake-up. When the feed was pruned past
// the last entry seen, `apply` receives one AppliedChange with bulk = true (rebuild everything).
//
// Thread safety: Start and Stop from one thread; last_seq from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "db/notification_listener.h"
#include "registry/change_feed_store.h"

namespace sanad::registry {

struct FollowerOptions {
  std::chrono::milliseconds poll_interval{1000};
  bool listen = true;  // PostgreSQL: LISTEN for immediate wake-ups (false: polling only)
};

class ChangeFeedFollower {
 public:
  using Apply = std::function<Status(const AppliedChange&)>;
  using OnError = std::function<void(const Error&)>;

  ChangeFeedFollower(ChangeFeedStore& feed, FollowerOptions options, Apply apply, OnError on_error = {});
  ~ChangeFeedFollower();
  ChangeFeedFollower(const ChangeFeedFollower&) = delete;
  ChangeFeedFollower& operator=(const ChangeFeedFollower&) = delete;

  // Starts the thread, following the entries after `after_seq`.
  void Start(std::int64_t after_seq);
  // Stops and joins the thread (returns within milliseconds).
  void Stop();

  // Applies every entry committed past last_seq() now, on the caller's thread (the thread's own step).
  Status CatchUp();

  std::int64_t last_seq() const { return last_seq_.load(); }
  bool listening() const { return listening_.load(); }

 private:
  void Run();

  ChangeFeedStore& feed_;
  FollowerOptions options_;
  Apply apply_;
  OnError on_error_;
  std::atomic<std::int64_t> last_seq_{0};
  std::atomic<bool> listening_{false};
  std::mutex mu_;  // guards stopping_ and the listener_ pointer (Run alone replaces it)
  std::condition_variable cv_;
  bool stopping_ = false;
  std::unique_ptr<db::NotificationListener> listener_;
  std::mutex catch_up_mu_;  // one CatchUp at a time
  std::thread thread_;
};

}  // namespace sanad::registry
