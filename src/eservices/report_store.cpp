#include "eservices/report_store.h"

#include <fmt/format.h>

#include <unordered_map>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::eservices {
namespace {

constexpr const char* kColumns =
    "r.id, r.public_id, r.service_code, r.channel, r.commune_code, r.region_code, r.lat, r.lon, r.description, "
    "r.apparent_state, r.immediate_danger, r.topic, r.counselling_channel, r.preferred_times, r.white_army, "
    "r.counsellor_pool, r.contact_name, r.contact_phone, r.contact_email, r.status, r.unit_id, u.code, r.dispatch, "
    "r.ack_deadline, r.acknowledged_at, r.acknowledged_by, r.escalated_at, r.over_limit, r.duplicate_of, "
    "r.entered_by, r.case_ref, r.created_at, r.updated_at";

std::string Select(const std::string& where_and_order) {
  return std::string("SELECT ") + kColumns + " FROM eservice_reports r LEFT JOIN mobile_units u ON u.id = r.unit_id " +
         where_and_order;
}

// The access condition on `r`: a member of the report's unit, or staff whose area holds the commune.
std::string AccessSql() {
  return "(r.unit_id IN (SELECT m.unit_id FROM mobile_unit_members m WHERE m.user_id = :au) OR (:aw = 1 AND " +
         db::AreaScopeSql("r.commune_code", "sc") + "))";
}

struct AccessBinding {
  long long user = 0;
  int wide = 0;
  db::AreaScope scope;
  explicit AccessBinding(const Access& a) : user(a.user_id), wide(a.area_wide ? 1 : 0), scope{a.area, a.day} {}
  void Bind(soci::statement& st) {
    st.exchange(soci::use(user));
    st.exchange(soci::use(wide));
    scope.Bind(st);
  }
};

std::optional<double> OptDouble(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return db::RowDouble(r, i);
}

Report ReadReport(const soci::row& r) {
  Report o;
  o.id = db::RowInt(r, 0);
  o.public_id = r.get<std::string>(1);
  o.input.service = r.get<std::string>(2);
  o.input.channel = r.get<std::string>(3);
  o.input.commune_code = r.get<std::string>(4);
  o.region_code = r.get<std::string>(5);
  o.input.lat = OptDouble(r, 6);
  o.input.lon = OptDouble(r, 7);
  o.input.description = r.get<std::string>(8);
  o.input.apparent_state = db::RowOptStr(r, 9);
  o.input.immediate_danger = db::RowInt(r, 10) != 0;
  o.input.topic = db::RowOptStr(r, 11);
  o.input.counselling_channel = db::RowOptStr(r, 12);
  o.input.preferred_times = db::RowOptStr(r, 13);
  o.input.white_army = db::RowInt(r, 14) != 0;
  o.counsellor_pool = db::RowOptStr(r, 15);
  o.input.contact_name = db::RowOptStr(r, 16);
  o.input.contact_phone = db::RowOptStr(r, 17);
  o.input.contact_email = db::RowOptStr(r, 18);
  o.status = r.get<std::string>(19);
  o.unit_id = db::RowOptInt(r, 20);
  o.unit_code = db::RowOptStr(r, 21);
  o.dispatch = r.get<std::string>(22);
  o.ack_deadline = r.get<std::string>(23);
  o.acknowledged_at = db::RowOptStr(r, 24);
  o.acknowledged_by = db::RowOptStr(r, 25);
  o.escalated_at = db::RowOptStr(r, 26);
  o.over_limit = db::RowInt(r, 27) != 0;
  o.duplicate_of = db::RowOptInt(r, 28);
  o.entered_by = db::RowOptStr(r, 29);
  o.case_ref = db::RowOptStr(r, 30);
  o.created_at = r.get<std::string>(31);
  o.updated_at = r.get<std::string>(32);
  return o;
}

std::vector<Report> ReadAll(soci::session& sql, const std::string& q, const std::function<void(soci::statement&)>& b) {
  std::vector<Report> out;
  db::EachRow(sql, q, b, [&](const soci::row& r) { out.push_back(ReadReport(r)); });
  return out;
}

std::unexpected<Error> NoReport(std::int64_t id) {
  return Failure(Code::kNotFound, std::string(MsgCode("eservice.report_not_found")), {{"id", std::to_string(id)}},
                 "id");
}

}  // namespace

