#include "empowerment/training_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::empowerment {
namespace {

using nlohmann::json;

constexpr const char* kTrainingColumns =
    "t.id, t.topic, t.title_ar, t.title_fr, t.title_en, t.trainers, t.capacity, t.commune_code, t.address, "
    "t.online_link, t.starts_at, t.ends_at, t.days, t.created_at, t.created_by, "
    "(SELECT COUNT(*) FROM empowerment_training_enrolments e WHERE e.training_id = t.id AND e.status IN "
    "('registered', 'completed')), "
    "(SELECT COUNT(*) FROM empowerment_training_enrolments e WHERE e.training_id = t.id AND e.status = 'waiting'), "
    "(SELECT COUNT(*) FROM empowerment_training_enrolments e WHERE e.training_id = t.id AND e.status = 'completed') ";

std::vector<std::string> Strings(const std::string& text) {
  std::vector<std::string> out;
  const auto j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

TrainingRow ReadTrainingRow(const soci::row& row) {
  TrainingRow r;
  r.id = db::RowInt(row, 0);
  Training& t = r.training;
  t.topic = row.get<std::string>(1);
  t.title_ar = row.get<std::string>(2);
  t.title_fr = row.get<std::string>(3);
  t.title_en = db::RowOptStr(row, 4);
  const auto trainers = json::parse(row.get<std::string>(5), nullptr, false);
  if (trainers.is_array()) {
    for (const auto& tr : trainers) {
      Trainer x;
      x.name = tr.value("name", "");
      if (tr.contains("username") && tr["username"].is_string()) x.username = tr["username"].get<std::string>();
      t.trainers.push_back(std::move(x));
    }
  }
  t.capacity = db::RowInt(row, 6);
  t.commune_code = row.get<std::string>(7);
  t.address = db::RowOptStr(row, 8);
  t.online_link = db::RowOptStr(row, 9);
  t.starts_at = row.get<std::string>(10);
  t.ends_at = row.get<std::string>(11);
  t.days = Strings(row.get<std::string>(12));
  r.created_at = row.get<std::string>(13);
  r.created_by = row.get<std::string>(14);
  r.registered = db::RowInt(row, 15);
  r.waiting = db::RowInt(row, 16);
  r.completed = db::RowInt(row, 17);
  return r;
}

std::optional<TrainingRow> LoadTraining(soci::session& sql, std::int64_t id, const ReadScope& scope) {
  long long tid = id;
  db::AreaScope sc{scope.area, scope.day};
  std::optional<TrainingRow> out;
  db::EachRow(
      sql,
      std::string("SELECT ") + kTrainingColumns + "FROM empowerment_trainings t WHERE t.id = :id AND " +
          db::AreaScopeSql("t.commune_code", "sc"),
      [&](soci::statement& st) {
        st.exchange(soci::use(tid));
        sc.Bind(st);
      },
      [&](const soci::row& r) { out = ReadTrainingRow(r); });
  return out;
}

// The session's row locked for the rest of the transaction, then read within scope. SQLite's write
// transactions are already serialised (BEGIN IMMEDIATE).
Result<TrainingRow> LockTraining(db::Session& s, std::int64_t id, const ReadScope& scope) {
  if (s.dialect() == db::Dialect::kPostgres) {
    long long tid = id, got = 0;
    s.sql() << "SELECT id FROM empowerment_trainings WHERE id = :id FOR UPDATE", soci::use(tid), soci::into(got);
  }
  auto t = LoadTraining(s.sql(), id, scope);
  if (!t) return Failure(Code::kNotFound, "empowerment.training_not_found", {{"id", std::to_string(id)}}, "id");
  return std::move(*t);
}

struct Enrolment {
  long long id = 0;
  std::string status;
};

std::optional<Enrolment> FindEnrolment(soci::session& sql, std::int64_t training_id, std::int64_t registration_id) {
  long long t = training_id, r = registration_id;
  std::optional<Enrolment> out;
  db::EachRow(
      sql, "SELECT id, status FROM empowerment_training_enrolments WHERE training_id = :t AND registration_id = :r",
      [&](soci::statement& st) {
        st.exchange(soci::use(t));
        st.exchange(soci::use(r));
      },
      [&](const soci::row& row) {
        out = Enrolment{db::RowInt(row, 0), row.get<std::string>(1)};
      });
  return out;
}

bool HoldsSeat(const std::string& status) { return status == "registered" || status == "completed"; }

}  // namespace

Result<std::int64_t> TrainingStore::Create(const Training& t, const ReadScope& scope, const std::string& now,
                                           const std::string& by) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    db::AreaScope sc{scope.area, scope.day};
    const long long communes = db::CountRows(
        s.sql(),
        "SELECT COUNT(*) FROM areas a WHERE a.code = :c AND a.level = 'commune' AND a.valid_from <= :d AND "
        "a.valid_to > :d2 AND " +
            db::AreaScopeSql("a.code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(t.commune_code));
          st.exchange(soci::use(scope.day));
          st.exchange(soci::use(scope.day));
          sc.Bind(st);
        });
    if (communes == 0) {
      return Failure(Code::kFailedPrecondition, "field.not_a_commune",
                     {{"field", "commune_code"}, {"value", t.commune_code}}, "commune_code");
    }
    // A trainer named with a staff account must name an active one.
    for (std::size_t i = 0; i < t.trainers.size(); ++i) {
      if (!t.trainers[i].username) continue;
      const long long accounts =
          db::CountRows(s.sql(), "SELECT COUNT(*) FROM users WHERE username = :u AND active = 1",
                        [&](soci::statement& st) { st.exchange(soci::use(*t.trainers[i].username)); });
      if (accounts == 0) {
        const std::string field = "trainers[" + std::to_string(i) + "].username";
        return Failure(Code::kFailedPrecondition, "empowerment.trainer_unknown", {{"value", *t.trainers[i].username}},
                       field);
      }
    }
    json trainers = json::array();
    for (const auto& tr : t.trainers) {
      json j{{"name", tr.name}};
      if (tr.username) j["username"] = *tr.username;
      trainers.push_back(std::move(j));
    }
    const std::string trainers_text = trainers.dump(), days = json(t.days).dump();
    const long long capacity = t.capacity;
    long long id = 0;
    s.sql() << "INSERT INTO empowerment_trainings (topic, title_ar, title_fr, title_en, trainers, capacity, "
               "commune_code, address, online_link, starts_at, ends_at, days, created_at, created_by) VALUES (:tp, "
               ":ta, :tf, :te, :tr, :ca, :cc, :ad, :ol, :sa, :ea, :dy, :at, :by) RETURNING id",
        soci::use(t.topic), soci::use(t.title_ar), soci::use(t.title_fr), soci::use(t.title_en),
        soci::use(trainers_text), soci::use(capacity), soci::use(t.commune_code), soci::use(t.address),
        soci::use(t.online_link), soci::use(t.starts_at), soci::use(t.ends_at), soci::use(days), soci::use(now),
        soci::use(by), soci::into(id);
    return static_cast<std::int64_t>(id);
  });
}

