#include "crvs/crvs_store.h"

#include <soci/soci.h>

#include <algorithm>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::crvs {
namespace {

constexpr const char* kSourceColumns =
    "id, code, name, base_url, auto_approve_exact, created_at, created_by, public_key, must_sign";

Source ReadSource(const soci::row& r) {
  return Source{db::RowInt(r, 0),      r.get<std::string>(1), r.get<std::string>(2),
                db::RowOptStr(r, 3),   db::RowInt(r, 4) != 0, r.get<std::string>(5),
                r.get<std::string>(6), db::RowOptStr(r, 7),   db::RowInt(r, 8) != 0};
}

std::optional<Source> OneSource(db::Session& s, const std::string& where,
                                const std::function<void(soci::statement&)>& bind) {
  std::optional<Source> out;
  db::EachRow(s.sql(), std::string("SELECT ") + kSourceColumns + " FROM crvs_sources WHERE " + where, bind,
              [&](const soci::row& r) { out = ReadSource(r); });
  return out;
}

}  // namespace

Result<Source> CrvsStore::AddSource(const Source& src, const std::string& token_hash) {
  return db::Guard([&]() -> Result<Source> {
    auto s = db_.Acquire();
    const long long auto_approve = src.auto_approve_exact ? 1 : 0, must_sign = src.must_sign ? 1 : 0;
    s.sql() << "INSERT INTO crvs_sources (code, name, base_url, token_hash, auto_approve_exact, created_at, "
               "created_by, public_key, must_sign) VALUES (:c, :n, :u, :t, :a, :at, :by, :pk, :ms)",
        soci::use(src.code), soci::use(src.name), soci::use(src.base_url), soci::use(token_hash),
        soci::use(auto_approve), soci::use(src.created_at), soci::use(src.created_by), soci::use(src.public_key),
        soci::use(must_sign);
    auto made = OneSource(s, "code = :c", [&](soci::statement& st) { st.exchange(soci::use(src.code)); });
    if (!made) return Failure(Code::kInternal, "crvs source not read back");
    return *made;
  });
}

Result<std::vector<Source>> CrvsStore::Sources() {
  return db::Guard([&]() -> Result<std::vector<Source>> {
    auto s = db_.Acquire();
    std::vector<Source> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kSourceColumns + " FROM crvs_sources ORDER BY code", [](soci::statement&) {},
        [&](const soci::row& r) { out.push_back(ReadSource(r)); });
    return out;
  });
}

Result<std::optional<Source>> CrvsStore::Authenticate(const std::string& code, const std::string& token_hash) {
  return db::Guard([&]() -> Result<std::optional<Source>> {
    auto s = db_.Acquire();
    return OneSource(s, "code = :c AND token_hash = :t", [&](soci::statement& st) {
      st.exchange(soci::use(code));
      st.exchange(soci::use(token_hash));
    });
  });
}

Result<Source> CrvsStore::SetAutoApprove(const std::string& code, bool enabled) {
  return db::Guard([&]() -> Result<Source> {
    auto s = db_.Acquire();
    const long long v = enabled ? 1 : 0;
    s.sql() << "UPDATE crvs_sources SET auto_approve_exact = :v WHERE code = :c", soci::use(v), soci::use(code);
    auto src = OneSource(s, "code = :c", [&](soci::statement& st) { st.exchange(soci::use(code)); });
    if (!src) return Failure(Code::kNotFound, "crvs.no_such_source", {{"code", code}}, "code");
    return *src;
  });
}

Result<std::optional<std::int64_t>> CrvsStore::Record(std::int64_t source_id, const std::string& reference_id,
                                                      const std::string& event_type, const std::string& kind,
                                                      const std::string& record, const std::string& at) {
  auto done = db::Guard([&]() -> Result<std::optional<std::int64_t>> {
    auto s = db_.Acquire();
    long long sid = source_id, id = 0;
    s.sql() << "INSERT INTO crvs_events (source_id, reference_id, event_type, kind, record, received_at, outcome) "
               "VALUES (:s, :r, :t, :k, :rec, :at, 'received') RETURNING id",
        soci::use(sid), soci::use(reference_id), soci::use(event_type), soci::use(kind), soci::use(record),
        soci::use(at), soci::into(id);
    return std::optional<std::int64_t>(id);
  });
  // UNIQUE (source_id, reference_id): the registry sent this event before.
  if (!done && done.error().code == Code::kAlreadyExists) return std::optional<std::int64_t>();
  return done;
}