Result<AckPolicy> ReportStore::Policy(const std::string& service) {
  return db::Guard([&]() -> Result<AckPolicy> {
    auto s = db_.Acquire();
    long long danger = 0, normal = 0;
    soci::indicator ind = soci::i_null;
    s.sql() << "SELECT danger_ack_minutes, ack_minutes FROM eservice_services WHERE code = :c", soci::use(service),
        soci::into(danger, ind), soci::into(normal);
    if (!s.sql().got_data())
      return Failure(Code::kNotFound, std::string(MsgCode("eservice.unknown_service")), {{"value", service}},
                     "service_code");
    return AckPolicy{static_cast<int>(danger), static_cast<int>(normal)};
  });
}

Result<void> ReportStore::SetPolicy(const std::string& service, const AckPolicy& p, const std::string& now,
                                    const std::string& by) {
  return db::Guard([&]() -> Result<void> {
    auto s = db_.Acquire();
    long long danger = p.danger_minutes, normal = p.normal_minutes;
    soci::statement st = (s.sql().prepare << "UPDATE eservice_services SET danger_ack_minutes = :d, ack_minutes = :n, "
                                             "updated_at = :t, updated_by = :b WHERE code = :c",
                          soci::use(danger), soci::use(normal), soci::use(now), soci::use(by), soci::use(service));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Failure(Code::kNotFound, std::string(MsgCode("eservice.unknown_service")), {{"value", service}},
                     "service_code");
    return {};
  });
}

namespace {

// One report inside the caller's transaction: its probable-duplicate link, then the row.
void InsertIn(db::Session& s, NewReport& n) {
  Report& r = n.report;
  const auto received = ParseTimestamp(r.created_at);
  const std::string since = FormatTimestamp((received ? *received : TimePoint{}) - kDuplicateWindow);
  // The most recent 100 reports of the same service and commune in the window are compared (the index
  // serves them in order); a match links to the report its own chain starts from.
  std::optional<std::int64_t> duplicate;
  db::EachRow(
      s.sql(),
      Select("WHERE r.service_code = :s AND r.commune_code = :c AND r.created_at >= :t ORDER BY r.created_at "
             "DESC, r.id DESC LIMIT 100"),
      [&](soci::statement& st) {
        st.exchange(soci::use(r.input.service));
        st.exchange(soci::use(r.input.commune_code));
        st.exchange(soci::use(since));
      },
      [&](const soci::row& row) {
        if (duplicate) return;
        Report other = ReadReport(row);
        if (ProbableDuplicate(r.input, other.input)) duplicate = other.duplicate_of.value_or(other.id);
      });
  r.duplicate_of = duplicate;
  const int danger = r.input.immediate_danger ? 1 : 0, white = r.input.white_army ? 1 : 0, over = r.over_limit ? 1 : 0;
  std::optional<long long> unit = r.unit_id, dup = r.duplicate_of;
  long long id = 0;
  s.sql() << "INSERT INTO eservice_reports (public_id, tracking_hash, service_code, channel, commune_code, "
             "region_code, lat, lon, description, apparent_state, immediate_danger, topic, counselling_channel, "
             "preferred_times, white_army, counsellor_pool, contact_name, contact_phone, contact_email, status, "
             "unit_id, dispatch, ack_deadline, over_limit, duplicate_of, entered_by, created_at, updated_at) VALUES "
             "(:p, :h, :s, :ch, :c, :rg, :la, :lo, :d, :a, :dg, :tp, :cc, :pt, :w, :pool, :cn, :cp, :ce, :st, :u, "
             ":dis, :dl, :ov, :dup, :eb, :ca, :ua) RETURNING id",
      soci::use(r.public_id), soci::use(n.tracking_hash), soci::use(r.input.service), soci::use(r.input.channel),
      soci::use(r.input.commune_code), soci::use(r.region_code), soci::use(r.input.lat), soci::use(r.input.lon),
      soci::use(r.input.description), soci::use(r.input.apparent_state), soci::use(danger), soci::use(r.input.topic),
      soci::use(r.input.counselling_channel), soci::use(r.input.preferred_times), soci::use(white),
      soci::use(r.counsellor_pool), soci::use(r.input.contact_name), soci::use(r.input.contact_phone),
      soci::use(r.input.contact_email), soci::use(r.status), soci::use(unit), soci::use(r.dispatch),
      soci::use(r.ack_deadline), soci::use(over), soci::use(dup), soci::use(r.entered_by), soci::use(r.created_at),
      soci::use(r.updated_at), soci::into(id);
  r.id = id;
}

}  // namespace

