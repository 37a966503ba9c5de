#include "counselling/counselling_store.h"

#include <fmt/format.h>

#include <sstream>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::counselling {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// The caller's area scope on a column; `tag` distinguishes two conditions in one statement.
struct Scope {
  db::AreaScope scope;
  explicit Scope(const Access& a) : scope{a.area, a.day} {}
  void Bind(soci::statement& st) { scope.Bind(st); }
};

constexpr const char* kCounsellorColumns =
    "c.id, c.user_id, u.username, c.given_name, c.family_name, c.specialties, c.languages, c.pool, c.area_code, "
    "c.active, c.version FROM counsellors c JOIN users u ON u.id = c.user_id";

Counsellor ReadCounsellor(const soci::row& r) {
  Counsellor c;
  c.id = db::RowInt(r, 0);
  c.user_id = db::RowInt(r, 1);
  c.username = r.get<std::string>(2);
  c.given_name = r.get<std::string>(3);
  c.family_name = r.get<std::string>(4);
  c.specialties = Split(r.get<std::string>(5));
  c.languages = Split(r.get<std::string>(6));
  c.pool = r.get<std::string>(7);
  c.area_code = r.get<std::string>(8);
  c.active = db::RowInt(r, 9) != 0;
  c.version = db::RowInt(r, 10);
  return c;
}

// Fills the availability and leave days of the counsellors read.
void ReadCalendars(soci::session& sql, std::vector<Counsellor>& cs) {
  for (auto& c : cs) {
    long long id = c.id;
    db::EachRow(
        sql,
        "SELECT weekday, starts, ends, slot_minutes FROM counsellor_availability WHERE counsellor_id = :c "
        "ORDER BY weekday, starts",
        [&](soci::statement& st) { st.exchange(soci::use(id)); },
        [&](const soci::row& r) {
          c.availability.push_back(Availability{static_cast<int>(db::RowInt(r, 0)), r.get<std::string>(1),
                                                r.get<std::string>(2), static_cast<int>(db::RowInt(r, 3))});
        });
    db::EachRow(
        sql, "SELECT day FROM counsellor_leave WHERE counsellor_id = :c ORDER BY day",
        [&](soci::statement& st) { st.exchange(soci::use(id)); },
        [&](const soci::row& r) { c.leave_days.push_back(r.get<std::string>(0)); });
  }
}

std::vector<Counsellor> SelectCounsellors(soci::session& sql, const CounsellorFilter& f, const Access& who) {
  std::string q = fmt::format("SELECT {} WHERE {}", kCounsellorColumns, db::AreaScopeSql("c.area_code", "sc"));
  Scope scope(who);
  long long id = f.id.value_or(0);
  std::string pool = f.pool.value_or(""), lang = f.language.value_or("");
  if (f.id) q += " AND c.id = :id";
  if (f.pool) q += " AND c.pool = :pool";
  if (f.active_only) q += " AND c.active = 1";
  q += " ORDER BY c.family_name, c.given_name, c.id";
  std::vector<Counsellor> out;
  db::EachRow(
      sql, q,
      [&](soci::statement& st) {
        scope.Bind(st);
        if (f.id) st.exchange(soci::use(id));
        if (f.pool) st.exchange(soci::use(pool));
      },
      [&](const soci::row& r) {
        auto c = ReadCounsellor(r);
        // Languages are a short list stored as text: filtered here rather than with LIKE patterns.
        if (f.language && std::find(c.languages.begin(), c.languages.end(), lang) == c.languages.end()) return;
        out.push_back(std::move(c));
      });
  ReadCalendars(sql, out);
  return out;
}

constexpr const char* kBookingColumns =
    "b.id, b.counsellor_id, b.slot_start, b.slot_end, b.area_code, b.request_id, b.client_name, b.client_phone, "
    "b.client_email, b.client_language, b.channel, b.status, b.rescheduled_from, b.booked_at, b.booked_by, "
    "b.cancelled_at, b.cancelled_by, b.cancel_reason, b.recorded_at, b.recorded_by, b.version "
    "FROM counselling_bookings b";

