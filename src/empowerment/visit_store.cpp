#include "empowerment/visit_store.h"

#include <map>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::empowerment {
namespace {

constexpr const char* kVisitColumns =
    "v.id, v.registration_id, v.kind, v.visited_on, v.visitor, v.notes, v.next_step, v.next_step_due, "
    "v.milestone_months, v.activity_running, v.monthly_income, v.jobs_created, v.recorded_at, v.recorded_by";

VisitRow ReadVisitRow(const soci::row& r) {
  VisitRow out;
  out.id = db::RowInt(r, 0);
  out.registration_id = db::RowInt(r, 1);
  Visit& v = out.visit;
  v.kind = r.get<std::string>(2);
  v.visited_on = r.get<std::string>(3);
  v.visitor = r.get<std::string>(4);
  v.notes = db::RowOptStr(r, 5);
  v.next_step = db::RowOptStr(r, 6);
  v.next_step_due = db::RowOptStr(r, 7);
  if (auto m = db::RowOptInt(r, 8)) v.milestone_months = static_cast<int>(*m);
  if (auto a = db::RowOptInt(r, 9)) v.activity_running = *a == 1;
  v.monthly_income = db::RowOptInt(r, 10);
  v.jobs_created = db::RowOptInt(r, 11);
  out.recorded_at = r.get<std::string>(12);
  out.recorded_by = r.get<std::string>(13);
  return out;
}

// Whether the woman lies within scope (the check every read and write of her visits starts with).
bool InScope(soci::session& sql, std::int64_t registration_id, const ReadScope& scope) {
  long long rid = registration_id;
  db::AreaScope sc{scope.area, scope.day};
  return db::CountRows(sql,
                       "SELECT COUNT(*) FROM empowerment_registrations r WHERE r.id = :id AND " +
                           db::AreaScopeSql("r.commune_code", "sc"),
                       [&](soci::statement& st) {
                         st.exchange(soci::use(rid));
                         sc.Bind(st);
                       }) > 0;
}

auto NotFound(std::int64_t id) {
  return Failure(Code::kNotFound, "empowerment.registration_not_found", {{"id", std::to_string(id)}}, "id");
}

}  // namespace

Status VisitStore::SetActivityStart(std::int64_t registration_id, const ReadScope& scope, const std::string& day) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    if (!InScope(s.sql(), registration_id, scope)) return NotFound(registration_id);
    long long rid = registration_id;
    s.sql() << "UPDATE empowerment_registrations SET activity_started_on = :d WHERE id = :id", soci::use(day),
        soci::use(rid);
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<std::int64_t> VisitStore::Add(std::int64_t registration_id, const ReadScope& scope, const Visit& v,
                                     const std::string& now, const std::string& by) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    if (!InScope(s.sql(), registration_id, scope)) return NotFound(registration_id);
    long long rid = registration_id, id = 0;
    const std::optional<long long> milestone =
        v.milestone_months ? std::optional<long long>(*v.milestone_months) : std::nullopt;
    const std::optional<long long> running =
        v.activity_running ? std::optional<long long>(*v.activity_running ? 1 : 0) : std::nullopt;
    s.sql() << "INSERT INTO empowerment_visits (registration_id, kind, visited_on, visitor, notes, next_step, "
               "next_step_due, milestone_months, activity_running, monthly_income, jobs_created, recorded_at, "
               "recorded_by) VALUES (:r, :k, :vo, :vi, :n, :ns, :nd, :m, :a, :i, :j, :at, :by) RETURNING id",
        soci::use(rid), soci::use(v.kind), soci::use(v.visited_on), soci::use(v.visitor), soci::use(v.notes),
        soci::use(v.next_step), soci::use(v.next_step_due), soci::use(milestone), soci::use(running),
        soci::use(v.monthly_income), soci::use(v.jobs_created), soci::use(now), soci::use(by), soci::into(id);
    return static_cast<std::int64_t>(id);
  });
}

