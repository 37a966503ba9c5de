#include "microcredit/microcredit_store.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "db/area_scope.h"
#include "db/row.h"
#include "registry/benefit_store.h"
#include "registry/records.h"

namespace sanad::microcredit {
namespace {

constexpr const char* kApplicationColumns =
    "a.id, a.person_id, a.commune_code, a.wilaya_code, a.product, a.amount_minor, a.applied_on, a.activity, a.state, "
    "a.reasons, a.training_required, a.training_sessions, a.training_completed, a.decision_minutes, a.decided_by, "
    "a.decided_at, a.created_by, a.created_at";

Application ReadApplication(const soci::row& r) {
  Application a;
  a.id = db::RowInt(r, 0);
  a.person_id = db::RowInt(r, 1);
  a.commune_code = db::RowStr(r, 2);
  a.wilaya_code = db::RowStr(r, 3);
  a.product = db::RowStr(r, 4);
  a.amount_minor = db::RowInt(r, 5);
  a.applied_on = db::RowStr(r, 6);
  a.activity = db::RowStr(r, 7);
  a.state = db::RowStr(r, 8);
  a.reasons = ReasonsFromJson(db::RowStr(r, 9));
  a.training_required = db::RowInt(r, 10) != 0;
  a.training_sessions = db::RowInt(r, 11);
  a.training_completed = db::RowInt(r, 12) != 0;
  a.decision_minutes = db::RowOptStr(r, 13);
  a.decided_by = db::RowOptStr(r, 14);
  a.decided_at = db::RowOptStr(r, 15);
  a.created_by = db::RowStr(r, 16);
  a.created_at = db::RowStr(r, 17);
  return a;
}

// "(:p0, :p1, …)" for an IN list of `n` values bound in order.
std::string InList(std::size_t n, std::string_view tag) {
  std::string s = "(";
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{}:{}{}", i ? ", " : "", tag, i);
  return s + ")";
}

}  // namespace

std::string ReasonsToJson(const std::vector<ReasonRow>& reasons) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& x : reasons) {
    nlohmann::json p = nlohmann::json::object();
    for (const auto& [k, v] : x.params) p[k] = v;
    a.push_back({{"reason", x.reason}, {"params", p}});
  }
  return a.dump();
}

