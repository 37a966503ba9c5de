#include "dci/dci_store.h"

#include <nlohmann/json.hpp>

#include <variant>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::dci {

namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Partner ReadPartner(const soci::row& r) {
  Partner p;
  p.account = r.get<std::string>(0);
  p.callback_url = r.get<std::string>(1);
  p.public_key = db::RowOptStr(r, 2);
  p.record_types = SplitList(r.get<std::string>(3));
  p.must_sign = db::RowInt(r, 4) != 0;
  return p;
}

constexpr const char* kPartnerColumns =
    "SELECT account, callback_url, public_key, record_types, must_sign FROM dci_partners";

Subscription ReadSubscription(const soci::row& r) {
  Subscription s;
  s.code = r.get<std::string>(0);
  s.partner = r.get<std::string>(1);
  s.reg_event_type = r.get<std::string>(2);
  s.record_type = r.get<std::string>(3);
  s.area_scope = r.get<std::string>(4);
  s.locale = r.get<std::string>(5);
  s.status = r.get<std::string>(6);
  s.from_seq = db::RowInt(r, 7);
  s.created_at = r.get<std::string>(8);
  return s;
}

constexpr const char* kSubscriptionColumns =
    "SELECT code, partner, reg_event_type, record_type, area_scope, locale, status, from_seq, created_at "
    "FROM dci_subscriptions";

}  // namespace

bool Partner::Allows(const std::string& record_type) const {
  for (const auto& t : record_types)
    if (t == record_type) return true;
  return false;
}

Result<std::optional<Partner>> DciStore::GetPartner(const std::string& account) {
  return db::Guard([&]() -> Result<std::optional<Partner>> {
    // Every DCI request reads its partner: a statement of the connection's cache (db/statement_cache.h),
    // not one prepared per request (preparing it was a tenth of a sync search's time, docs/dci.md).
    static const std::string kSql = std::string(kPartnerColumns) + " WHERE account = :a";
    auto s = db_.Acquire();
    std::optional<Partner> out;
    auto q = s.Prepare(kSql);
    q.Bind(account);
    if (q.Execute()) out = ReadPartner(q.Row());
    return out;
  });
}

Result<std::vector<Partner>> DciStore::ListPartners() {
  return db::Guard([&]() -> Result<std::vector<Partner>> {
    auto s = db_.Acquire();
    std::vector<Partner> out;
    db::EachRow(
        s.sql(), std::string(kPartnerColumns) + " ORDER BY account", [](soci::statement&) {},
        [&](const soci::row& r) { out.push_back(ReadPartner(r)); });
    return out;
  });
}

Status DciStore::PutPartner(const Partner& p, const std::string& by, const std::string& now) {
  std::string types;
  for (const auto& t : p.record_types) types += (types.empty() ? "" : ",") + t;
  auto done = db_.InTransaction<std::monostate>([&](db::Session& s) -> Result<std::monostate> {
    long long must = p.must_sign ? 1 : 0;
    soci::indicator key_ind = p.public_key ? soci::i_ok : soci::i_null;
    std::string key = p.public_key.value_or("");
    s.sql() << "INSERT INTO dci_partners (account, callback_url, public_key, record_types, must_sign, "
               "updated_at, updated_by) VALUES (:a, :u, :k, :t, :m, :n, :b) ON CONFLICT (account) DO "
               "UPDATE SET callback_url = excluded.callback_url, public_key = excluded.public_key, "
               "record_types = excluded.record_types, must_sign = excluded.must_sign, "
               "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        soci::use(p.account), soci::use(p.callback_url), soci::use(key, key_ind), soci::use(types), soci::use(must),
        soci::use(now), soci::use(by);
    return std::monostate{};
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Status DciStore::InsertOutboxIn(db::Session& s, const OutboxItem& item, const std::string& now) {
  s.sql() << "INSERT INTO dci_outbox (partner, url, action, body, state, attempts, next_at, created_at) "
             "VALUES (:p, :u, :a, :b, 'pending', 0, :n, :c)",
      soci::use(item.partner), soci::use(item.url), soci::use(item.action), soci::use(item.body), soci::use(now),
      soci::use(now);
  return Ok();
}

Result<std::int64_t> DciStore::Accept(const Transaction& t, const OutboxItem& callback, const std::string& now) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    soci::indicator ind = t.response ? soci::i_ok : soci::i_null;
    std::string response = t.response.value_or("");
    s.sql() << "INSERT INTO dci_transactions (partner, transaction_id, correlation_id, action, reference_ids, "
               "status, response, created_at) VALUES (:p, :t, :c, :a, :r, :s, :resp, :n)",
        soci::use(t.partner), soci::use(t.transaction_id), soci::use(t.correlation_id), soci::use(t.action),
        soci::use(t.reference_ids), soci::use(t.status), soci::use(response, ind), soci::use(now);
    InsertOutboxIn(s, callback, now);
    long long id = 0;
    s.sql() << "SELECT MAX(id) FROM dci_outbox WHERE partner = :p", soci::use(callback.partner), soci::into(id);
    return id;
  });
}