Result<std::vector<TrainingRow>> TrainingStore::List(const ReadScope& scope, const TrainingFilter& filter) {
  return db::Guard([&]() -> Result<std::vector<TrainingRow>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    // starts_at is UTC: a session starting before 01:00 Casablanca time on `from` is still listed from
    // the day before; a day's margin is enough for a calendar.
    std::vector<TrainingRow> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kTrainingColumns + "FROM empowerment_trainings t WHERE " +
            db::AreaScopeSql("t.commune_code", "sc") +
            " AND (CAST(:f1 AS TEXT) IS NULL OR t.starts_at >= :f2) AND (CAST(:u1 AS TEXT) IS NULL OR t.starts_at < "
            ":u2) AND (CAST(:p1 AS TEXT) IS NULL OR t.topic = :p2) ORDER BY t.starts_at, t.id LIMIT 500",
        [&](soci::statement& st) {
          sc.Bind(st);
          st.exchange(soci::use(filter.from));
          st.exchange(soci::use(filter.from));
          st.exchange(soci::use(filter.to));
          st.exchange(soci::use(filter.to));
          st.exchange(soci::use(filter.topic));
          st.exchange(soci::use(filter.topic));
        },
        [&](const soci::row& r) { out.push_back(ReadTrainingRow(r)); });
    return out;
  });
}

Result<std::optional<TrainingRow>> TrainingStore::Get(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<TrainingRow>> {
    auto s = db_.Acquire();
    return LoadTraining(s.sql(), id, scope);
  });
}