std::vector<ReasonRow> ReasonsFromJson(const std::string& text) {
  std::vector<ReasonRow> out;
  const auto a = nlohmann::json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& x : a) {
    ReasonRow r;
    r.reason = x.value("reason", "");
    if (x.contains("params")) {
      for (const auto& [k, v] : x["params"].items()) r.params.emplace_back(k, v.get<std::string>());
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::optional<Applicant>> MicrocreditStore::ApplicantOf(std::int64_t person_id, const std::string& day,
                                                               const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<Applicant>> {
    auto s = db_.Acquire();
    long long id = person_id;
    db::AreaScope sc{scope.area, scope.day};
    std::string d1 = day, d2 = day;
    std::optional<Applicant> out;
    db::EachRow(
        s.sql(),
        "SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.father_name_ar, p.sex, "
        "p.birth_date, p.national_id, p.status, h.commune_code, (SELECT ap.parent_code FROM area_parents ap WHERE "
        "ap.code = h.commune_code AND ap.valid_from <= :d1 AND ap.valid_to > :d2) "
        "FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id = :id AND " +
            db::AreaScopeSql("h.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(d1));
          st.exchange(soci::use(d2));
          st.exchange(soci::use(id));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          Applicant a;
          a.person.person_id = db::RowInt(r, 0);
          a.person.given_name_ar = db::RowStr(r, 1);
          a.person.family_name_ar = db::RowStr(r, 2);
          a.person.given_name_lat = db::RowStr(r, 3);
          a.person.family_name_lat = db::RowStr(r, 4);
          a.person.father_name_ar = db::RowStr(r, 5);
          a.person.sex = db::RowStr(r, 6);
          a.person.birth_date = db::RowStr(r, 7);
          a.person.national_id = db::RowStr(r, 8);
          a.status = db::RowStr(r, 9);
          a.commune_code = db::RowStr(r, 10);
          a.wilaya_code = db::RowStr(r, 11);
          out = std::move(a);
        });
    return out;
  });
}

Result<std::vector<PersonForMatch>> MicrocreditStore::EarlierBorrowerCandidates(
    std::int64_t person_id, const std::string& birth_date, const std::string& national_id,
    const std::vector<std::string>& programmes) {
  return db::Guard([&]() -> Result<std::vector<PersonForMatch>> {
    auto s = db_.Acquire();
    long long id = person_id;
    // Born within a year either side (the linkage comparison then decides), or the same national id.
    const int year = birth_date.size() >= 4 ? std::stoi(birth_date.substr(0, 4)) : 0;
    std::string from = fmt::format("{:04d}-01-01", year > 0 ? year - 1 : 0);
    std::string to = fmt::format("{:04d}-12-31", year > 0 ? year + 1 : 9999);
    std::optional<std::string> nid = national_id.empty() ? std::nullopt : std::optional<std::string>(national_id);
    std::vector<std::string> progs = programmes;
    std::vector<PersonForMatch> out;
    db::EachRow(
        s.sql(),
        "SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.father_name_ar, p.sex, "
        "p.birth_date, p.national_id FROM persons p WHERE p.id <> :id AND ((p.birth_date >= :f AND p.birth_date <= :t) "
        "OR p.national_id = :n) AND (EXISTS (SELECT 1 FROM microcredit_loans l WHERE l.person_id = p.id AND l.state <> "
        "'closed') OR EXISTS (SELECT 1 FROM benefits b WHERE b.person_id = p.id AND b.programme IN " +
            InList(progs.size(), "pg") + "))",
        [&](soci::statement& st) {
          st.exchange(soci::use(id));
          st.exchange(soci::use(from));
          st.exchange(soci::use(to));
          st.exchange(soci::use(nid));
          for (auto& p : progs) st.exchange(soci::use(p));
        },
        [&](const soci::row& r) {
          PersonForMatch p;
          p.person_id = db::RowInt(r, 0);
          p.given_name_ar = db::RowStr(r, 1);
          p.family_name_ar = db::RowStr(r, 2);
          p.given_name_lat = db::RowStr(r, 3);
          p.family_name_lat = db::RowStr(r, 4);
          p.father_name_ar = db::RowStr(r, 5);
          p.sex = db::RowStr(r, 6);
          p.birth_date = db::RowStr(r, 7);
          p.national_id = db::RowStr(r, 8);
          out.push_back(std::move(p));
        });
    return out;
  });
}

Result<std::vector<EarlierAid>> MicrocreditStore::EarlierAidOf(const std::vector<std::int64_t>& persons,
                                                               const std::vector<std::string>& programmes) {
  return db::Guard([&]() -> Result<std::vector<EarlierAid>> {
    std::vector<EarlierAid> out;
    if (persons.empty()) return out;
    auto s = db_.Acquire();
    std::vector<long long> ids(persons.begin(), persons.end());
    std::vector<long long> ids2 = ids;
    std::vector<std::string> progs = programmes;
    db::EachRow(
        s.sql(),
        "SELECT person_id, 'loan', state, disbursed_on, id FROM microcredit_loans WHERE state <> 'closed' AND "
        "person_id "
        "IN " +
            InList(ids.size(), "a") +
            " UNION ALL SELECT person_id, 'benefit', programme, benefit_date, id FROM benefits WHERE source <> "
            "'microcredit' AND person_id IN " +
            InList(ids2.size(), "b") + " AND programme IN " + InList(progs.size(), "pg") + " ORDER BY 4, 5",
        [&](soci::statement& st) {
          for (auto& i : ids) st.exchange(soci::use(i));
          for (auto& i : ids2) st.exchange(soci::use(i));
          for (auto& p : progs) st.exchange(soci::use(p));
        },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), db::RowStr(r, 1), db::RowStr(r, 2), db::RowStr(r, 3), db::RowInt(r, 4)});
        });
    return out;
  });
}