Result<std::optional<Transaction>> DciStore::FindTransaction(const std::string& partner,
                                                             const std::string& attribute_type,
                                                             const std::string& value) {
  return db::Guard([&]() -> Result<std::optional<Transaction>> {
    auto s = db_.Acquire();
    std::string where = " AND transaction_id = :v";
    std::string v = value;
    if (attribute_type == "correlation_id") {
      where = " AND correlation_id = :v";
    } else if (attribute_type == "reference_id_list") {
      // reference_ids is a JSON list of strings: a quoted value inside it.
      where = " AND reference_ids LIKE :v";
      v = "%" + nlohmann::json(value).dump() + "%";
    }
    std::optional<Transaction> out;
    db::EachRow(
        s.sql(),
        "SELECT partner, transaction_id, correlation_id, action, reference_ids, status, response, created_at FROM "
        "dci_transactions WHERE partner = :p" +
            where + " ORDER BY id DESC LIMIT 1",
        [&](soci::statement& st) {
          st.exchange(soci::use(partner));
          st.exchange(soci::use(v));
        },
        [&](const soci::row& r) {
          out = Transaction{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
                            r.get<std::string>(4), r.get<std::string>(5), db::RowOptStr(r, 6),   r.get<std::string>(7)};
        });
    return out;
  });
}

Result<std::vector<OutboxItem>> DciStore::Lease(const std::string& worker, const std::string& now,
                                                const std::string& lease_until, std::size_t limit) {
  return db::Guard([&]() -> Result<std::vector<OutboxItem>> {
    auto s = db_.Acquire();
    std::vector<std::int64_t> due;
    long long lim = static_cast<long long>(limit);
    db::EachRow(
        s.sql(),
        "SELECT id FROM dci_outbox WHERE state = 'pending' AND next_at <= :n AND (lease_until IS NULL OR "
        "lease_until < :n2) ORDER BY id LIMIT :l",
        [&](soci::statement& st) {
          st.exchange(soci::use(now));
          st.exchange(soci::use(now));
          st.exchange(soci::use(lim));
        },
        [&](const soci::row& r) { due.push_back(db::RowInt(r, 0)); });
    std::vector<OutboxItem> out;
    for (auto id : due) {
      long long row_id = id;
      // Compare-and-set: of two servers racing for the row, the second update matches nothing.
      soci::statement st = (s.sql().prepare << "UPDATE dci_outbox SET lease_until = :u, leased_by = :w WHERE id = :i "
                                               "AND state = 'pending' AND (lease_until IS NULL OR lease_until < :n)",
                            soci::use(lease_until), soci::use(worker), soci::use(row_id), soci::use(now));
      st.execute(true);
      if (st.get_affected_rows() != 1) continue;
      db::EachRow(
          s.sql(),
          "SELECT id, partner, url, action, body, attempts, subscription_code, feed_seq FROM dci_outbox WHERE id = :i",
          [&](soci::statement& q) { q.exchange(soci::use(row_id)); },
          [&](const soci::row& r) {
            out.push_back(OutboxItem{db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2),
                                     r.get<std::string>(3), r.get<std::string>(4), db::RowInt(r, 5),
                                     db::RowOptStr(r, 6), db::RowOptInt(r, 7)});
          });
    }
    return out;
  });
}

Status DciStore::MarkDelivered(std::int64_t id, const std::string& now) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long row_id = id;
    s.sql() << "UPDATE dci_outbox SET state = 'delivered', delivered_at = :n, attempts = attempts + 1, "
               "lease_until = NULL WHERE id = :i",
        soci::use(now), soci::use(row_id);
    return Ok();
  });
}

Status DciStore::MarkFailed(std::int64_t id, const std::string& error, const std::string& next_at, bool give_up) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long row_id = id;
    std::string state = give_up ? "failed" : "pending";
    std::string err = error.substr(0, 500);
    s.sql() << "UPDATE dci_outbox SET state = :s, attempts = attempts + 1, next_at = :n, last_error = :e, "
               "lease_until = NULL WHERE id = :i",
        soci::use(state), soci::use(next_at), soci::use(err), soci::use(row_id);
    return Ok();
  });
}

Result<long long> DciStore::CountOutbox(const std::string& state) {
  return db::Guard([&]() -> Result<long long> {
    auto s = db_.Acquire();
    return db::CountRows(s.sql(), "SELECT COUNT(*) FROM dci_outbox WHERE state = :s",
                         [&](soci::statement& st) { st.exchange(soci::use(state)); });
  });
}

