#include "empowerment/figures_store.h"

#include "db/area_scope.h"
#include "db/row.h"
#include "empowerment/call_store.h"

namespace sanad::empowerment {

Result<std::vector<WomenCount>> FiguresStore::WomenByStatusAndCommune(const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<WomenCount>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<WomenCount> out;
    db::EachRow(
        s.sql(),
        "SELECT r.commune_code, r.kind, r.status, COUNT(*) FROM empowerment_registrations r WHERE " +
            db::AreaScopeSql("r.commune_code", "sc") +
            " GROUP BY r.commune_code, r.kind, r.status ORDER BY r.commune_code, r.kind, r.status",
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2), db::RowInt(r, 3)});
        });
    return out;
  });
}

Result<std::vector<TrainingCount>> FiguresStore::TrainingAttendanceByTopic(const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<TrainingCount>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<TrainingCount> out;
    // Sessions within the area (by where they are held); cancelled and waiting enrolments count nowhere.
    db::EachRow(
        s.sql(),
        "SELECT t.topic, SUM(CASE WHEN e.status IN ('registered', 'completed') THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN e.status IN ('registered', 'completed') AND EXISTS (SELECT 1 FROM "
        "empowerment_training_attendance a WHERE a.enrolment_id = e.id AND a.mark = 'present') THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END) FROM empowerment_trainings t JOIN "
        "empowerment_training_enrolments e ON e.training_id = t.id WHERE " +
            db::AreaScopeSql("t.commune_code", "sc") + " GROUP BY t.topic ORDER BY t.topic",
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), db::RowInt(r, 1), db::RowInt(r, 2), db::RowInt(r, 3)});
        });
    return out;
  });
}

Result<ActivityCount> FiguresStore::ActivitiesAtTwelveMonths(const ReadScope& scope) {
  return db::Guard([&]() -> Result<ActivityCount> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    ActivityCount out;
    db::EachRow(
        s.sql(),
        "SELECT COUNT(DISTINCT v.registration_id), COUNT(DISTINCT CASE WHEN v.activity_running = 1 THEN "
        "v.registration_id END) FROM empowerment_visits v JOIN empowerment_registrations r ON r.id = "
        "v.registration_id WHERE v.kind = 'monitoring' AND v.milestone_months = 12 AND " +
            db::AreaScopeSql("r.commune_code", "sc"),
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          out.monitored_at_12_months = db::RowInt(r, 0);
          out.running_at_12_months = db::RowInt(r, 1);
        });
    return out;
  });
}

Result<std::vector<StageCount>> FiguresStore::ApplicationsByStage(const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<StageCount>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<StageCount> out;
    db::EachRow(
        s.sql(),
        "SELECT a.commune_code, a.state, COUNT(*) FROM empowerment_applications a WHERE " +
            db::AreaScopeSql("a.commune_code", "sc") +
            " GROUP BY a.commune_code, a.state ORDER BY a.commune_code, a.state",
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), r.get<std::string>(1), db::RowInt(r, 2)});
        });
    return out;
  });
}

Result<std::vector<FundedAmount>> FiguresStore::FundedAmounts(const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<FundedAmount>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<FundedAmount> out;
    // One row per application first (its approved amount, its tranches agreed and paid), then summed by
    // commune and currency: summing the tranches in the outer join would repeat the approved amount.
    db::EachRow(
        s.sql(),
        std::string("SELECT x.commune_code, x.currency, SUM(x.approved), SUM(x.agreed), SUM(x.paid), "
                    "SUM(x.counted) FROM (SELECT a.commune_code AS commune_code, c.currency AS currency, "
                    "CASE WHEN a.state IN ") +
            kCommittedStates + " THEN COALESCE(a.approved_minor, 0) ELSE 0 END AS approved, CASE WHEN a.state IN " +
            kCommittedStates +
            " THEN 1 ELSE 0 END AS counted, (SELECT COALESCE(SUM(t.planned_minor), 0) FROM empowerment_tranches t "
            "WHERE t.application_id = a.id) AS agreed, (SELECT COALESCE(SUM(t.planned_minor), 0) FROM "
            "empowerment_tranches t WHERE t.application_id = a.id AND t.paid_on IS NOT NULL) AS paid FROM "
            "empowerment_applications a JOIN empowerment_calls c ON c.id = a.call_id WHERE " +
            db::AreaScopeSql("a.commune_code", "sc") +
            ") x GROUP BY x.commune_code, x.currency HAVING SUM(x.approved) > 0 OR SUM(x.agreed) > 0 "
            "ORDER BY x.commune_code, x.currency",
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), r.get<std::string>(1), db::RowInt(r, 2), db::RowInt(r, 3),
                         db::RowInt(r, 4), db::RowInt(r, 5)});
        });
    return out;
  });
}

Result<Figures> FiguresStore::All(const ReadScope& scope) {
  Figures f;
  auto women = WomenByStatusAndCommune(scope);
  if (!women) return std::unexpected(women.error());
  auto trainings = TrainingAttendanceByTopic(scope);
  if (!trainings) return std::unexpected(trainings.error());
  auto activities = ActivitiesAtTwelveMonths(scope);
  if (!activities) return std::unexpected(activities.error());
  auto applications = ApplicationsByStage(scope);
  if (!applications) return std::unexpected(applications.error());
  auto funded = FundedAmounts(scope);
  if (!funded) return std::unexpected(funded.error());
  f.women = std::move(*women);
  f.applications = std::move(*applications);
  f.funded = std::move(*funded);
  f.trainings = std::move(*trainings);
  f.activities = *activities;
  return f;
}

}  // namespace sanad::empowerment
