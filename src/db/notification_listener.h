// A dedicated PostgreSQL connection that LISTENs on one channel, so that a process learns within
// milliseconds that another process committed something it caches (NOTIFY is delivered at commit).
// It uses libpq directly: the pooled SOCI sessions are borrowed per unit of work, while a listener
// must keep its connection and wait on its socket.
//
// A notification can be lost (the connection breaks, the server restarts), so callers treat a wake-up
// as a hint and also poll what they follow.
//
// Thread safety: Wait is called by one thread; Interrupt may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/error.h"
#include "db/database_url.h"

namespace sanad::db {

class NotificationListener {
 public:
  // Connects and runs LISTEN `channel` (a plain identifier). Errors: kInvalidArgument for a SQLite URL
  // or a bad channel name, kUnavailable when the server cannot be reached.
  static Result<std::unique_ptr<NotificationListener>> Open(const DatabaseUrl& url, const std::string& channel);
  ~NotificationListener();
  NotificationListener(const NotificationListener&) = delete;
  NotificationListener& operator=(const NotificationListener&) = delete;

  // Waits up to `timeout` for notifications on the channel and consumes all that are pending. Returns
  // true when at least one arrived, false on timeout or Interrupt. Errors: kUnavailable when the
  // connection broke (open a new listener).
  Result<bool> Wait(std::chrono::milliseconds timeout);

  // Makes a current or the next Wait return false at once.
  void Interrupt();

 private:
  struct Impl;
  explicit NotificationListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sanad::db
