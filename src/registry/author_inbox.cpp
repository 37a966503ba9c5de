#include "registry/author_inbox.h"

#include <nlohmann/json.hpp>

namespace sanad::registry {

namespace {

Result<std::int64_t> AccountOf(const Actor& who) {
  if (!who.user_id) return Failure(Code::kUnauthenticated, "error.unauthenticated");
  return *who.user_id;
}

}  // namespace

bool IsAuthor(const ChangeRequestRow& cr, const Actor& who) {
  if (cr.author_id && who.user_id) return *cr.author_id == *who.user_id;
  return cr.author_username == who.username;
}

void NotifyAuthorOfDecision(AuthorStore& store, db::Session& s, const ChangeRequestRow& cr, std::string_view status,
                            const Actor& reviewer, const std::string& comment, const std::string& now) {
  if (!cr.author_id) return;
  Notification n;
  n.user_id = *cr.author_id;
  n.code = status == "applied" ? std::string(MsgCode("notification.change_request_applied"))
                               : std::string(MsgCode("notification.change_request_rejected"));
  // "kind" is rendered through kind_name.<kind> in the reader's language; the comment is the
  // reviewer's own words, shown as they wrote them.
  n.params = {{"id", std::to_string(cr.id)}, {"kind", cr.kind}, {"reviewer", reviewer.username}};
  if (!comment.empty()) n.params.emplace_back("comment", comment);
  n.change_request_id = cr.id;
  n.created_at = now;
  store.InsertNotification(s, n);
}

Result<std::pair<std::vector<ChangeRequestRow>, long long>> AuthorInbox::MyRequests(
    const Actor& author, const std::optional<std::string>& status, int limit, int offset) {
  auto account = AccountOf(author);
  if (!account) return std::unexpected(account.error());
  return registry_.requests.ListChangeRequests(status, limit, offset, author.scope, std::nullopt, *account);
}

Result<ChangeRequestRow> AuthorInbox::Withdraw(std::int64_t id, const Actor& author, const std::string& comment) {
  return registry_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    auto cr = registry_.requests.LoadChangeRequest(s, id);  // locked until the commit on PostgreSQL
    if (!cr) return Failure(Code::kNotFound, "change_request.not_found", {{"id", std::to_string(id)}}, "id");
    if (!IsAuthor(*cr, author)) {
      // Another user's request: they learn it exists only when their scope lets them read it anyway.
      auto within = registry_.requests.ChangeRequestWithin(s, *cr, author.scope);
      if (!within) return std::unexpected(within.error());
      if (!*within) return Failure(Code::kNotFound, "change_request.not_found", {{"id", std::to_string(id)}}, "id");
      return Failure(Code::kPermissionDenied, "change_request.not_author", {{"id", std::to_string(id)}}, "id");
    }
    const std::string now = FormatTimestamp(clock_.Now());
    if (cr->status != "pending" || !store_.Withdraw(s, id, now, comment)) {
      return Failure(Code::kFailedPrecondition, "change_request.not_pending",
                     {{"id", std::to_string(id)}, {"status", cr->status}}, "id");
    }
    registry_.staging.DiscardStaged(s, id);  // a withdrawn import's rows go, as a rejected one's do
    audit::AuditEntry e;
    e.user_id = author.user_id;
    e.username = author.username;
    e.action = "withdraw";
    e.record_type = "change_request";
    e.record_id = std::to_string(id);
    e.ip = author.ip;
    e.request_id = author.request_id;
    e.details = nlohmann::json{{"kind", cr->kind}}.dump();
    if (auto appended = audit_.AppendIn(s, std::move(e)); !appended) return std::unexpected(appended.error());
    return *registry_.requests.LoadChangeRequest(s, id);
  });
}

Result<NotificationPage> AuthorInbox::Notifications(const Actor& who, bool unread_only, int limit, int offset) {
  auto account = AccountOf(who);
  if (!account) return std::unexpected(account.error());
  return store_.Notifications(*account, unread_only, limit, offset);
}

Result<Notification> AuthorInbox::MarkRead(const Actor& who, std::int64_t id) {
  auto account = AccountOf(who);
  if (!account) return std::unexpected(account.error());
  auto n = store_.MarkRead(*account, id, FormatTimestamp(clock_.Now()));
  if (!n) return std::unexpected(n.error());
  if (!*n) return Failure(Code::kNotFound, "notification.not_found", {{"id", std::to_string(id)}}, "id");
  return **n;
}

Result<long long> AuthorInbox::MarkAllRead(const Actor& who) {
  auto account = AccountOf(who);
  if (!account) return std::unexpected(account.error());
  return store_.MarkAllRead(*account, FormatTimestamp(clock_.Now()));
}

}  // namespace sanad::registry