Booking ReadBooking(const soci::row& r) {
  Booking b;
  b.id = db::RowInt(r, 0);
  b.counsellor_id = db::RowInt(r, 1);
  b.slot_start = r.get<std::string>(2);
  b.slot_end = r.get<std::string>(3);
  b.area_code = r.get<std::string>(4);
  if (auto v = db::RowOptInt(r, 5)) b.request_id = *v;
  b.client_name = db::RowOptStr(r, 6);
  b.client_phone = db::RowOptStr(r, 7);
  b.client_email = db::RowOptStr(r, 8);
  b.client_language = r.get<std::string>(9);
  b.channel = r.get<std::string>(10);
  b.status = r.get<std::string>(11);
  if (auto v = db::RowOptInt(r, 12)) b.rescheduled_from = *v;
  b.booked_at = r.get<std::string>(13);
  b.booked_by = r.get<std::string>(14);
  b.cancelled_at = db::RowOptStr(r, 15);
  b.cancelled_by = db::RowOptStr(r, 16);
  b.cancel_reason = db::RowOptStr(r, 17);
  b.recorded_at = db::RowOptStr(r, 18);
  b.recorded_by = db::RowOptStr(r, 19);
  b.version = db::RowInt(r, 20);
  return b;
}

std::optional<Booking> SelectBooking(soci::session& sql, std::int64_t id, const Access& who) {
  Scope scope(who);
  long long bid = id;
  std::optional<Booking> out;
  db::EachRow(
      sql, fmt::format("SELECT {} WHERE b.id = :id AND {}", kBookingColumns, db::AreaScopeSql("b.area_code", "sc")),
      [&](soci::statement& st) {
        st.exchange(soci::use(bid));
        scope.Bind(st);
      },
      [&](const soci::row& r) { out = ReadBooking(r); });
  return out;
}

bool CounsellorVisible(soci::session& sql, std::int64_t id, const Access& who, std::string* area = nullptr) {
  Scope scope(who);
  long long cid = id;
  bool found = false;
  db::EachRow(
      sql, "SELECT c.area_code FROM counsellors c WHERE c.id = :id AND " + db::AreaScopeSql("c.area_code", "sc"),
      [&](soci::statement& st) {
        st.exchange(soci::use(cid));
        scope.Bind(st);
      },
      [&](const soci::row& r) {
        found = true;
        if (area) *area = r.get<std::string>(0);
      });
  return found;
}

bool AreaKnown(soci::session& sql, const std::string& area) {
  return db::CountRows(sql, "SELECT COUNT(*) FROM areas WHERE code = :a",
                       [&](soci::statement& st) { st.exchange(soci::use(area)); }) > 0;
}

bool AreaWithin(soci::session& sql, const std::string& area, const Access& who) {
  if (!who.area) return true;
  return db::CountRows(sql,
                       "SELECT COUNT(*) FROM area_ancestors WHERE ancestor = :a AND descendant = :d AND "
                       "valid_from <= :f AND valid_to > :t",
                       [&](soci::statement& st) {
                         st.exchange(soci::use(*who.area));
                         st.exchange(soci::use(area));
                         st.exchange(soci::use(who.day));
                         st.exchange(soci::use(who.day));
                       }) > 0;
}

Result<std::int64_t> InsertBooking(soci::session& sql, const Booking& b, const std::string& area,
                                   const std::string& now, const std::string& by) {
  long long id = 0, counsellor = b.counsellor_id;
  std::optional<long long> request, from;
  if (b.request_id) request = *b.request_id;
  if (b.rescheduled_from) from = *b.rescheduled_from;
  try {
    sql << "INSERT INTO counselling_bookings (counsellor_id, slot_start, slot_end, area_code, request_id, client_name, "
           "client_phone, client_email, client_language, channel, status, rescheduled_from, booked_at, booked_by) "
           "VALUES (:c, :s, :e, :a, :r, :n, :p, :m, :l, :ch, 'booked', :f, :t, :by) RETURNING id",
        soci::use(counsellor), soci::use(b.slot_start), soci::use(b.slot_end), soci::use(area), soci::use(request),
        soci::use(b.client_name), soci::use(b.client_phone), soci::use(b.client_email), soci::use(b.client_language),
        soci::use(b.channel), soci::use(from), soci::use(now), soci::use(by), soci::into(id);
  } catch (const std::exception& e) {
    auto err = db::ErrorFromException(e);
    // The partial unique index on live bookings: someone else holds the slot (also under concurrency).
    if (err.code == Code::kAlreadyExists)
      return Failure(Code::kConflict, "counselling.slot_taken", {{"slot", b.slot_start}}, "slot_start");
    return std::unexpected(err);
  }
  return id;
}

