#include "cases/placement_store.h"

#include <nlohmann/json.hpp>

#include "cases/case_visibility_sql.h"
#include "cases/placement_schedule.h"
#include "db/row.h"

namespace sanad::cases {
namespace {

constexpr const char* kColumns =
    "p.id, p.case_id, p.person_id, p.kind, p.carer, p.start_date, p.end_date, p.status, p.next_visit_due, "
    "p.created_at, p.created_by, c.commune_code, c.owner";

Placement ReadPlacement(const soci::row& r) {
  Placement p;
  p.id = db::RowInt(r, 0);
  p.case_id = db::RowInt(r, 1);
  if (auto v = db::RowOptInt(r, 2)) p.person_id = *v;
  p.kind = r.get<std::string>(3);
  p.carer = r.get<std::string>(4);
  p.start_date = r.get<std::string>(5);
  p.end_date = db::RowOptStr(r, 6);
  p.status = r.get<std::string>(7);
  p.next_visit_due = db::RowOptStr(r, 8);
  p.created_at = r.get<std::string>(9);
  p.created_by = r.get<std::string>(10);
  p.commune_code = r.get<std::string>(11);
  p.owner = r.get<std::string>(12);
  return p;
}

std::unexpected<Error> NoPlacement(std::int64_t id) {
  return Failure(Code::kNotFound, "placement.not_found", {{"id", std::to_string(id)}}, "id");
}

std::vector<PlacementVisit> Visits(db::Session& s, std::int64_t id) {
  long long pid = id;
  std::vector<PlacementVisit> out;
  db::EachRow(
      s.sql(),
      "SELECT id, visit_date, worker, note, next_visit, recorded_at FROM placement_visits WHERE placement_id = :p "
      "ORDER BY visit_date DESC, id DESC",
      [&](soci::statement& st) { st.exchange(soci::use(pid)); },
      [&](const soci::row& r) {
        out.push_back({db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
                       db::RowOptStr(r, 4), r.get<std::string>(5)});
      });
  return out;
}

std::optional<Placement> Load(db::Session& s, std::int64_t id, const Access& who, bool lock) {
  long long pid = id;
  VisibleBinding vis(who);
  std::optional<Placement> out;
  db::EachRow(
      s.sql(),
      std::string("SELECT ") + kColumns +
          " FROM case_placements p JOIN cases c ON c.id = p.case_id WHERE p.id = :p AND " + VisibleSql() +
          (lock && s.dialect() == db::Dialect::kPostgres ? " FOR UPDATE OF p" : ""),
      [&](soci::statement& st) {
        st.exchange(soci::use(pid));
        vis.Bind(st);
      },
      [&](const soci::row& r) { out = ReadPlacement(r); });
  if (out) out->visits = Visits(s, id);
  return out;
}

void AddCaseEvent(db::Session& s, std::int64_t case_id, const std::string& at, const std::string& by,
                  const std::string& kind, const nlohmann::json& details) {
  long long cid = case_id;
  const std::string d = details.dump();
  s.sql() << "INSERT INTO case_events (case_id, at, by_user, kind, details) VALUES (:c, :a, :b, :k, :d)",
      soci::use(cid), soci::use(at), soci::use(by), soci::use(kind), soci::use(d);
}

}  // namespace

Result<std::int64_t> PlacementStore::Add(std::int64_t case_id, const Access& who, const NewPlacement& p,
                                         TimePoint now) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    long long cid = case_id;
    VisibleBinding vis(who);
    std::optional<std::string> status;
    db::EachRow(
        s.sql(), "SELECT c.status FROM cases c WHERE c.id = :c AND " + VisibleSql(),
        [&](soci::statement& st) {
          st.exchange(soci::use(cid));
          vis.Bind(st);
        },
        [&](const soci::row& r) { status = r.get<std::string>(0); });
    if (!status) return Failure(Code::kNotFound, "case.not_found", {{"id", std::to_string(case_id)}}, "id");
    if (*status != "open")
      return Failure(Code::kFailedPrecondition, "case.closed", {{"id", std::to_string(case_id)}}, "id");
    std::optional<long long> person;
    if (p.person_id) {
      long long pid = *p.person_id;
      if (db::CountRows(s.sql(), "SELECT COUNT(*) FROM persons WHERE id = :p",
                        [&](soci::statement& st) { st.exchange(soci::use(pid)); }) == 0)
        return Failure(Code::kFailedPrecondition, "placement.bad_person", {{"id", std::to_string(pid)}}, "person_id");
      person = pid;
    }
    auto start = ParseDate(p.start_date, "start_date");
    if (!start) return std::unexpected(start.error());
    const std::string due = NextVisitDue(*start, std::nullopt, std::nullopt).ToString();
    const std::string at = FormatTimestamp(now);
    long long id = 0;
    s.sql() << "INSERT INTO case_placements (case_id, person_id, kind, carer, start_date, status, next_visit_due, "
               "created_at, created_by) VALUES (:c, :p, :k, :ca, :s, 'active', :d, :a, :b) RETURNING id",
        soci::use(cid), soci::use(person), soci::use(p.kind), soci::use(p.carer), soci::use(p.start_date),
        soci::use(due), soci::use(at), soci::use(who.username), soci::into(id);
    AddCaseEvent(s, case_id, at, who.username, "placement",
                 {{"placement_id", id}, {"kind", p.kind}, {"start_date", p.start_date}});
    return static_cast<std::int64_t>(id);
  });
}