Status MicrocreditStore::SetQuota(std::int64_t year, const std::string& area, std::int64_t projects,
                                  const std::string& now, const std::string& by) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long y = year, p = projects;
    s.sql() << "INSERT INTO microcredit_quotas (year, area_code, projects, updated_at, updated_by) VALUES (:y, :a, :p, "
               ":t, :b) ON CONFLICT (year, area_code) DO UPDATE SET projects = excluded.projects, updated_at = "
               "excluded.updated_at, updated_by = excluded.updated_by",
        soci::use(y), soci::use(area), soci::use(p), soci::use(now), soci::use(by);
    return Ok();
  });
}

namespace {

Application InsertApplicationIn(soci::session& sql, const Application& a) {
  long long id = 0, person = a.person_id, amount = a.amount_minor, training = a.training_required ? 1 : 0;
  const std::string reasons = ReasonsToJson(a.reasons);
  sql << "INSERT INTO microcredit_applications (person_id, commune_code, wilaya_code, product, amount_minor, "
         "applied_on, activity, state, reasons, training_required, created_by, created_at) VALUES (:p, :c, :w, "
         ":pr, :a, :d, :ac, :s, :r, :tr, :by, :at) RETURNING id",
      soci::use(person), soci::use(a.commune_code), soci::use(a.wilaya_code), soci::use(a.product), soci::use(amount),
      soci::use(a.applied_on), soci::use(a.activity), soci::use(a.state), soci::use(reasons), soci::use(training),
      soci::use(a.created_by), soci::use(a.created_at), soci::into(id);
  Application out = a;
  out.id = id;
  return out;
}

}  // namespace

Result<Application> MicrocreditStore::InsertApplication(const Application& a) {
  return db::Guard([&]() -> Result<Application> {
    auto s = db_.Acquire();
    return InsertApplicationIn(s.sql(), a);
  });
}

Result<Application> MicrocreditStore::InsertWithinQuotas(const Application& in, std::int64_t year) {
  return db_.InTransaction<Application>([&](db::Session& s) -> Result<Application> {
    Application a = in;
    const std::string from = fmt::format("{:04d}-01-01", year), to = fmt::format("{:04d}-12-31", year);
    for (const auto& [column, area] : {std::pair<std::string, std::string>{"wilaya_code", a.wilaya_code},
                                       std::pair<std::string, std::string>{"commune_code", a.commune_code}}) {
      long long y = year;
      std::string ar = area;
      // The check and the take are one: this write takes the quota row's lock (PostgreSQL; SQLite's
      // BEGIN IMMEDIATE serialises every writer already), so a second application for the last place
      // waits here and then counts the first one.
      soci::statement lock = (s.sql().prepare << "UPDATE microcredit_quotas SET projects = projects WHERE year = :y "
                                                 "AND area_code = :a",
                              soci::use(y), soci::use(ar));
      lock.execute(true);
      if (lock.get_affected_rows() == 0) continue;  // no quota for this area and year
      long long projects = 0;
      s.sql() << "SELECT projects FROM microcredit_quotas WHERE year = :y AND area_code = :a", soci::use(y),
          soci::use(ar), soci::into(projects);
      std::string f = from, t = to, area_value = area;
      const long long counted = db::CountRows(
          s.sql(),
          "SELECT COUNT(*) FROM microcredit_applications WHERE " + column +
              " = :a AND applied_on >= :f AND applied_on <= :t AND state IN ('submitted', 'approved', 'disbursed')",
          [&](soci::statement& st) {
            st.exchange(soci::use(area_value));
            st.exchange(soci::use(f));
            st.exchange(soci::use(t));
          });
      if (counted >= projects) {
        a.state = "waiting_quota";
        a.reasons.push_back({"microcredit.reason.quota_reached",
                             {{"area", area}, {"year", std::to_string(year)}, {"quota", std::to_string(projects)}}});
        break;
      }
    }
    return InsertApplicationIn(s.sql(), a);
  });
}

Result<std::optional<Application>> MicrocreditStore::GetApplication(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<Application>> {
    auto s = db_.Acquire();
    long long i = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<Application> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kApplicationColumns + " FROM microcredit_applications a WHERE a.id = :i AND " +
            db::AreaScopeSql("a.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(i));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out = ReadApplication(r); });
    return out;
  });
}

