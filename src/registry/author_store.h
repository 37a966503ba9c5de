// SQL of what the author of a change request sees of it besides the request itself: the notices of
// decisions (table notifications, migrations/0010) and the withdrawal of a pending request. Write
// methods take the caller's transaction session, so that a notice is committed with the decision it
// reports; read methods borrow their own session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"

namespace sanad::registry {

// A notice for one user: a message catalogue code and its parameters, rendered in the reader's
// language when read.
struct Notification {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string code;
  MessageParams params;
  std::optional<std::int64_t> change_request_id;
  std::string created_at;
  std::optional<std::string> read_at;
};

struct NotificationPage {
  std::vector<Notification> items;  // newest first
  long long total = 0;              // matching the filter
  long long unread = 0;             // all unread notices of the user, whatever the filter
};

class AuthorStore {
 public:
  explicit AuthorStore(db::Database& db) : db_(db) {}

  // ---- inside the caller's transaction ----
  std::int64_t InsertNotification(db::Session& s, const Notification& n);
  // Marks the pending request `id` withdrawn at `now` with the author's optional comment
  // (the caller discards the rows an import request had staged). Returns false when no longer pending.
  bool Withdraw(db::Session& s, std::int64_t id, const std::string& now, const std::string& comment);

  // ---- reads and single writes (own session) ----
  // The user's notices, newest first; only the unread ones when `unread_only`.
  Result<NotificationPage> Notifications(std::int64_t user_id, bool unread_only, int limit, int offset);
  // Marks one of the user's notices read (keeps the first reading time). nullopt when the user has no
  // notice `id`.
  Result<std::optional<Notification>> MarkRead(std::int64_t user_id, std::int64_t id, const std::string& now);
  // Marks every unread notice of the user read; returns how many.
  Result<long long> MarkAllRead(std::int64_t user_id, const std::string& now);

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