std::unexpected<Error> NotFound(std::int64_t id) {
  return Failure(Code::kNotFound, "counselling.booking_not_found", {{"id", std::to_string(id)}}, "id");
}

}  // namespace

Result<Counsellor> CounsellingStore::Create(const Counsellor& c, const std::string& username, const Access& who,
                                            const std::string& now) {
  return db::Guard([&]() -> Result<Counsellor> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    long long uid = 0;
    s.sql() << "SELECT id FROM users WHERE username = :n", soci::use(username), soci::into(uid);
    if (!s.sql().got_data())
      return Failure(Code::kInvalidArgument, "counselling.unknown_user", {{"value", username}}, "username");
    if (!AreaKnown(s.sql(), c.area_code))
      return Failure(Code::kInvalidArgument, "counselling.bad_area", {{"value", c.area_code}}, "area_code");
    if (!AreaWithin(s.sql(), c.area_code, who))
      return Failure(Code::kFailedPrecondition, "counselling.outside_scope", {{"value", c.area_code}}, "area_code");
    const long long taken = db::CountRows(s.sql(), "SELECT COUNT(*) FROM counsellors WHERE user_id = :u",
                                          [&](soci::statement& st) { st.exchange(soci::use(uid)); });
    if (taken > 0)
      return Failure(Code::kAlreadyExists, "counselling.counsellor_exists", {{"value", username}}, "username");
    const std::string specialties = Join(c.specialties), languages = Join(c.languages);
    const int active = c.active ? 1 : 0;
    long long id = 0;
    s.sql() << "INSERT INTO counsellors (user_id, given_name, family_name, specialties, languages, pool, area_code, "
               "active, created_at, created_by, updated_at) VALUES (:u, :g, :f, :s, :l, :p, :a, :ac, :t, :by, :t2) "
               "RETURNING id",
        soci::use(uid), soci::use(c.given_name), soci::use(c.family_name), soci::use(specialties), soci::use(languages),
        soci::use(c.pool), soci::use(c.area_code), soci::use(active), soci::use(now), soci::use(who.username),
        soci::use(now), soci::into(id);
    tx.Commit();
    CounsellorFilter f;
    f.id = id;
    auto out = SelectCounsellors(s.sql(), f, Access{});
    if (out.empty()) return Fail(Code::kInternal, "a counselling record just written does not read back");
    return out.front();
  });
}

Result<Counsellor> CounsellingStore::Update(std::int64_t id, const Counsellor& c, const Access& who,
                                            const std::string& now) {
  return db::Guard([&]() -> Result<Counsellor> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    if (!CounsellorVisible(s.sql(), id, who))
      return Failure(Code::kNotFound, "counselling.counsellor_not_found", {{"id", std::to_string(id)}}, "id");
    if (!AreaKnown(s.sql(), c.area_code))
      return Failure(Code::kInvalidArgument, "counselling.bad_area", {{"value", c.area_code}}, "area_code");
    if (!AreaWithin(s.sql(), c.area_code, who))
      return Failure(Code::kFailedPrecondition, "counselling.outside_scope", {{"value", c.area_code}}, "area_code");
    const std::string specialties = Join(c.specialties), languages = Join(c.languages);
    const int active = c.active ? 1 : 0;
    long long cid = id;
    s.sql() << "UPDATE counsellors SET given_name = :g, family_name = :f, specialties = :s, languages = :l, pool = :p, "
               "area_code = :a, active = :ac, updated_at = :t, version = version + 1 WHERE id = :id",
        soci::use(c.given_name), soci::use(c.family_name), soci::use(specialties), soci::use(languages),
        soci::use(c.pool), soci::use(c.area_code), soci::use(active), soci::use(now), soci::use(cid);
    tx.Commit();
    CounsellorFilter f;
    f.id = id;
    auto out = SelectCounsellors(s.sql(), f, Access{});
    if (out.empty()) return Fail(Code::kInternal, "a counselling record just written does not read back");
    return out.front();
  });
}

Result<std::vector<Counsellor>> CounsellingStore::List(const CounsellorFilter& f, const Access& who) {
  return db::Guard([&]() -> Result<std::vector<Counsellor>> {
    auto s = db_.Acquire();
    return SelectCounsellors(s.sql(), f, who);
  });
}