Result<std::vector<Application>> MicrocreditStore::ListApplications(const Scope& scope,
                                                                    const std::optional<std::string>& state, int limit,
                                                                    int offset) {
  return db::Guard([&]() -> Result<std::vector<Application>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::optional<std::string> st1 = state, st2 = state;
    std::vector<Application> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kApplicationColumns +
            " FROM microcredit_applications a WHERE (CAST(:s1 AS TEXT) IS NULL OR a.state = :s2) AND " +
            db::AreaScopeSql("a.commune_code", "sc") +
            fmt::format(" ORDER BY a.id DESC LIMIT {} OFFSET {}", limit, offset),
        [&](soci::statement& st) {
          st.exchange(soci::use(st1));
          st.exchange(soci::use(st2));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out.push_back(ReadApplication(r)); });
    return out;
  });
}

Result<bool> MicrocreditStore::SetTraining(std::int64_t id, std::int64_t sessions, bool completed) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long i = id, n = sessions, c = completed ? 1 : 0;
    soci::statement st = (s.sql().prepare << "UPDATE microcredit_applications SET training_sessions = :n, "
                                             "training_completed = :c WHERE id = :i AND state = 'submitted'",
                          soci::use(n), soci::use(c), soci::use(i));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Status MicrocreditStore::UpsertScore(std::int64_t application_id, const Score& sc) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long a = application_id, v = sc.score;
    s.sql() << "INSERT INTO microcredit_scores (application_id, member, score, comment, scored_at) VALUES (:a, :m, :s, "
               ":c, :t) ON CONFLICT (application_id, member) DO UPDATE SET score = excluded.score, comment = "
               "excluded.comment, scored_at = excluded.scored_at",
        soci::use(a), soci::use(sc.member), soci::use(v), soci::use(sc.comment), soci::use(sc.scored_at);
    return Ok();
  });
}

Result<std::vector<Score>> MicrocreditStore::Scores(std::int64_t application_id) {
  return db::Guard([&]() -> Result<std::vector<Score>> {
    auto s = db_.Acquire();
    long long a = application_id;
    std::vector<Score> out;
    db::EachRow(
        s.sql(),
        "SELECT member, score, comment, scored_at FROM microcredit_scores WHERE application_id = :a ORDER BY member",
        [&](soci::statement& st) { st.exchange(soci::use(a)); },
        [&](const soci::row& r) {
          out.push_back({db::RowStr(r, 0), db::RowInt(r, 1), db::RowStr(r, 2), db::RowStr(r, 3)});
        });
    return out;
  });
}

Result<bool> MicrocreditStore::Decide(std::int64_t id, const std::string& from, const std::string& to,
                                      const std::string& minutes, const std::string& by, const std::string& at) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long i = id;
    soci::statement st =
        (s.sql().prepare << "UPDATE microcredit_applications SET state = :to, decision_minutes = :m, "
                            "decided_by = :b, decided_at = :t WHERE id = :i AND state = :f",
         soci::use(to), soci::use(minutes), soci::use(by), soci::use(at), soci::use(i), soci::use(from));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Result<std::vector<std::int64_t>> MicrocreditStore::Disburse(const Application& a, const std::vector<NewLoan>& loans,
                                                             const std::string& disbursed_on,
                                                             const std::optional<std::string>& sex,
                                                             const std::string& now, const std::string& by) {
  return db_.InTransaction<std::vector<std::int64_t>>([&](db::Session& s) -> Result<std::vector<std::int64_t>> {
    long long app = a.id;
    soci::statement st = (s.sql().prepare << "UPDATE microcredit_applications SET state = 'disbursed' WHERE id = :i "
                                             "AND state = 'approved'",
                          soci::use(app));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return Failure(Code::kConflict, "microcredit.not_approved", {{"id", std::to_string(a.id)}}, "id");
    }
    std::vector<std::int64_t> ids;
    registry::BenefitStore ledger(db_);
    for (const auto& l : loans) {
      long long id = 0, person = a.person_id, principal = l.principal_minor;
      s.sql()
          << "INSERT INTO microcredit_loans (application_id, person_id, product, lender, principal_minor, currency, "
             "disbursed_on, commune_code, wilaya_code, sex, state, created_by, created_at) VALUES (:a, :p, :pr, :l, "
             ":m, 'DZD', :d, :c, :w, :s, 'active', :by, :at) RETURNING id",
          soci::use(app), soci::use(person), soci::use(a.product), soci::use(l.lender), soci::use(principal),
          soci::use(disbursed_on), soci::use(a.commune_code), soci::use(a.wilaya_code), soci::use(sex), soci::use(by),
          soci::use(now), soci::into(id);
      WriteSchedule(s, id, l.instalments);
      registry::BenefitRow b;
      b.person_id = a.person_id;
      b.programme = "ANGEM";
      b.kind = "cash";
      b.benefit_date = disbursed_on;
      b.amount_minor = l.principal_minor;
      b.currency = "DZD";
      b.reference = fmt::format("microcredit-loan-{}", id);
      b.source = "microcredit";
      b.recorded_at = now;
      b.recorded_by = by;
      ledger.InsertBenefit(s, b);
      ids.push_back(id);
    }
    return ids;
  });
}