Result<std::vector<Placement>> PlacementStore::OfCase(std::int64_t case_id, const Access& who) {
  return db::Guard([&]() -> Result<std::vector<Placement>> {
    auto s = db_.Acquire();
    long long cid = case_id;
    VisibleBinding vis(who);
    if (db::CountRows(s.sql(), "SELECT COUNT(*) FROM cases c WHERE c.id = :c AND " + VisibleSql(),
                      [&](soci::statement& st) {
                        st.exchange(soci::use(cid));
                        vis.Bind(st);
                      }) == 0)
      return Failure(Code::kNotFound, "case.not_found", {{"id", std::to_string(case_id)}}, "id");
    std::vector<Placement> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns +
            " FROM case_placements p JOIN cases c ON c.id = p.case_id WHERE p.case_id = :c ORDER BY p.start_date DESC, "
            "p.id DESC",
        [&](soci::statement& st) { st.exchange(soci::use(cid)); },
        [&](const soci::row& r) { out.push_back(ReadPlacement(r)); });
    for (auto& p : out) p.visits = Visits(s, p.id);
    return out;
  });
}

Result<Placement> PlacementStore::RecordVisit(std::int64_t id, const Access& who, const std::string& date,
                                              const std::string& note, const std::optional<std::string>& next_visit,
                                              TimePoint now) {
  return db_.InTransaction<Placement>([&](db::Session& s) -> Result<Placement> {
    auto p = Load(s, id, who, true);
    if (!p) return NoPlacement(id);
    if (p->status != "active") return Failure(Code::kFailedPrecondition, "placement.ended", {}, "id");
    auto start = ParseDate(p->start_date);
    auto visit = ParseDate(date, "visit_date");
    if (!start || !visit)
      return Failure(Code::kInvalidArgument, "field.bad_date", {{"field", "visit_date"}}, "visit_date");
    if (*visit < *start)
      return Failure(Code::kFailedPrecondition, "placement.visit_before_start", {{"value", date}}, "visit_date");
    std::optional<Date> requested;
    if (next_visit) {
      auto n = ParseDate(*next_visit, "next_visit");
      if (!n) return std::unexpected(n.error());
      if (*n <= *visit)
        return Failure(Code::kFailedPrecondition, "placement.next_before_visit", {{"value", *next_visit}},
                       "next_visit");
      requested = *n;
    }
    const std::string at = FormatTimestamp(now);
    long long pid = id;
    s.sql() << "INSERT INTO placement_visits (placement_id, visit_date, worker, note, next_visit, recorded_at) VALUES "
               "(:p, :d, :w, :n, :nv, :a)",
        soci::use(pid), soci::use(date), soci::use(who.username), soci::use(note), soci::use(next_visit), soci::use(at);
    // The schedule runs from the latest visit (visits may be recorded late, out of order).
    std::string latest = date;
    std::optional<std::string> latest_requested = next_visit;
    db::EachRow(
        s.sql(),
        "SELECT visit_date, next_visit FROM placement_visits WHERE placement_id = :p ORDER BY visit_date DESC, id DESC "
        "LIMIT 1",
        [&](soci::statement& st) { st.exchange(soci::use(pid)); },
        [&](const soci::row& r) {
          latest = r.get<std::string>(0);
          latest_requested = db::RowOptStr(r, 1);
        });
    std::optional<Date> latest_req;
    if (latest_requested) latest_req = *ParseDate(*latest_requested);
    const std::string due = NextVisitDue(*start, *ParseDate(latest), latest_req).ToString();
    s.sql() << "UPDATE case_placements SET next_visit_due = :d WHERE id = :p", soci::use(due), soci::use(pid);
    AddCaseEvent(s, p->case_id, at, who.username, "placement_visit", {{"placement_id", id}, {"visit_date", date}});
    auto after = Load(s, id, who, false);
    if (!after) return NoPlacement(id);
    return *after;
  });
}

Result<Placement> PlacementStore::End(std::int64_t id, const Access& who, const std::string& end_date, TimePoint now) {
  return db_.InTransaction<Placement>([&](db::Session& s) -> Result<Placement> {
    auto p = Load(s, id, who, true);
    if (!p) return NoPlacement(id);
    if (p->status != "active") return Failure(Code::kFailedPrecondition, "placement.ended", {}, "id");
    auto end = ParseDate(end_date, "end_date");
    if (!end) return std::unexpected(end.error());
    if (*end < *ParseDate(p->start_date))
      return Failure(Code::kFailedPrecondition, "placement.end_before_start", {{"value", end_date}}, "end_date");
    long long pid = id;
    s.sql() << "UPDATE case_placements SET status = 'ended', end_date = :e, next_visit_due = NULL WHERE id = :p",
        soci::use(end_date), soci::use(pid);
    const std::string at = FormatTimestamp(now);
    AddCaseEvent(s, p->case_id, at, who.username, "placement_ended", {{"placement_id", id}, {"end_date", end_date}});
    auto after = Load(s, id, who, false);
    if (!after) return NoPlacement(id);
    return *after;
  });
}

Result<std::vector<Placement>> PlacementStore::Overdue(const Access& who, const std::string& today, std::size_t limit) {
  return db::Guard([&]() -> Result<std::vector<Placement>> {
    auto s = db_.Acquire();
    VisibleBinding vis(who);
    std::string day = today;
    std::vector<Placement> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns +
            " FROM case_placements p JOIN cases c ON c.id = p.case_id WHERE p.status = 'active' AND p.next_visit_due < "
            ":t AND " +
            VisibleSql() + " ORDER BY p.next_visit_due, p.id LIMIT " + std::to_string(limit),
        [&](soci::statement& st) {
          st.exchange(soci::use(day));
          vis.Bind(st);
        },
        [&](const soci::row& r) { out.push_back(ReadPlacement(r)); });
    return out;
  });
}

}  // namespace sanad::cases