Result<std::optional<Counsellor>> CounsellingStore::Get(std::int64_t id, const Access& who) {
  return db::Guard([&]() -> Result<std::optional<Counsellor>> {
    auto s = db_.Acquire();
    CounsellorFilter f;
    f.id = id;
    auto out = SelectCounsellors(s.sql(), f, who);
    if (out.empty()) return std::nullopt;
    return out.front();
  });
}

Result<std::optional<Counsellor>> CounsellingStore::OfUser(std::int64_t user_id) {
  return db::Guard([&]() -> Result<std::optional<Counsellor>> {
    auto s = db_.Acquire();
    long long uid = user_id, id = 0;
    s.sql() << "SELECT id FROM counsellors WHERE user_id = :u", soci::use(uid), soci::into(id);
    if (!s.sql().got_data()) return std::nullopt;
    CounsellorFilter f;
    f.id = id;
    auto out = SelectCounsellors(s.sql(), f, Access{});
    if (out.empty()) return std::nullopt;
    return out.front();
  });
}

Status CounsellingStore::SetAvailability(std::int64_t id, const std::vector<Availability>& lines, const Access& who,
                                         const std::string& now) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    if (!CounsellorVisible(s.sql(), id, who))
      return Failure(Code::kNotFound, "counselling.counsellor_not_found", {{"id", std::to_string(id)}}, "id");
    long long cid = id;
    s.sql() << "DELETE FROM counsellor_availability WHERE counsellor_id = :c", soci::use(cid);
    for (const auto& a : lines) {
      long long wd = a.weekday, len = a.slot_minutes;
      s.sql() << "INSERT INTO counsellor_availability (counsellor_id, weekday, starts, ends, slot_minutes) VALUES "
                 "(:c, :w, :s, :e, :l)",
          soci::use(cid), soci::use(wd), soci::use(a.starts), soci::use(a.ends), soci::use(len);
    }
    s.sql() << "UPDATE counsellors SET updated_at = :t, version = version + 1 WHERE id = :c", soci::use(now),
        soci::use(cid);
    tx.Commit();
    return Ok();
  });
}

Status CounsellingStore::SetLeave(std::int64_t id, const std::string& day, const std::optional<std::string>& reason,
                                  bool remove, const Access& who) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    if (!CounsellorVisible(s.sql(), id, who))
      return Failure(Code::kNotFound, "counselling.counsellor_not_found", {{"id", std::to_string(id)}}, "id");
    long long cid = id;
    if (remove) {
      s.sql() << "DELETE FROM counsellor_leave WHERE counsellor_id = :c AND day = :d", soci::use(cid), soci::use(day);
    } else {
      s.sql() << "INSERT INTO counsellor_leave (counsellor_id, day, reason) VALUES (:c, :d, :r) ON CONFLICT DO NOTHING",
          soci::use(cid), soci::use(day), soci::use(reason);
    }
    tx.Commit();
    return Ok();
  });
}

Result<std::vector<TimePoint>> CounsellingStore::LiveStarts(std::int64_t counsellor_id, const std::string& from,
                                                            const std::string& to) {
  return db::Guard([&]() -> Result<std::vector<TimePoint>> {
    auto s = db_.Acquire();
    long long cid = counsellor_id;
    std::vector<TimePoint> out;
    db::EachRow(
        s.sql(),
        "SELECT slot_start FROM counselling_bookings WHERE counsellor_id = :c AND status <> 'cancelled' AND "
        "slot_start >= :f AND slot_start < :t",
        [&](soci::statement& st) {
          st.exchange(soci::use(cid));
          st.exchange(soci::use(from));
          st.exchange(soci::use(to));
        },
        [&](const soci::row& r) {
          if (auto t = ParseTimestamp(r.get<std::string>(0))) out.push_back(*t);
        });
    return out;
  });
}

Result<Booking> CounsellingStore::Book(const Booking& b, const std::vector<OutboxMessage>& messages, const Access& who,
                                       const std::string& now) {
  return db::Guard([&]() -> Result<Booking> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    std::string area;
    if (!CounsellorVisible(s.sql(), b.counsellor_id, who, &area))
      return Failure(Code::kNotFound, "counselling.counsellor_not_found", {{"id", std::to_string(b.counsellor_id)}},
                     "counsellor_id");
    auto id = InsertBooking(s.sql(), b, area, now, who.username);
    if (!id) return std::unexpected(id.error());
    for (auto m : messages) {
      m.booking_id = *id;
      OutboxStore::Insert(s, m, now);
    }
    tx.Commit();
    auto out = SelectBooking(s.sql(), *id, Access{});
    if (!out) return Fail(Code::kInternal, "a counselling record just written does not read back");
    return *out;
  });
}