Result<std::optional<Loan>> MicrocreditStore::GetLoan(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<Loan>> {
    auto s = db_.Acquire();
    long long i = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<Loan> out;
    db::EachRow(
        s.sql(),
        "SELECT l.id, l.application_id, l.person_id, l.product, l.lender, l.principal_minor, l.currency, "
        "l.disbursed_on, l.commune_code, l.wilaya_code, l.sex, l.state, l.closed_on, l.written_off_on FROM "
        "microcredit_loans l WHERE l.id = :i AND " +
            db::AreaScopeSql("l.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(i));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          Loan l;
          l.id = db::RowInt(r, 0);
          l.application_id = db::RowInt(r, 1);
          l.person_id = db::RowInt(r, 2);
          l.product = db::RowStr(r, 3);
          l.lender = db::RowStr(r, 4);
          l.principal_minor = db::RowInt(r, 5);
          l.currency = db::RowStr(r, 6);
          l.disbursed_on = db::RowStr(r, 7);
          l.commune_code = db::RowStr(r, 8);
          l.wilaya_code = db::RowStr(r, 9);
          l.sex = db::RowOptStr(r, 10);
          l.state = db::RowStr(r, 11);
          l.closed_on = db::RowOptStr(r, 12);
          l.written_off_on = db::RowOptStr(r, 13);
          out = std::move(l);
        });
    if (!out) return out;
    db::EachRow(
        s.sql(), "SELECT n, due_on, principal_minor FROM microcredit_instalments WHERE loan_id = :i ORDER BY n",
        [&](soci::statement& st) { st.exchange(soci::use(i)); },
        [&](const soci::row& r) {
          out->instalments.push_back({db::RowInt(r, 0), db::RowStr(r, 1), db::RowInt(r, 2)});
        });
    db::EachRow(
        s.sql(),
        "SELECT id, loan_id, paid_on, amount_minor, reference, source, recorded_by, recorded_at FROM "
        "microcredit_repayments WHERE loan_id = :i ORDER BY paid_on, id",
        [&](soci::statement& st) { st.exchange(soci::use(i)); },
        [&](const soci::row& r) {
          out->repayments.push_back({db::RowInt(r, 0), db::RowInt(r, 1), db::RowStr(r, 2), db::RowInt(r, 3),
                                     db::RowStr(r, 4), db::RowStr(r, 5), db::RowStr(r, 6), db::RowStr(r, 7)});
        });
    return out;
  });
}

Result<std::vector<std::int64_t>> MicrocreditStore::LoansOfApplication(std::int64_t application_id) {
  return db::Guard([&]() -> Result<std::vector<std::int64_t>> {
    auto s = db_.Acquire();
    long long a = application_id;
    std::vector<std::int64_t> out;
    db::EachRow(
        s.sql(), "SELECT id FROM microcredit_loans WHERE application_id = :a ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(a)); },
        [&](const soci::row& r) { out.push_back(db::RowInt(r, 0)); });
    return out;
  });
}

}  // namespace sanad::microcredit