Result<Report> ReportStore::Insert(NewReport n) {
  std::vector<NewReport> one;
  one.push_back(std::move(n));
  auto stored = InsertBatch(one);
  if (!stored) return std::unexpected(stored.error());
  return std::move(stored->front());
}

Result<std::vector<Report>> ReportStore::InsertBatch(std::vector<NewReport>& batch) {
  return db::Guard([&]() -> Result<std::vector<Report>> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    for (auto& n : batch) InsertIn(s, n);
    tx.Commit();
    std::vector<Report> out;
    out.reserve(batch.size());
    for (auto& n : batch) out.push_back(n.report);
    return out;
  });
}

Result<std::optional<Report>> ReportStore::ByTrackingHash(const std::string& hash) {
  return db::Guard([&]() -> Result<std::optional<Report>> {
    auto s = db_.Acquire();
    auto found = ReadAll(s.sql(), Select("WHERE r.tracking_hash = :h"),
                         [&](soci::statement& st) { st.exchange(soci::use(hash)); });
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

Result<std::optional<Report>> ReportStore::ByPublicId(const std::string& public_id) {
  return db::Guard([&]() -> Result<std::optional<Report>> {
    auto s = db_.Acquire();
    auto found = ReadAll(s.sql(), Select("WHERE r.public_id = :p"),
                         [&](soci::statement& st) { st.exchange(soci::use(public_id)); });
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

Result<std::optional<Report>> ReportStore::Get(std::int64_t id, const Access& a) {
  return db::Guard([&]() -> Result<std::optional<Report>> {
    auto s = db_.Acquire();
    long long rid = id;
    AccessBinding ab(a);
    auto found = ReadAll(s.sql(), Select("WHERE r.id = :id AND " + AccessSql()), [&](soci::statement& st) {
      st.exchange(soci::use(rid));
      ab.Bind(st);
    });
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

Result<std::vector<Report>> ReportStore::UnitQueue(std::int64_t unit_id, const Access& a, int limit) {
  return db::Guard([&]() -> Result<std::vector<Report>> {
    auto s = db_.Acquire();
    long long uid = unit_id;
    AccessBinding ab(a);
    return ReadAll(s.sql(),
                   Select(fmt::format("WHERE r.unit_id = :u AND r.status <> 'closed' AND {} ORDER BY "
                                      "r.immediate_danger DESC, r.ack_deadline, r.id LIMIT {}",
                                      AccessSql(), limit)),
                   [&](soci::statement& st) {
                     st.exchange(soci::use(uid));
                     ab.Bind(st);
                   });
  });
}

Result<std::vector<Report>> ReportStore::PoolQueue(const std::string& pool, const Access& a, int limit) {
  return db::Guard([&]() -> Result<std::vector<Report>> {
    auto s = db_.Acquire();
    AccessBinding ab(a);
    return ReadAll(s.sql(),
                   Select(fmt::format("WHERE r.counsellor_pool = :p AND r.status <> 'closed' AND {} ORDER BY "
                                      "r.immediate_danger DESC, r.ack_deadline, r.id LIMIT {}",
                                      AccessSql(), limit)),
                   [&](soci::statement& st) {
                     st.exchange(soci::use(pool));
                     ab.Bind(st);
                   });
  });
}

Result<std::vector<Report>> ReportStore::Overdue(const Access& a, const std::string& now, int limit) {
  return db::Guard([&]() -> Result<std::vector<Report>> {
    auto s = db_.Acquire();
    AccessBinding ab(a);
    return ReadAll(s.sql(),
                   Select(fmt::format("WHERE r.acknowledged_at IS NULL AND r.status <> 'closed' AND "
                                      "(r.escalated_at IS NOT NULL OR r.ack_deadline < :n) AND {} "
                                      "ORDER BY r.ack_deadline, r.id LIMIT {}",
                                      AccessSql(), limit)),
                   [&](soci::statement& st) {
                     st.exchange(soci::use(now));
                     ab.Bind(st);
                   });
  });
}

Result<bool> ReportStore::Acknowledge(std::int64_t id, const Access& a, const std::string& now, const std::string& by) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    long long rid = id;
    AccessBinding ab(a);
    const long long visible =
        db::CountRows(s.sql(), "SELECT COUNT(*) FROM eservice_reports r WHERE r.id = :id AND " + AccessSql(),
                      [&](soci::statement& st) {
                        st.exchange(soci::use(rid));
                        ab.Bind(st);
                      });
    if (visible == 0) return NoReport(id);
    soci::statement st =
        (s.sql().prepare << "UPDATE eservice_reports SET acknowledged_at = :t, acknowledged_by = :b, updated_at = :t2, "
                            "status = CASE WHEN status = 'received' THEN 'acknowledged' ELSE status END "
                            "WHERE id = :id AND acknowledged_at IS NULL",
         soci::use(now), soci::use(by), soci::use(now), soci::use(rid));
    st.execute(true);
    const bool changed = st.get_affected_rows() > 0;
    tx.Commit();
    return changed;
  });
}

Result<Report> ReportStore::SetStatus(std::int64_t id, const Access& a, const std::string& status,
                                      const std::optional<std::string>& case_ref, const std::string& now,
                                      const std::string& by) {
  auto done = db::Guard([&]() -> Result<void> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    long long rid = id;
    AccessBinding ab(a);
    soci::statement st =
        (s.sql().prepare
             << "UPDATE eservice_reports SET status = :s, case_ref = COALESCE(:cr, case_ref), "
                "acknowledged_at = COALESCE(acknowledged_at, :t), acknowledged_by = "
                "COALESCE(acknowledged_by, :b), updated_at = :t2 WHERE id = :id AND (case_ref IS NULL OR :s2 = "
                "'case_opened') AND id IN (SELECT r.id FROM eservice_reports r WHERE r.id = :id2 AND " +
                    AccessSql() + ")",
         soci::use(status), soci::use(case_ref), soci::use(now), soci::use(by), soci::use(now), soci::use(rid),
         soci::use(status), soci::use(rid), soci::use(ab.user), soci::use(ab.wide), soci::use(ab.scope.area),
         soci::use(ab.scope.area), soci::use(ab.scope.day), soci::use(ab.scope.day));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NoReport(id);
    tx.Commit();
    return {};
  });
  auto r = Get(id, a);
  if (!r) return std::unexpected(r.error());
  if (!*r) return NoReport(id);
  if (!done && done.error().code == Code::kNotFound) {
    // Visible, so not updated because a case was opened from it: the case now tells where it stands.
    return Failure(Code::kFailedPrecondition, "eservice.report_follows_case", {{"case", (*r)->case_ref.value_or("")}},
                   "status");
  }
  if (!done) return std::unexpected(done.error());
  return **r;
}

Result<Note> ReportStore::AddNote(std::int64_t id, const Access& a, bool is_public, const std::string& body,
                                  const std::string& now, const std::string& by) {
  return db::Guard([&]() -> Result<Note> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    long long rid = id;
    AccessBinding ab(a);
    const long long visible =
        db::CountRows(s.sql(), "SELECT COUNT(*) FROM eservice_reports r WHERE r.id = :id AND " + AccessSql(),
                      [&](soci::statement& st) {
                        st.exchange(soci::use(rid));
                        ab.Bind(st);
                      });
    if (visible == 0) return NoReport(id);
    const int pub = is_public ? 1 : 0;
    long long note_id = 0;
    s.sql() << "INSERT INTO eservice_report_notes (report_id, is_public, body, author, created_at) VALUES (:r, :p, "
               ":b, :a, :t) RETURNING id",
        soci::use(rid), soci::use(pub), soci::use(body), soci::use(by), soci::use(now), soci::into(note_id);
    s.sql() << "UPDATE eservice_reports SET updated_at = :t WHERE id = :id", soci::use(now), soci::use(rid);
    tx.Commit();
    return Note{note_id, is_public, body, by, now};
  });
}

Result<std::vector<Note>> ReportStore::Notes(std::int64_t report_id, bool public_only) {
  return db::Guard([&]() -> Result<std::vector<Note>> {
    auto s = db_.Acquire();
    long long rid = report_id;
    std::vector<Note> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT id, is_public, body, author, created_at FROM eservice_report_notes WHERE report_id = :r") +
            (public_only ? " AND is_public = 1" : "") + " ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(rid)); },
        [&](const soci::row& r) {
          out.push_back(Note{db::RowInt(r, 0), db::RowInt(r, 1) != 0, r.get<std::string>(2), r.get<std::string>(3),
                             r.get<std::string>(4)});
        });
    return out;
  });
}

Result<long long> ReportStore::Escalate(const std::string& now) {
  return db::Guard([&]() -> Result<long long> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    soci::statement st =
        (s.sql().prepare << "UPDATE eservice_reports SET escalated_at = :n, updated_at = :n2 WHERE acknowledged_at IS "
                            "NULL AND escalated_at IS NULL AND status <> 'closed' AND ack_deadline < :n3",
         soci::use(now), soci::use(now), soci::use(now));
    st.execute(true);
    const long long n = st.get_affected_rows();
    tx.Commit();
    return n;
  });
}

namespace {

std::vector<Unit> ReadUnits(soci::session& sql, const std::string& where,
                            const std::function<void(soci::statement&)>& b) {
  std::vector<Unit> out;
  db::EachRow(
      sql,
      "SELECT id, code, name, base_commune, base_lat, base_lon, active FROM mobile_units " + where + " ORDER BY id", b,
      [&](const soci::row& r) {
        Unit u;
        u.id = db::RowInt(r, 0);
        u.code = r.get<std::string>(1);
        u.name = r.get<std::string>(2);
        u.base_commune = r.get<std::string>(3);
        u.base_lat = db::RowDouble(r, 4);
        u.base_lon = db::RowDouble(r, 5);
        u.active = db::RowInt(r, 6) != 0;
        out.push_back(std::move(u));
      });
  // Communes and shifts of every listed unit in two statements (dispatch reads all units per report).
  std::unordered_map<long long, Unit*> by_id;
  for (auto& u : out) by_id[u.id] = &u;
  if (by_id.empty()) return out;
  const std::string of_units =
      "SELECT unit_id, {} FROM {} WHERE unit_id IN (SELECT id FROM mobile_units " + where + ") ORDER BY unit_id, {}";
  db::EachRow(sql, fmt::format(fmt::runtime(of_units), "commune_code", "mobile_unit_communes", "commune_code"), b,
              [&](const soci::row& r) {
                if (auto it = by_id.find(db::RowInt(r, 0)); it != by_id.end())
                  it->second->communes.push_back(r.get<std::string>(1));
              });
  db::EachRow(sql,
              fmt::format(fmt::runtime(of_units), "weekday, starts, ends", "mobile_unit_shifts", "weekday, starts"), b,
              [&](const soci::row& r) {
                if (auto it = by_id.find(db::RowInt(r, 0)); it != by_id.end())
                  it->second->shifts.push_back(
                      Shift{static_cast<int>(db::RowInt(r, 1)), r.get<std::string>(2), r.get<std::string>(3)});
              });
  return out;
}

}  // namespace

Result<std::vector<Unit>> ReportStore::Units() {
  return db::Guard([&]() -> Result<std::vector<Unit>> {
    auto s = db_.Acquire();
    return ReadUnits(s.sql(), "", [](soci::statement&) {});
  });
}

Result<std::optional<Unit>> ReportStore::GetUnit(std::int64_t id) {
  return db::Guard([&]() -> Result<std::optional<Unit>> {
    auto s = db_.Acquire();
    long long uid = id;
    auto units = ReadUnits(s.sql(), "WHERE id = :id", [&](soci::statement& st) { st.exchange(soci::use(uid)); });
    if (units.empty()) return std::nullopt;
    return units.front();
  });
}

Result<std::vector<std::int64_t>> ReportStore::UnitsOf(std::int64_t user_id) {
  return db::Guard([&]() -> Result<std::vector<std::int64_t>> {
    auto s = db_.Acquire();
    long long uid = user_id;
    std::vector<std::int64_t> out;
    db::EachRow(
        s.sql(), "SELECT unit_id FROM mobile_unit_members WHERE user_id = :u ORDER BY unit_id",
        [&](soci::statement& st) { st.exchange(soci::use(uid)); },
        [&](const soci::row& r) { out.push_back(db::RowInt(r, 0)); });
    return out;
  });
}

Result<Unit> ReportStore::CreateUnit(const Unit& u, const std::vector<std::string>& members, const std::string& now,
                                     const std::string& by) {
  return db::Guard([&]() -> Result<Unit> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    const long long taken = db::CountRows(s.sql(), "SELECT COUNT(*) FROM mobile_units WHERE code = :c",
                                          [&](soci::statement& st) { st.exchange(soci::use(u.code)); });
    if (taken > 0)
      return Failure(Code::kAlreadyExists, std::string(MsgCode("eservice.unit_exists")), {{"value", u.code}}, "code");
    std::vector<long long> member_ids;
    for (std::size_t i = 0; i < members.size(); ++i) {
      long long uid = 0;
      s.sql() << "SELECT id FROM users WHERE username = :n", soci::use(members[i]), soci::into(uid);
      if (!s.sql().got_data())
        return Failure(Code::kInvalidArgument, std::string(MsgCode("eservice.unknown_member")), {{"value", members[i]}},
                       fmt::format("members/{}", i));
      member_ids.push_back(uid);
    }
    const int active = u.active ? 1 : 0;
    long long id = 0;
    s.sql() << "INSERT INTO mobile_units (code, name, base_commune, base_lat, base_lon, active, created_at, "
               "created_by) VALUES (:c, :n, :b, :la, :lo, :a, :t, :by) RETURNING id",
        soci::use(u.code), soci::use(u.name), soci::use(u.base_commune), soci::use(u.base_lat), soci::use(u.base_lon),
        soci::use(active), soci::use(now), soci::use(by), soci::into(id);
    for (const auto& c : u.communes) {
      s.sql() << "INSERT INTO mobile_unit_communes (unit_id, commune_code) VALUES (:u, :c) ON CONFLICT DO NOTHING",
          soci::use(id), soci::use(c);
    }
    for (const auto& sh : u.shifts) {
      long long wd = sh.weekday;
      s.sql() << "INSERT INTO mobile_unit_shifts (unit_id, weekday, starts, ends) VALUES (:u, :w, :s, :e)",
          soci::use(id), soci::use(wd), soci::use(sh.starts), soci::use(sh.ends);
    }
    for (long long m : member_ids) {
      s.sql() << "INSERT INTO mobile_unit_members (unit_id, user_id) VALUES (:u, :m) ON CONFLICT DO NOTHING",
          soci::use(id), soci::use(m);
    }
    tx.Commit();
    Unit out = u;
    out.id = id;
    return out;
  });
}

}  // namespace sanad::eservices