Status CrvsStore::SetOutcome(std::int64_t event_id, const EventOutcome& o) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long id = event_id;
    std::optional<long long> p = o.person_id, h = o.household_id, cr = o.change_request_id;
    s.sql() << "UPDATE crvs_events SET outcome = :o, reason = :r, person_id = :p, household_id = :h, "
               "change_request_id = :cr, match_probability = :mp, match_candidates = :mc WHERE id = :id",
        soci::use(o.outcome), soci::use(o.reason), soci::use(p), soci::use(h), soci::use(cr),
        soci::use(o.match_probability), soci::use(o.candidates), soci::use(id);
    return Ok();
  });
}

Result<std::vector<StoredEvent>> CrvsStore::Events(const std::optional<std::string>& outcome,
                                                   const std::optional<std::string>& area, const std::string& day,
                                                   int limit, int offset) {
  return db::Guard([&]() -> Result<std::vector<StoredEvent>> {
    auto s = db_.Acquire();
    std::vector<StoredEvent> out;
    long long lim = limit, off = offset;
    db::AreaScope in_area{area, day};
    db::EachRow(
        s.sql(),
        "SELECT e.id, c.code, e.reference_id, e.event_type, e.kind, e.record, e.received_at, e.outcome, e.reason, "
        "e.person_id, e.household_id, e.change_request_id, e.match_probability, e.match_candidates FROM crvs_events e "
        "JOIN crvs_sources c ON c.id = "
        "e.source_id LEFT JOIN households h ON h.id = e.household_id WHERE (CAST(:o1 AS TEXT) IS NULL OR e.outcome = "
        ":o2) AND " +
            db::AreaScopeSql("h.commune_code", "sc") + " ORDER BY e.id DESC LIMIT :l OFFSET :f",
        [&](soci::statement& st) {
          st.exchange(soci::use(outcome));
          st.exchange(soci::use(outcome));
          in_area.Bind(st);
          st.exchange(soci::use(lim));
          st.exchange(soci::use(off));
        },
        [&](const soci::row& r) {
          out.push_back(StoredEvent{
              db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
              r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6), r.get<std::string>(7),
              db::RowOptStr(r, 8), db::RowOptInt(r, 9), db::RowOptInt(r, 10), db::RowOptInt(r, 11),
              r.get_indicator(12) == soci::i_null ? std::nullopt : std::optional<double>(db::RowDouble(r, 12)),
              db::RowOptStr(r, 13)});
        });
    return out;
  });
}

Status CrvsStore::AddSubscriptions(std::int64_t source_id, const std::string& txn,
                                   const std::vector<std::string>& event_types, const std::string& now) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    long long sid = source_id;
    for (const auto& type : event_types) {
      s.sql() << "INSERT INTO crvs_subscriptions (source_id, event_type, transaction_id, status, requested_at, "
                 "updated_at) VALUES (:s, :e, :t, 'requested', :a, :u)",
          soci::use(sid), soci::use(type), soci::use(txn), soci::use(now), soci::use(now);
    }
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

namespace {

std::vector<Subscription> ReadSubscriptions(db::Session& s, const std::string& where,
                                            const std::function<void(soci::statement&)>& bind) {
  std::vector<Subscription> out;
  db::EachRow(
      s.sql(),
      "SELECT id, event_type, transaction_id, code, status, requested_at, updated_at FROM crvs_subscriptions "
      "WHERE " +
          where + " ORDER BY id",
      bind, [&](const soci::row& r) {
        out.push_back(Subscription{db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2), db::RowOptStr(r, 3),
                                   r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6)});
      });
  return out;
}

}  // namespace

Result<std::vector<Subscription>> CrvsStore::Subscriptions(std::int64_t source_id) {
  return db::Guard([&]() -> Result<std::vector<Subscription>> {
    auto s = db_.Acquire();
    long long sid = source_id;
    return ReadSubscriptions(s, "source_id = :s", [&](soci::statement& st) { st.exchange(soci::use(sid)); });
  });
}