Result<std::optional<Booking>> CounsellingStore::GetBooking(std::int64_t id, const Access& who) {
  return db::Guard([&]() -> Result<std::optional<Booking>> {
    auto s = db_.Acquire();
    return SelectBooking(s.sql(), id, who);
  });
}

Result<std::vector<Booking>> CounsellingStore::Bookings(const BookingFilter& f, const Access& who) {
  return db::Guard([&]() -> Result<std::vector<Booking>> {
    auto s = db_.Acquire();
    Scope scope(who);
    long long cid = f.counsellor_id.value_or(0);
    std::string q = fmt::format("SELECT {} WHERE b.slot_start >= :f AND b.slot_start < :t AND {}", kBookingColumns,
                                db::AreaScopeSql("b.area_code", "sc"));
    if (f.counsellor_id) q += " AND b.counsellor_id = :c";
    if (!f.include_cancelled) q += " AND b.status <> 'cancelled'";
    q += " ORDER BY b.slot_start, b.counsellor_id, b.id";
    std::vector<Booking> out;
    db::EachRow(
        s.sql(), q,
        [&](soci::statement& st) {
          st.exchange(soci::use(f.from));
          st.exchange(soci::use(f.to));
          scope.Bind(st);
          if (f.counsellor_id) st.exchange(soci::use(cid));
        },
        [&](const soci::row& r) { out.push_back(ReadBooking(r)); });
    return out;
  });
}

namespace {

// booked → cancelled inside the caller's transaction.
Result<Booking> CancelIn(db::Session& s, std::int64_t id, const std::optional<std::string>& reason, const Access& who,
                         const std::string& now) {
  auto b = SelectBooking(s.sql(), id, who);
  if (!b) return NotFound(id);
  if (b->status != "booked")
    return Failure(Code::kFailedPrecondition, "counselling.not_booked", {{"status", b->status}}, "id");
  long long bid = id, version = b->version;
  soci::statement st = (s.sql().prepare << "UPDATE counselling_bookings SET status = 'cancelled', cancelled_at = :t, "
                                           "cancelled_by = :by, cancel_reason = :r, version = version + 1 "
                                           "WHERE id = :id AND version = :v AND status = 'booked'",
                        soci::use(now), soci::use(who.username), soci::use(reason), soci::use(bid), soci::use(version));
  st.execute(true);
  if (st.get_affected_rows() != 1)
    return Failure(Code::kConflict, "counselling.changed", {{"id", std::to_string(id)}}, "id");
  b->status = "cancelled";
  return *b;
}

}  // namespace

Result<Booking> CounsellingStore::Cancel(std::int64_t id, const std::optional<std::string>& reason,
                                         const std::vector<OutboxMessage>& messages, const Access& who,
                                         const std::string& now) {
  return db::Guard([&]() -> Result<Booking> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    auto b = CancelIn(s, id, reason, who, now);
    if (!b) return b;
    for (auto m : messages) {
      m.booking_id = id;
      OutboxStore::Insert(s, m, now);
    }
    tx.Commit();
    auto out = SelectBooking(s.sql(), id, Access{});
    if (!out) return Fail(Code::kInternal, "a counselling record just written does not read back");
    return *out;
  });
}

Result<Booking> CounsellingStore::Reschedule(std::int64_t id, const Booking& moved,
                                             const std::vector<OutboxMessage>& messages, const Access& who,
                                             const std::string& now) {
  return db::Guard([&]() -> Result<Booking> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    auto old = CancelIn(s, id, std::optional<std::string>("rescheduled"), who, now);
    if (!old) return old;
    Booking b = moved;
    b.rescheduled_from = id;
    auto nid = InsertBooking(s.sql(), b, old->area_code, now, who.username);
    if (!nid) return std::unexpected(nid.error());
    for (auto m : messages) {
      m.booking_id = *nid;
      OutboxStore::Insert(s, m, now);
    }
    tx.Commit();
    auto out = SelectBooking(s.sql(), *nid, Access{});
    if (!out) return Fail(Code::kInternal, "a counselling record just written does not read back");
    return *out;
  });
}