Result<std::optional<WomanVisits>> VisitStore::ForWoman(std::int64_t registration_id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<WomanVisits>> {
    auto s = db_.Acquire();
    if (!InScope(s.sql(), registration_id, scope)) return std::optional<WomanVisits>{};
    long long rid = registration_id, rid2 = registration_id;
    WomanVisits out;
    db::EachRow(
        s.sql(), "SELECT activity_started_on FROM empowerment_registrations WHERE id = :id",
        [&](soci::statement& st) { st.exchange(soci::use(rid)); },
        [&](const soci::row& r) { out.activity_started_on = db::RowOptStr(r, 0); });
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kVisitColumns +
            " FROM empowerment_visits v WHERE v.registration_id = :id ORDER BY v.visited_on DESC, v.id DESC",
        [&](soci::statement& st) { st.exchange(soci::use(rid2)); },
        [&](const soci::row& r) { out.visits.push_back(ReadVisitRow(r)); });
    return std::optional<WomanVisits>(std::move(out));
  });
}

Result<std::vector<OverdueNextStep>> VisitStore::OverdueNextSteps(const ReadScope& scope, const std::string& as_of) {
  return db::Guard([&]() -> Result<std::vector<OverdueNextStep>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<OverdueNextStep> out;
    // A next step is followed up by any later visit of the same woman.
    db::EachRow(
        s.sql(),
        "SELECT v.id, v.registration_id, COALESCE(r.given_name_ar, r.given_name_lat), COALESCE(r.family_name_ar, "
        "r.family_name_lat), r.commune_code, v.next_step, v.next_step_due FROM empowerment_visits v JOIN "
        "empowerment_registrations r ON r.id = v.registration_id WHERE v.next_step_due < :d AND " +
            db::AreaScopeSql("r.commune_code", "sc") +
            " AND NOT EXISTS (SELECT 1 FROM empowerment_visits l WHERE l.registration_id = v.registration_id AND "
            "(l.visited_on > v.visited_on OR (l.visited_on = v.visited_on AND l.id > v.id))) "
            "ORDER BY v.next_step_due, v.id LIMIT 1000",
        [&](soci::statement& st) {
          st.exchange(soci::use(as_of));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), db::RowInt(r, 1), db::RowOptStr(r, 2).value_or(""),
                         db::RowOptStr(r, 3).value_or(""), r.get<std::string>(4), db::RowOptStr(r, 5).value_or(""),
                         db::RowOptStr(r, 6).value_or("")});
        });
    return out;
  });
}

Result<std::vector<OverdueMonitoringRow>> VisitStore::OverdueMonitoringVisits(const ReadScope& scope,
                                                                              const std::string& as_of) {
  auto day = ParseDate(as_of, "as_of");
  if (!day) return std::unexpected(day.error());
  return db::Guard([&]() -> Result<std::vector<OverdueMonitoringRow>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    struct Woman {
      OverdueMonitoringRow base;
      std::vector<int> done;
    };
    std::map<long long, Woman> women;
    // Women with a start date in scope, with the milestones their monitoring visits covered (one pass).
    db::EachRow(
        s.sql(),
        "SELECT r.id, COALESCE(r.given_name_ar, r.given_name_lat), COALESCE(r.family_name_ar, r.family_name_lat), "
        "r.commune_code, r.activity_started_on, v.milestone_months FROM empowerment_registrations r LEFT JOIN "
        "empowerment_visits v ON v.registration_id = r.id AND v.kind = 'monitoring' WHERE r.activity_started_on IS "
        "NOT NULL AND " +
            db::AreaScopeSql("r.commune_code", "sc") + " ORDER BY r.id",
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          Woman& w = women[db::RowInt(r, 0)];
          w.base.registration_id = db::RowInt(r, 0);
          w.base.given_name = db::RowOptStr(r, 1).value_or("");
          w.base.family_name = db::RowOptStr(r, 2).value_or("");
          w.base.commune_code = r.get<std::string>(3);
          w.base.started_on = r.get<std::string>(4);
          if (auto m = db::RowOptInt(r, 5)) w.done.push_back(static_cast<int>(*m));
        });
    std::vector<OverdueMonitoringRow> out;
    for (auto& [id, w] : women) {
      auto started = ParseDate(w.base.started_on);
      if (!started) continue;
      for (const auto& due : OverdueMonitoring(*started, w.done, *day)) {
        OverdueMonitoringRow row = w.base;
        row.milestone = due;
        out.push_back(std::move(row));
      }
    }
    return out;
  });
}

}  // namespace sanad::empowerment
