// What the author of change requests sees of them: their own requests in every status, the
// withdrawal of one still pending, and the notices written when a reviewer decides one (approved and
// applied, or rejected with the reviewer's comment). The notice is written by ChangeService in the
// transaction of the decision (NotifyAuthorOfDecision), so a decision never commits without it.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "core/time.h"
#include "registry/author_store.h"
#include "registry/change_service.h"
#include "registry/registry_store.h"

namespace sanad::registry {

// Whether `who` filed `cr` (same account id when both are known, else the same username).
bool IsAuthor(const ChangeRequestRow& cr, const Actor& who);

// Writes the notice of a decision (`status` "applied" or "rejected") for the author of `cr`, inside
// the decision's transaction `s`. Requests without an author account (command-line imports) get none.
void NotifyAuthorOfDecision(AuthorStore& store, db::Session& s, const ChangeRequestRow& cr, std::string_view status,
                            const Actor& reviewer, const std::string& comment, const std::string& now);

class AuthorInbox {
 public:
  AuthorInbox(RegistryStore& registry, audit::AuditLog& audit, const Clock& clock)
      : registry_(registry), audit_(audit), clock_(clock) {}

  // The requests `author` filed, newest first, optionally of one status, within the author's scope.
  // Errors: kUnauthenticated (no account).
  Result<std::pair<std::vector<ChangeRequestRow>, long long>> MyRequests(const Actor& author,
                                                                         const std::optional<std::string>& status,
                                                                         int limit, int offset);

  // Withdraws a pending request of `author` (status "withdrawn"), audited as "withdraw".
  // Errors: kNotFound (absent, or another user's request outside the caller's scope),
  // kPermissionDenied (another user's request, reason "change_request.not_author"),
  // kFailedPrecondition (no longer pending, reason "change_request.not_pending").
  Result<ChangeRequestRow> Withdraw(std::int64_t id, const Actor& author, const std::string& comment);

  // The caller's notices, newest first, with the count of unread ones. Errors: kUnauthenticated.
  Result<NotificationPage> Notifications(const Actor& who, bool unread_only, int limit, int offset);
  // Marks one of the caller's notices read. Errors: kNotFound (none of the caller's), kUnauthenticated.
  Result<Notification> MarkRead(const Actor& who, std::int64_t id);
  // Marks all the caller's notices read; returns how many were unread.
  Result<long long> MarkAllRead(const Actor& who);

 private:
  RegistryStore& registry_;
  AuthorStore store_{registry_.db()};
  audit::AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace sanad::registry
