// SQL of the collection tasks (migration 0030). A task belongs to a loan; the area scope is the loan's
// commune, named in every query (db::AreaScopeSql).
#include <fmt/format.h>

#include "db/area_scope.h"
#include "db/row.h"
#include "microcredit/microcredit_store.h"

namespace sanad::microcredit {
namespace {

constexpr const char* kTaskColumns =
    "t.id, t.loan_id, t.kind, t.assigned_to, t.due_on, t.state, t.outcome, t.promised_amount_minor, t.promised_on, "
    "t.source, t.created_by, t.created_at, t.closed_by, t.closed_at, l.commune_code FROM microcredit_collection_tasks "
    "t JOIN microcredit_loans l ON l.id = t.loan_id";

CollectionTask ReadTask(const soci::row& r) {
  CollectionTask t;
  t.id = db::RowInt(r, 0);
  t.loan_id = db::RowInt(r, 1);
  t.kind = db::RowStr(r, 2);
  t.assigned_to = db::RowOptStr(r, 3);
  t.due_on = db::RowStr(r, 4);
  t.state = db::RowStr(r, 5);
  t.outcome = db::RowOptStr(r, 6);
  if (r.get_indicator(7) != soci::i_null) t.promised_amount_minor = db::RowInt(r, 7);
  t.promised_on = db::RowOptStr(r, 8);
  t.source = db::RowStr(r, 9);
  t.created_by = db::RowStr(r, 10);
  t.created_at = db::RowStr(r, 11);
  t.closed_by = db::RowOptStr(r, 12);
  t.closed_at = db::RowOptStr(r, 13);
  t.commune_code = db::RowStr(r, 14);
  return t;
}

}  // namespace

Result<CollectionTask> MicrocreditStore::InsertTask(const CollectionTask& t) {
  return db::Guard([&]() -> Result<CollectionTask> {
    auto s = db_.Acquire();
    long long id = 0, loan = t.loan_id;
    std::optional<long long> promised;
    if (t.promised_amount_minor) promised = *t.promised_amount_minor;
    s.sql() << "INSERT INTO microcredit_collection_tasks (loan_id, kind, assigned_to, due_on, state, "
               "promised_amount_minor, promised_on, source, created_by, created_at) VALUES (:l, :k, :a, :d, 'open', "
               ":pm, :po, :s, :b, :t) RETURNING id",
        soci::use(loan), soci::use(t.kind), soci::use(t.assigned_to), soci::use(t.due_on), soci::use(promised),
        soci::use(t.promised_on), soci::use(t.source), soci::use(t.created_by), soci::use(t.created_at), soci::into(id);
    CollectionTask out = t;
    out.id = id;
    out.state = "open";
    return out;
  });
}

Result<std::vector<CollectionTask>> MicrocreditStore::TasksOfLoan(std::int64_t loan_id) {
  return db::Guard([&]() -> Result<std::vector<CollectionTask>> {
    auto s = db_.Acquire();
    long long l = loan_id;
    std::vector<CollectionTask> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kTaskColumns + " WHERE t.loan_id = :l ORDER BY t.due_on, t.id",
        [&](soci::statement& st) { st.exchange(soci::use(l)); },
        [&](const soci::row& r) { out.push_back(ReadTask(r)); });
    return out;
  });
}

Result<std::pair<std::vector<CollectionTask>, std::int64_t>> MicrocreditStore::ListTasks(
    const Scope& scope, const std::optional<std::string>& mine, const std::optional<std::string>& state, int limit,
    int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<CollectionTask>, std::int64_t>> {
    auto s = db_.Acquire();
    // Mine: assigned to the caller, or to nobody (the nightly proposals, for the area's officers).
    const std::string where =
        " WHERE (CAST(:m1 AS TEXT) IS NULL OR t.assigned_to = :m2 OR t.assigned_to IS NULL) AND (CAST(:s1 AS TEXT) "
        "IS NULL OR t.state = :s2) AND " +
        db::AreaScopeSql("l.commune_code", "sc");
    std::pair<std::vector<CollectionTask>, std::int64_t> out;
    auto bind = [&](soci::statement& st, std::optional<std::string>& m1, std::optional<std::string>& m2,
                    std::optional<std::string>& s1, std::optional<std::string>& s2, db::AreaScope& sc) {
      st.exchange(soci::use(m1));
      st.exchange(soci::use(m2));
      st.exchange(soci::use(s1));
      st.exchange(soci::use(s2));
      sc.Bind(st);
    };
    {
      std::optional<std::string> m1 = mine, m2 = mine, s1 = state, s2 = state;
      db::AreaScope sc{scope.area, scope.day};
      db::EachRow(
          s.sql(),
          std::string("SELECT ") + kTaskColumns + where +
              fmt::format(" ORDER BY t.state DESC, t.due_on, t.id LIMIT {} OFFSET {}", limit, offset),
          [&](soci::statement& st) { bind(st, m1, m2, s1, s2, sc); },
          [&](const soci::row& r) { out.first.push_back(ReadTask(r)); });
    }
    std::optional<std::string> m1 = mine, m2 = mine, s1 = state, s2 = state;
    db::AreaScope sc{scope.area, scope.day};
    out.second = db::CountRows(
        s.sql(),
        "SELECT COUNT(*) FROM microcredit_collection_tasks t JOIN microcredit_loans l ON l.id = t.loan_id" + where,
        [&](soci::statement& st) { bind(st, m1, m2, s1, s2, sc); });
    return out;
  });
}

