#include "registry/author_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "db/row.h"
#include "registry/registry_sql.h"

namespace sanad::registry {

namespace {

using sql::ParamsFrom;
using sql::ParamsJson;

constexpr const char* kColumns = "id, user_id, code, params, change_request_id, created_at, read_at";

Notification ReadNotification(const soci::row& r) {
  Notification n;
  n.id = db::RowInt(r, 0);
  n.user_id = db::RowInt(r, 1);
  n.code = r.get<std::string>(2);
  n.params = ParamsFrom(r.get<std::string>(3));
  n.change_request_id = db::RowOptInt(r, 4);
  n.created_at = r.get<std::string>(5);
  n.read_at = db::RowOptStr(r, 6);
  return n;
}

}  // namespace

std::int64_t AuthorStore::InsertNotification(db::Session& s, const Notification& n) {
  long long id = 0, user = n.user_id;
  std::optional<long long> cr = n.change_request_id;
  const std::string params = ParamsJson(n.params);
  s.sql() << "INSERT INTO notifications (user_id, code, params, change_request_id, created_at) "
             "VALUES (:u, :c, :p, :r, :t) RETURNING id",
      soci::use(user), soci::use(n.code), soci::use(params), soci::use(cr), soci::use(n.created_at), soci::into(id);
  return id;
}

bool AuthorStore::Withdraw(db::Session& s, std::int64_t id, const std::string& now, const std::string& comment) {
  long long cid = id;
  std::optional<std::string> note;
  if (!comment.empty()) note = comment;
  soci::statement st = (s.sql().prepare << "UPDATE change_requests SET status = 'withdrawn', reviewed_at = :n, "
                                           "review_comment = :c WHERE id = :id AND status = 'pending'",
                        soci::use(now), soci::use(note), soci::use(cid));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

Result<NotificationPage> AuthorStore::Notifications(std::int64_t user_id, bool unread_only, int limit, int offset) {
  return db::Guard([&]() -> Result<NotificationPage> {
    auto s = db_.Acquire();
    long long user = user_id;
    NotificationPage page;
    s.sql() << "SELECT COUNT(*) FROM notifications WHERE user_id = :u AND read_at IS NULL", soci::use(user),
        soci::into(page.unread);
    if (unread_only) {
      page.total = page.unread;
    } else {
      s.sql() << "SELECT COUNT(*) FROM notifications WHERE user_id = :u", soci::use(user), soci::into(page.total);
    }
    // limit and offset are integers checked by the caller, inlined like the other list queries.
    soci::rowset<soci::row> rs =
        (s.sql().prepare << fmt::format("SELECT {} FROM notifications WHERE user_id = :u{} ORDER BY id DESC "
                                        "LIMIT {} OFFSET {}",
                                        kColumns, unread_only ? " AND read_at IS NULL" : "", limit, offset),
         soci::use(user));
    for (const auto& r : rs) page.items.push_back(ReadNotification(r));
    return page;
  });
}

Result<std::optional<Notification>> AuthorStore::MarkRead(std::int64_t user_id, std::int64_t id,
                                                          const std::string& now) {
  return db::Guard([&]() -> Result<std::optional<Notification>> {
    auto s = db_.Acquire();
    long long user = user_id, nid = id;
    s.sql() << "UPDATE notifications SET read_at = :n WHERE id = :id AND user_id = :u AND read_at IS NULL",
        soci::use(now), soci::use(nid), soci::use(user);
    soci::rowset<soci::row> rs =
        (s.sql().prepare << fmt::format("SELECT {} FROM notifications WHERE id = :id AND user_id = :u", kColumns),
         soci::use(nid), soci::use(user));
    for (const auto& r : rs) return std::optional<Notification>(ReadNotification(r));
    return std::optional<Notification>();
  });
}

Result<long long> AuthorStore::MarkAllRead(std::int64_t user_id, const std::string& now) {
  return db::Guard([&]() -> Result<long long> {
    auto s = db_.Acquire();
    long long user = user_id;
    soci::statement st =
        (s.sql().prepare << "UPDATE notifications SET read_at = :n WHERE user_id = :u AND read_at IS NULL",
         soci::use(now), soci::use(user));
    st.execute(true);
    return static_cast<long long>(st.get_affected_rows());
  });
}

}  // namespace sanad::registry