Result<Booking> CounsellingStore::RecordSession(std::int64_t id, const std::string& status, const Access& who,
                                                const std::string& now) {
  return db::Guard([&]() -> Result<Booking> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    auto b = SelectBooking(s.sql(), id, who);
    if (!b) return NotFound(id);
    if (b->status != "booked")
      return Failure(Code::kFailedPrecondition, "counselling.not_booked", {{"status", b->status}}, "id");
    if (now < b->slot_start)
      return Failure(Code::kFailedPrecondition, "counselling.not_started", {{"slot", b->slot_start}}, "status");
    long long bid = id;
    s.sql() << "UPDATE counselling_bookings SET status = :s, recorded_at = :t, recorded_by = :by, "
               "version = version + 1 WHERE id = :id AND status = 'booked'",
        soci::use(status), soci::use(now), soci::use(who.username), soci::use(bid);
    tx.Commit();
    auto out = SelectBooking(s.sql(), id, Access{});
    if (!out) return Fail(Code::kInternal, "a counselling record just written does not read back");
    return *out;
  });
}

Result<std::int64_t> CounsellingStore::AddNote(std::int64_t booking_id, const std::string& sealed, const Access& who,
                                               const std::string& now) {
  return db::Guard([&]() -> Result<std::int64_t> {
    auto s = db_.Acquire();
    db::Transaction tx(s);
    if (!SelectBooking(s.sql(), booking_id, who)) return NotFound(booking_id);
    long long bid = booking_id, id = 0;
    s.sql() << "INSERT INTO counselling_session_notes (booking_id, sealed, written_at, written_by) VALUES "
               "(:b, :s, :t, :by) RETURNING id",
        soci::use(bid), soci::use(sealed), soci::use(now), soci::use(who.username), soci::into(id);
    tx.Commit();
    return static_cast<std::int64_t>(id);
  });
}

Result<std::vector<SessionNote>> CounsellingStore::Notes(std::int64_t booking_id) {
  return db::Guard([&]() -> Result<std::vector<SessionNote>> {
    auto s = db_.Acquire();
    long long bid = booking_id;
    std::vector<SessionNote> out;
    db::EachRow(
        s.sql(),
        "SELECT id, booking_id, sealed, written_at, written_by FROM counselling_session_notes WHERE booking_id = :b "
        "ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(bid)); },
        [&](const soci::row& r) {
          out.push_back(SessionNote{db::RowInt(r, 0), db::RowInt(r, 1), r.get<std::string>(2), r.get<std::string>(3),
                                    r.get<std::string>(4)});
        });
    return out;
  });
}

Result<long long> CounsellingStore::NoShows(const std::optional<std::int64_t>& request_id,
                                            const std::optional<std::string>& phone) {
  return db::Guard([&]() -> Result<long long> {
    auto s = db_.Acquire();
    if (request_id) {
      long long rid = *request_id;
      return db::CountRows(s.sql(),
                           "SELECT COUNT(*) FROM counselling_bookings WHERE request_id = :r AND status = 'no_show'",
                           [&](soci::statement& st) { st.exchange(soci::use(rid)); });
    }
    if (!phone) return 0LL;
    return db::CountRows(s.sql(),
                         "SELECT COUNT(*) FROM counselling_bookings WHERE client_phone = :p AND status = 'no_show'",
                         [&](soci::statement& st) { st.exchange(soci::use(*phone)); });
  });
}

Result<std::map<std::int64_t, CounsellingStore::RequestSummary>> CounsellingStore::RequestSummaries(
    const std::vector<std::int64_t>& request_ids) {
  return db::Guard([&]() -> Result<std::map<std::int64_t, RequestSummary>> {
    auto s = db_.Acquire();
    std::map<std::int64_t, RequestSummary> out;
    for (std::int64_t id : request_ids) {
      long long rid = id;
      RequestSummary sum;
      db::EachRow(
          s.sql(), "SELECT id, status, slot_start FROM counselling_bookings WHERE request_id = :r ORDER BY id",
          [&](soci::statement& st) { st.exchange(soci::use(rid)); },
          [&](const soci::row& r) {
            const auto status = r.get<std::string>(1);
            if (status == "no_show") ++sum.no_shows;
            if (status == "booked") {
              sum.live_booking = db::RowInt(r, 0);
              sum.live_slot = r.get<std::string>(2);
            }
          });
      out[id] = sum;
    }
    return out;
  });
}

}  // namespace sanad::counselling