Result<std::optional<CollectionTask>> MicrocreditStore::GetTask(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<CollectionTask>> {
    auto s = db_.Acquire();
    long long i = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<CollectionTask> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kTaskColumns + " WHERE t.id = :i AND " + db::AreaScopeSql("l.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(i));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out = ReadTask(r); });
    return out;
  });
}

Result<bool> MicrocreditStore::CloseTask(std::int64_t id, const std::string& outcome, const std::string& by,
                                         const std::string& at) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long i = id;
    soci::statement st = (s.sql().prepare << "UPDATE microcredit_collection_tasks SET state = 'done', outcome = :o, "
                                             "closed_by = :b, closed_at = :t WHERE id = :i AND state = 'open'",
                          soci::use(outcome), soci::use(by), soci::use(at), soci::use(i));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Result<std::int64_t> MicrocreditStore::ProposeFieldVisits(
    const std::vector<std::pair<std::int64_t, std::string>>& loans, const std::string& due_on, const std::string& now,
    const std::function<Status(db::Session&)>& fence) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    if (fence) {
      if (auto st = fence(s); !st) return std::unexpected(st.error());
    }
    std::int64_t written = 0;
    for (const auto& [loan_id, entered_on] : loans) {
      long long l1 = loan_id, l2 = loan_id;
      std::string d = due_on, t = now, e = entered_on;
      // A proposal made since the loan entered the bucket (created_at is a timestamp: its date part
      // compares with the day) counts even when an officer has closed it since.
      soci::statement st =
          (s.sql().prepare
               << "INSERT INTO microcredit_collection_tasks (loan_id, kind, assigned_to, due_on, state, "
                  "source, created_by, created_at) SELECT CAST(:l1 AS BIGINT), 'field_visit', NULL, :d, 'open', "
                  "'nightly', 'system', :t WHERE NOT EXISTS (SELECT 1 FROM microcredit_collection_tasks x WHERE "
                  "x.loan_id = :l2 AND (x.state = 'open' OR (x.source = 'nightly' AND x.created_at >= :e)))",
           soci::use(l1), soci::use(d), soci::use(t), soci::use(l2), soci::use(e));
      st.execute(true);
      written += st.get_affected_rows();
    }
    return written;
  });
}

Result<std::vector<MicrocreditStore::Borrower>> MicrocreditStore::ActiveBorrowers(const Scope& scope) {
  return db::Guard([&]() -> Result<std::vector<Borrower>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<Borrower> out;
    db::EachRow(
        s.sql(),
        "SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.father_name_ar, p.sex, "
        "p.birth_date, p.national_id, p.phone FROM persons p WHERE p.status = 'active' AND EXISTS (SELECT 1 FROM "
        "microcredit_loans l WHERE l.person_id = p.id AND l.state IN ('active', 'closed') AND " +
            db::AreaScopeSql("l.commune_code", "sc") +
            ") AND NOT EXISTS (SELECT 1 FROM microcredit_loans w WHERE w.person_id = p.id AND w.state = "
            "'written_off') ORDER BY p.id",
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          Borrower b;
          b.person.person_id = db::RowInt(r, 0);
          b.person.given_name_ar = db::RowStr(r, 1);
          b.person.family_name_ar = db::RowStr(r, 2);
          b.person.given_name_lat = db::RowStr(r, 3);
          b.person.family_name_lat = db::RowStr(r, 4);
          b.person.father_name_ar = db::RowStr(r, 5);
          b.person.sex = db::RowStr(r, 6);
          b.person.birth_date = db::RowStr(r, 7);
          b.person.national_id = db::RowStr(r, 8);
          b.phone = db::RowStr(r, 9);
          out.push_back(std::move(b));
        });
    return out;
  });
}

}  // namespace sanad::microcredit