Result<std::vector<EnrolmentRow>> TrainingStore::Enrolments(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<EnrolmentRow>> {
    auto s = db_.Acquire();
    if (!LoadTraining(s.sql(), id, scope)) return std::vector<EnrolmentRow>{};
    long long tid = id, tid2 = id;
    std::vector<EnrolmentRow> out;
    db::EachRow(
        s.sql(),
        "SELECT e.id, e.registration_id, e.status, e.enrolled_at, e.cancelled_at, e.completed_on, "
        "COALESCE(r.given_name_ar, r.given_name_lat), COALESCE(r.family_name_ar, r.family_name_lat) FROM "
        "empowerment_training_enrolments e JOIN empowerment_registrations r ON r.id = e.registration_id WHERE "
        "e.training_id = :t ORDER BY e.enrolled_at, e.id",
        [&](soci::statement& st) { st.exchange(soci::use(tid)); },
        [&](const soci::row& r) {
          EnrolmentRow e;
          e.id = db::RowInt(r, 0);
          e.registration_id = db::RowInt(r, 1);
          e.status = r.get<std::string>(2);
          e.enrolled_at = r.get<std::string>(3);
          e.cancelled_at = db::RowOptStr(r, 4);
          e.completed_on = db::RowOptStr(r, 5);
          e.given_name = db::RowOptStr(r, 6).value_or("");
          e.family_name = db::RowOptStr(r, 7).value_or("");
          out.push_back(std::move(e));
        });
    db::EachRow(
        s.sql(),
        "SELECT a.enrolment_id, a.day, a.mark FROM empowerment_training_attendance a JOIN "
        "empowerment_training_enrolments e ON e.id = a.enrolment_id WHERE e.training_id = :t",
        [&](soci::statement& st) { st.exchange(soci::use(tid2)); },
        [&](const soci::row& r) {
          const long long eid = db::RowInt(r, 0);
          auto it = std::find_if(out.begin(), out.end(), [eid](const EnrolmentRow& e) { return e.id == eid; });
          if (it != out.end()) it->marks[r.get<std::string>(1)] = r.get<std::string>(2);
        });
    return out;
  });
}

Result<std::string> TrainingStore::Enrol(std::int64_t training_id, std::int64_t registration_id, const ReadScope& scope,
                                         const std::string& now, const std::string& by) {
  return db_.InTransaction<std::string>([&](db::Session& s) -> Result<std::string> {
    auto t = LockTraining(s, training_id, scope);
    if (!t) return std::unexpected(t.error());
    auto& sql = s.sql();
    long long rid = registration_id;
    db::AreaScope sc{scope.area, scope.day};
    const long long women = db::CountRows(sql,
                                          "SELECT COUNT(*) FROM empowerment_registrations r WHERE r.id = :id AND " +
                                              db::AreaScopeSql("r.commune_code", "sc"),
                                          [&](soci::statement& st) {
                                            st.exchange(soci::use(rid));
                                            sc.Bind(st);
                                          });
    if (women == 0) {
      return Failure(Code::kNotFound, "empowerment.registration_not_found", {{"id", std::to_string(rid)}},
                     "registration_id");
    }
    const auto existing = FindEnrolment(sql, training_id, registration_id);
    if (existing && existing->status != "cancelled") {
      return Failure(Code::kConflict, "empowerment.already_enrolled", {{"status", existing->status}},
                     "registration_id");
    }
    // The check and the take under the session's lock: the seats held are counted afresh.
    const std::string status = t->registered < t->training.capacity ? "registered" : "waiting";
    long long tid = training_id;
    if (existing) {
      long long eid = existing->id;
      sql << "UPDATE empowerment_training_enrolments SET status = :s, enrolled_at = :at, enrolled_by = :by, "
             "cancelled_at = NULL, completed_on = NULL WHERE id = :id",
          soci::use(status), soci::use(now), soci::use(by), soci::use(eid);
    } else {
      sql << "INSERT INTO empowerment_training_enrolments (training_id, registration_id, status, enrolled_at, "
             "enrolled_by) VALUES (:t, :r, :s, :at, :by)",
          soci::use(tid), soci::use(rid), soci::use(status), soci::use(now), soci::use(by);
    }
    return status;
  });
}

Result<std::optional<std::int64_t>> TrainingStore::Cancel(std::int64_t training_id, std::int64_t registration_id,
                                                          const ReadScope& scope, const std::string& now) {
  using Out = std::optional<std::int64_t>;
  return db_.InTransaction<Out>([&](db::Session& s) -> Result<Out> {
    auto t = LockTraining(s, training_id, scope);
    if (!t) return std::unexpected(t.error());
    auto& sql = s.sql();
    const auto e = FindEnrolment(sql, training_id, registration_id);
    if (!e || e->status == "cancelled") {
      return Failure(Code::kNotFound, "empowerment.not_enrolled", {{"id", std::to_string(registration_id)}},
                     "registration_id");
    }
    if (e->status == "completed") {
      return Failure(Code::kConflict, "empowerment.enrolment_completed", {}, "registration_id");
    }
    long long eid = e->id;
    sql << "UPDATE empowerment_training_enrolments SET status = 'cancelled', cancelled_at = :at WHERE id = :id",
        soci::use(now), soci::use(eid);
    if (!HoldsSeat(e->status)) return Out{};
    long long tid = training_id;
    Out promoted;
    long long next_id = 0;
    db::EachRow(
        sql,
        "SELECT id, registration_id FROM empowerment_training_enrolments WHERE training_id = :t AND status = "
        "'waiting' ORDER BY enrolled_at, id LIMIT 1",
        [&](soci::statement& st) { st.exchange(soci::use(tid)); },
        [&](const soci::row& r) {
          next_id = db::RowInt(r, 0);
          promoted = db::RowInt(r, 1);
        });
    if (promoted) {
      sql << "UPDATE empowerment_training_enrolments SET status = 'registered' WHERE id = :id", soci::use(next_id);
    }
    return promoted;
  });
}

