#include "crvs/crvs_store.h"

#include <soci/soci.h>

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

}  // namespace sanad::crvs