Result<int> CrvsStore::Grant(std::int64_t source_id, const std::string& txn, const std::vector<Granted>& granted,
                             const std::string& now) {
  return db_.InTransaction<int>([&](db::Session& s) -> Result<int> {
    long long sid = source_id;
    auto rows = ReadSubscriptions(s, "source_id = :s AND transaction_id = :t", [&](soci::statement& st) {
      st.exchange(soci::use(sid));
      st.exchange(soci::use(txn));
    });
    // Which requested row (event type) each granted code covers, most specific first (docs/crvs.md):
    // the event type the subscription names; else the request item its response item's reference_id
    // names (rows are in request order); else the unnamed codes go to the rows left in order, and the last
    // of them covers every row still left — a registry answering a whole request with one code (the
    // compliance suite's mock) has subscribed Sanad to every event type it asked for.
    std::vector<std::optional<std::size_t>> code_of_row(rows.size());
    auto free_row = [&](std::size_t i) { return !code_of_row[i] && rows[i].status == "requested"; };
    std::vector<bool> placed(granted.size(), false);
    for (std::size_t g = 0; g < granted.size(); ++g) {
      for (std::size_t i = 0; i < rows.size() && !placed[g]; ++i) {
        const bool named = granted[g].reg_event_type && *granted[g].reg_event_type == rows[i].event_type;
        const bool referenced = !granted[g].reg_event_type && granted[g].reference_id == SubscribeReferenceId(txn, i);
        if (free_row(i) && (named || referenced)) {
          code_of_row[i] = g;
          placed[g] = true;
        }
      }
    }
    std::optional<std::size_t> last_unnamed;
    for (std::size_t g = 0; g < granted.size(); ++g) {
      if (placed[g] || granted[g].reg_event_type) continue;
      last_unnamed = g;
      for (std::size_t i = 0; i < rows.size() && !placed[g]; ++i) {
        if (free_row(i)) {
          code_of_row[i] = g;
          placed[g] = true;
        }
      }
    }
    for (std::size_t i = 0; i < rows.size() && last_unnamed; ++i) {
      if (free_row(i)) code_of_row[i] = last_unnamed;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!code_of_row[i]) continue;
      const Granted& g = granted[*code_of_row[i]];
      long long id = rows[i].id;
      const std::string status = g.status == "subscribe" || g.status == "subscribed" ? "subscribed" : "refused";
      s.sql() << "UPDATE crvs_subscriptions SET code = :c, status = :st, updated_at = :u WHERE id = :id",
          soci::use(g.code), soci::use(status), soci::use(now), soci::use(id);
    }
    return static_cast<int>(rows.size());
  });
}

Status CrvsStore::SetRequested(std::int64_t source_id, const std::string& txn, const std::string& status,
                               const std::string& now) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long sid = source_id;
    s.sql() << "UPDATE crvs_subscriptions SET status = :st, updated_at = :u WHERE source_id = :s AND "
               "transaction_id = :t AND status = 'requested'",
        soci::use(status), soci::use(now), soci::use(sid), soci::use(txn);
    return Ok();
  });
}

Result<std::vector<std::string>> CrvsStore::Unsubscribing(std::int64_t source_id, const std::string& txn,
                                                          const std::string& now) {
  return db_.InTransaction<std::vector<std::string>>([&](db::Session& s) -> Result<std::vector<std::string>> {
    long long sid = source_id;
    std::vector<std::string> codes;
    for (const auto& r : ReadSubscriptions(s, "source_id = :s AND status = 'subscribed'",
                                           [&](soci::statement& st) { st.exchange(soci::use(sid)); })) {
      // One code may cover several event types (Grant): it is unsubscribed once.
      if (r.code && std::find(codes.begin(), codes.end(), *r.code) == codes.end()) codes.push_back(*r.code);
    }
    s.sql() << "UPDATE crvs_subscriptions SET status = 'unsubscribing', unsubscribe_txn = :t, updated_at = :u "
               "WHERE source_id = :s AND status = 'subscribed'",
        soci::use(txn), soci::use(now), soci::use(sid);
    return codes;
  });
}

Result<int> CrvsStore::Unsubscribed(std::int64_t source_id, const std::string& txn,
                                    const std::vector<std::string>& codes, const std::string& now) {
  return db_.InTransaction<int>([&](db::Session& s) -> Result<int> {
    long long sid = source_id;
    const long long n =
        db::CountRows(s.sql(), "SELECT COUNT(*) FROM crvs_subscriptions WHERE source_id = :s AND unsubscribe_txn = :t",
                      [&](soci::statement& st) {
                        st.exchange(soci::use(sid));
                        st.exchange(soci::use(txn));
                      });
    for (const auto& code : codes) {
      s.sql() << "UPDATE crvs_subscriptions SET status = 'unsubscribed', updated_at = :u WHERE source_id = :s AND "
                 "unsubscribe_txn = :t AND code = :c",
          soci::use(now), soci::use(sid), soci::use(txn), soci::use(code);
    }
    return static_cast<int>(n);
  });
}

}  // namespace sanad::crvs