Status TrainingStore::RecordAttendance(std::int64_t training_id, const ReadScope& scope, const std::string& day,
                                       const std::vector<AttendanceMark>& marks, const std::string& now,
                                       const std::string& by) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto t = LockTraining(s, training_id, scope);
    if (!t) return std::unexpected(t.error());
    const auto& days = t->training.days;
    if (std::find(days.begin(), days.end(), day) == days.end()) {
      return Failure(Code::kFailedPrecondition, "empowerment.not_a_session_day", {{"value", day}}, "day");
    }
    auto& sql = s.sql();
    std::vector<long long> enrolments;
    for (std::size_t i = 0; i < marks.size(); ++i) {
      const auto e = FindEnrolment(sql, training_id, marks[i].registration_id);
      if (!e || !HoldsSeat(e->status)) {
        return Failure(Code::kFailedPrecondition, "empowerment.not_enrolled",
                       {{"id", std::to_string(marks[i].registration_id)}},
                       "marks[" + std::to_string(i) + "].registration_id");
      }
      enrolments.push_back(e->id);
    }
    for (std::size_t i = 0; i < marks.size(); ++i) {
      long long eid = enrolments[i];
      sql << "DELETE FROM empowerment_training_attendance WHERE enrolment_id = :e AND day = :d", soci::use(eid),
          soci::use(day);
      sql << "INSERT INTO empowerment_training_attendance (enrolment_id, day, mark, recorded_at, recorded_by) "
             "VALUES (:e, :d, :m, :at, :by)",
          soci::use(eid), soci::use(day), soci::use(marks[i].mark), soci::use(now), soci::use(by);
      // The completion rule over all her marks, so that a corrected day can also undo a completion.
      std::map<std::string, std::string> hers;
      db::EachRow(
          sql, "SELECT day, mark FROM empowerment_training_attendance WHERE enrolment_id = :e",
          [&](soci::statement& st) { st.exchange(soci::use(eid)); },
          [&](const soci::row& r) { hers[r.get<std::string>(0)] = r.get<std::string>(1); });
      const std::optional<std::string> completed = CompletionDay(days, hers);
      const std::string status = completed ? "completed" : "registered";
      sql << "UPDATE empowerment_training_enrolments SET status = :s, completed_on = :c WHERE id = :e",
          soci::use(status), soci::use(completed), soci::use(eid);
    }
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<std::optional<CertificateSubject>> TrainingStore::Subject(std::int64_t training_id, std::int64_t registration_id,
                                                                 const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<CertificateSubject>> {
    auto s = db_.Acquire();
    auto t = LoadTraining(s.sql(), training_id, scope);
    if (!t) return std::optional<CertificateSubject>{};
    long long tid = training_id, rid = registration_id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<CertificateSubject> out;
    db::EachRow(
        s.sql(),
        "SELECT e.id, e.status, e.completed_on, r.given_name_ar, r.family_name_ar, r.given_name_lat, "
        "r.family_name_lat FROM empowerment_training_enrolments e JOIN empowerment_registrations r ON r.id = "
        "e.registration_id WHERE e.training_id = :t AND e.registration_id = :r AND " +
            db::AreaScopeSql("r.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(tid));
          st.exchange(soci::use(rid));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          CertificateSubject c;
          c.enrolment_id = db::RowInt(r, 0);
          c.status = r.get<std::string>(1);
          c.completed_on = db::RowOptStr(r, 2);
          c.given_ar = db::RowOptStr(r, 3);
          c.family_ar = db::RowOptStr(r, 4);
          c.given_lat = db::RowOptStr(r, 5);
          c.family_lat = db::RowOptStr(r, 6);
          c.training = *t;
          out = std::move(c);
        });
    return out;
  });
}