Result<std::pair<std::vector<std::int64_t>, long long>> DciStore::SearchPersonIds(const Condition& where,
                                                                                  const registry::Scope& scope,
                                                                                  registry::PersonSort sort,
                                                                                  bool descending, int limit,
                                                                                  int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<std::int64_t>, long long>> {
    auto s = db_.Acquire();
    // The caller's area scope (db/area_scope.h), as every store writes it.
    db::AreaScope within{scope.area, scope.today};
    std::vector<std::string> values;
    values.reserve(64);
    std::string sql = " FROM persons p JOIN households h ON h.id = p.household_id WHERE p.status = 'active'";
    if (within.area) sql += " AND " + db::AreaScopeSql("h.commune_code", "sc");
    sql += " AND " + ConditionSql(where, values);
    const std::string dir = descending ? " DESC" : "";
    std::string order;
    switch (sort) {
      case registry::PersonSort::kNationalId:
        order = "CASE WHEN p.national_id IS NULL THEN 1 ELSE 0 END, p.national_id" + dir + ", ";
        break;
      case registry::PersonSort::kBirthDate:
        order = "CASE WHEN p.birth_date IS NULL THEN 1 ELSE 0 END, p.birth_date" + dir + ", ";
        break;
      case registry::PersonSort::kNameLat:
        order = "p.family_name_lat" + dir + ", p.given_name_lat" + dir + ", ";
        break;
      case registry::PersonSort::kNameAr:
        order = "p.family_name_ar" + dir + ", p.given_name_ar" + dir + ", ";
        break;
      default:
        break;
    }
    order += "p.id" + (sort == registry::PersonSort::kRecordId ? dir : std::string());
    auto bind = [&](soci::statement& st) {
      if (within.area) within.Bind(st);
      for (const auto& v : values) st.exchange(soci::use(v));
    };
    std::vector<std::int64_t> ids;
    long long lim = limit, off = offset;
    db::EachRow(
        s.sql(), "SELECT p.id" + sql + " ORDER BY " + order + " LIMIT :lim OFFSET :off",
        [&](soci::statement& st) {
          bind(st);
          st.exchange(soci::use(lim));
          st.exchange(soci::use(off));
        },
        [&](const soci::row& r) { ids.push_back(db::RowInt(r, 0)); });
    long long total = static_cast<long long>(ids.size());
    if (offset != 0 || total >= limit) total = db::CountRows(s.sql(), "SELECT COUNT(*)" + sql, bind);
    return std::pair{std::move(ids), total};
  });
}

Status DciStore::AddSubscriptionIn(db::Session& s, const Subscription& sub) {
  long long from = sub.from_seq;
  s.sql() << "INSERT INTO dci_subscriptions (code, partner, reg_event_type, record_type, area_scope, locale, "
             "status, from_seq, created_at) VALUES (:c, :p, :e, :r, :a, :l, 'subscribe', :f, :n)",
      soci::use(sub.code), soci::use(sub.partner), soci::use(sub.reg_event_type), soci::use(sub.record_type),
      soci::use(sub.area_scope), soci::use(sub.locale), soci::use(from), soci::use(sub.created_at);
  return Ok();
}

Result<std::vector<Subscription>> DciStore::ActiveSubscriptions() {
  return db::Guard([&]() -> Result<std::vector<Subscription>> {
    auto s = db_.Acquire();
    std::vector<Subscription> out;
    db::EachRow(
        s.sql(), std::string(kSubscriptionColumns) + " WHERE status = 'subscribe' ORDER BY code",
        [](soci::statement&) {}, [&](const soci::row& r) { out.push_back(ReadSubscription(r)); });
    return out;
  });
}

Result<std::optional<Subscription>> DciStore::GetSubscription(const std::string& code) {
  return db::Guard([&]() -> Result<std::optional<Subscription>> {
    auto s = db_.Acquire();
    std::optional<Subscription> out;
    db::EachRow(
        s.sql(), std::string(kSubscriptionColumns) + " WHERE code = :c",
        [&](soci::statement& st) { st.exchange(soci::use(code)); },
        [&](const soci::row& r) { out = ReadSubscription(r); });
    return out;
  });
}

Status DciStore::EndSubscriptionIn(db::Session& s, const std::string& code, const std::string& now) {
  s.sql() << "UPDATE dci_subscriptions SET status = 'unsubscribe', ended_at = :n WHERE code = :c", soci::use(now),
      soci::use(code);
  return Ok();
}

bool DciStore::EnqueueNotificationIn(db::Session& s, const OutboxItem& item, const std::string& now) {
  long long seq = item.feed_seq.value_or(0);
  std::string code = item.subscription_code.value_or("");
  soci::statement st =
      (s.sql().prepare << "INSERT INTO dci_outbox (partner, url, action, body, state, attempts, next_at, "
                          "subscription_code, feed_seq, created_at) VALUES (:p, :u, :a, :b, 'pending', 0, :n, :c, "
                          ":s, :n2) ON CONFLICT (subscription_code, feed_seq) DO NOTHING",
       soci::use(item.partner), soci::use(item.url), soci::use(item.action), soci::use(item.body), soci::use(now),
       soci::use(code), soci::use(seq), soci::use(now));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace sanad::dci