Status TrainingStore::AddCertificate(std::int64_t enrolment_id, const std::string& code_hash, const std::string& lang,
                                     const std::string& now, const std::string& by) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    long long eid = enrolment_id;
    s.sql() << "INSERT INTO empowerment_certificates (enrolment_id, code_hash, lang, issued_at, issued_by) VALUES "
               "(:e, :h, :l, :at, :by)",
        soci::use(eid), soci::use(code_hash), soci::use(lang), soci::use(now), soci::use(by);
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<std::optional<PublicCertificate>> TrainingStore::FindCertificate(const std::string& code_hash) {
  return db::Guard([&]() -> Result<std::optional<PublicCertificate>> {
    auto s = db_.Acquire();
    std::optional<PublicCertificate> out;
    db::EachRow(
        s.sql(),
        "SELECT t.topic, t.title_ar, t.title_fr, t.title_en, t.days, e.completed_on, c.issued_at, "
        "COALESCE(r.given_name_ar, r.given_name_lat), COALESCE(r.family_name_ar, r.family_name_lat) FROM "
        "empowerment_certificates c JOIN empowerment_training_enrolments e ON e.id = c.enrolment_id JOIN "
        "empowerment_trainings t ON t.id = e.training_id JOIN empowerment_registrations r ON r.id = "
        "e.registration_id WHERE c.code_hash = :h AND e.status = 'completed'",
        [&](soci::statement& st) { st.exchange(soci::use(code_hash)); },
        [&](const soci::row& r) {
          PublicCertificate p;
          p.topic = r.get<std::string>(0);
          p.title_ar = r.get<std::string>(1);
          p.title_fr = r.get<std::string>(2);
          p.title_en = db::RowOptStr(r, 3);
          const auto days = Strings(r.get<std::string>(4));
          if (!days.empty()) {
            p.first_day = days.front();
            p.last_day = days.back();
          }
          p.completed_on = db::RowOptStr(r, 5).value_or("");
          p.issued_at = r.get<std::string>(6);
          p.initials = Initials(db::RowOptStr(r, 7).value_or(""), db::RowOptStr(r, 8).value_or(""));
          out = std::move(p);
        });
    return out;
  });
}

Result<bool> TrainingStore::HasCompletedTraining(std::int64_t registration_id, const std::string& topic,
                                                 const std::string& day) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long rid = registration_id;
    return db::CountRows(s.sql(),
                         "SELECT COUNT(*) FROM empowerment_training_enrolments e JOIN empowerment_trainings t ON "
                         "t.id = e.training_id WHERE e.registration_id = :r AND e.status = 'completed' AND "
                         "t.topic = :t AND e.completed_on <= :d",
                         [&](soci::statement& st) {
                           st.exchange(soci::use(rid));
                           st.exchange(soci::use(topic));
                           st.exchange(soci::use(day));
                         }) > 0;
  });
}

Result<std::vector<HerTraining>> TrainingStore::OfRegistration(std::int64_t registration_id) {
  return db::Guard([&]() -> Result<std::vector<HerTraining>> {
    auto s = db_.Acquire();
    long long rid = registration_id;
    std::vector<HerTraining> out;
    db::EachRow(
        s.sql(),
        "SELECT t.id, t.topic, t.title_ar, t.title_fr, t.starts_at, t.ends_at, e.status, e.completed_on, (SELECT "
        "COUNT(*) FROM empowerment_training_attendance a WHERE a.enrolment_id = e.id AND a.mark = 'present'), "
        "(SELECT COUNT(*) FROM empowerment_certificates c WHERE c.enrolment_id = e.id) FROM "
        "empowerment_training_enrolments e JOIN empowerment_trainings t ON t.id = e.training_id WHERE "
        "e.registration_id = :r ORDER BY t.starts_at DESC, t.id DESC",
        [&](soci::statement& st) { st.exchange(soci::use(rid)); },
        [&](const soci::row& r) {
          HerTraining h;
          h.training_id = db::RowInt(r, 0);
          h.topic = r.get<std::string>(1);
          h.title_ar = r.get<std::string>(2);
          h.title_fr = r.get<std::string>(3);
          h.starts_at = r.get<std::string>(4);
          h.ends_at = r.get<std::string>(5);
          h.status = r.get<std::string>(6);
          if (r.get_indicator(7) != soci::i_null) h.completed_on = r.get<std::string>(7);
          h.days_present = db::RowInt(r, 8);
          h.certificates = db::RowInt(r, 9);
          out.push_back(std::move(h));
        });
    return out;
  });
}

}  // namespace sanad::empowerment
