// CycleStore: the cycle rows, their state changes, and the scoped reads of entries and regional totals.
// The incompatibility flags' SQL is in cycle_flags_store.cpp.
#include "cycles/cycle_store.h"

#include <fmt/format.h>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::cycles {

namespace {

constexpr const char* kCols =
    "id, programme, period, cut_off, state, currency, programme_digest, households_considered, households_eligible, "
    "households_flagged, total_minor, one_off_total_minor, generated_at, generated_by_id, generated_by, approved_at, "
    "approved_by_id, approved_by, paid_at, closed_at, version, score_model, score_model_version";

CycleRow ReadCycle(const soci::row& r) {
  CycleRow c;
  c.id = db::RowInt(r, 0);
  c.programme = db::RowStr(r, 1);
  c.period = db::RowStr(r, 2);
  c.cut_off = db::RowStr(r, 3);
  c.state = db::RowStr(r, 4);
  c.currency = db::RowStr(r, 5);
  c.programme_digest = db::RowStr(r, 6);
  c.totals.considered = db::RowInt(r, 7);
  c.totals.eligible = db::RowInt(r, 8);
  c.households_flagged = db::RowInt(r, 9);
  c.totals.total_minor = db::RowInt(r, 10);
  c.totals.one_off_total_minor = db::RowInt(r, 11);
  c.generated_at = db::RowStr(r, 12);
  c.generated_by_id = db::RowOptInt(r, 13);
  c.generated_by = db::RowStr(r, 14);
  c.approved_at = db::RowOptStr(r, 15);
  c.approved_by_id = db::RowOptInt(r, 16);
  c.approved_by = db::RowOptStr(r, 17);
  c.paid_at = db::RowOptStr(r, 18);
  c.closed_at = db::RowOptStr(r, 19);
  c.version = db::RowInt(r, 20);
  c.totals.score_model = db::RowOptStr(r, 21).value_or("");
  c.totals.score_model_version = db::RowOptStr(r, 22).value_or("");
  return c;
}

std::optional<CycleRow> One(soci::session& sql, const std::string& query,
                            const std::function<void(soci::statement&)>& bind) {
  std::optional<CycleRow> out;
  db::EachRow(sql, query, bind, [&](const soci::row& r) { out = ReadCycle(r); });
  return out;
}

// The day area boundaries are read on for a cycle: its cut-off's date.
std::string CutOffDay(const CycleRow& c) { return c.cut_off.substr(0, 10); }

}  // namespace

bool IsCycleState(std::string_view s) { return s == kDraft || s == kApproved || s == kPaid || s == kClosed; }

Result<std::optional<CycleRow>> CycleStore::Get(std::int64_t id) {
  return db::Guard([&]() -> Result<std::optional<CycleRow>> {
    auto s = db_.Acquire();
    return Get(s, id, false);
  });
}

Result<std::optional<CycleRow>> CycleStore::Get(db::Session& s, std::int64_t id, bool lock) {
  return db::Guard([&]() -> Result<std::optional<CycleRow>> {
    long long key = id;
    const bool pg = s.dialect() == db::Dialect::kPostgres;
    return One(s.sql(),
               fmt::format("SELECT {} FROM programme_cycles WHERE id = :id{}", kCols, lock && pg ? " FOR UPDATE" : ""),
               [&](soci::statement& st) { st.exchange(soci::use(key)); });
  });
}

Result<std::optional<CycleRow>> CycleStore::Find(const std::string& programme, const std::string& period) {
  return db::Guard([&]() -> Result<std::optional<CycleRow>> {
    auto s = db_.Acquire();
    return Find(s, programme, period);
  });
}

Result<std::optional<CycleRow>> CycleStore::Find(db::Session& s, const std::string& programme,
                                                 const std::string& period) {
  return db::Guard([&]() -> Result<std::optional<CycleRow>> {
    std::string pg = programme, pe = period;
    return One(s.sql(), fmt::format("SELECT {} FROM programme_cycles WHERE programme = :p AND period = :pe", kCols),
               [&](soci::statement& st) {
                 st.exchange(soci::use(pg));
                 st.exchange(soci::use(pe));
               });
  });
}

Result<std::vector<CycleRow>> CycleStore::List(const std::string& programme, const std::string& state, int limit) {
  return db::Guard([&]() -> Result<std::vector<CycleRow>> {
    auto s = db_.Acquire();
    std::string pg = programme, st_value = state;
    std::vector<CycleRow> out;
    db::EachRow(
        s.sql(),
        fmt::format("SELECT {} FROM programme_cycles WHERE (:p1 = '' OR programme = :p2) AND (:s1 = '' OR "
                    "state = :s2) ORDER BY period DESC, programme, id DESC LIMIT {}",
                    kCols, limit),
        [&](soci::statement& st) {
          st.exchange(soci::use(pg));
          st.exchange(soci::use(pg));
          st.exchange(soci::use(st_value));
          st.exchange(soci::use(st_value));
        },
        [&](const soci::row& r) { out.push_back(ReadCycle(r)); });
    return out;
  });
}

Result<std::int64_t> CycleStore::InsertDraft(db::Session& s, const CycleRow& c) {
  return db::Guard([&]() -> Result<std::int64_t> {
    long long id = 0;
    std::optional<long long> by_id;
    if (c.generated_by_id) by_id = *c.generated_by_id;
    std::string state(kDraft);
    s.sql() << "INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, "
               "generated_at, generated_by_id, generated_by) VALUES (:p, :pe, :c, :s, :cu, :d, :ga, :gi, :gb) "
               "RETURNING id",
        soci::use(c.programme), soci::use(c.period), soci::use(c.cut_off), soci::use(state), soci::use(c.currency),
        soci::use(c.programme_digest), soci::use(c.generated_at), soci::use(by_id), soci::use(c.generated_by),
        soci::into(id);
    return static_cast<std::int64_t>(id);
  });
}

Status CycleStore::SetTotals(db::Session& s, std::int64_t id, const CycleTotals& t) {
  return db::Guard([&]() -> Status {
    long long key = id, considered = t.considered, eligible = t.eligible, total = t.total_minor,
              one_off = t.one_off_total_minor;
    // NULL when no household had a score (CycleTotals keeps them as empty texts).
    std::optional<std::string> model, version;
    if (!t.score_model.empty() || !t.score_model_version.empty()) {
      model = t.score_model;
      version = t.score_model_version;
    }
    s.sql()
        << "UPDATE programme_cycles SET households_considered = :c, households_eligible = :e, total_minor = :t, "
           "one_off_total_minor = :o, score_model = :m, score_model_version = :v WHERE id = :id AND state = 'draft'",
        soci::use(considered), soci::use(eligible), soci::use(total), soci::use(one_off), soci::use(model),
        soci::use(version), soci::use(key);
    return Ok();
  });
}

Result<bool> CycleStore::DeleteDraft(db::Session& s, std::int64_t id) {
  return db::Guard([&]() -> Result<bool> {
    long long key = id;
    // The cycle row first: when it is no longer a draft nothing is deleted, entries included.
    s.sql() << "DELETE FROM cycle_entries WHERE cycle_id = :id AND EXISTS (SELECT 1 FROM programme_cycles c WHERE "
               "c.id = :id2 AND c.state = 'draft')",
        soci::use(key), soci::use(key);
    soci::statement st =
        (s.sql().prepare << "DELETE FROM programme_cycles WHERE id = :id AND state = 'draft'", soci::use(key));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

namespace {

Result<bool> Transition(db::Session& s, const std::string& sql, const std::function<void(soci::statement&)>& bind) {
  return db::Guard([&]() -> Result<bool> {
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(sql);
    bind(st);
    st.define_and_bind();
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

}  // namespace

Result<bool> CycleStore::MarkApproved(db::Session& s, std::int64_t id, std::int64_t version,
                                      std::optional<std::int64_t> by_id, const std::string& by, const std::string& at) {
  long long key = id, ver = version;
  std::optional<long long> who;
  if (by_id) who = *by_id;
  std::string name = by, when = at;
  return Transition(s,
                    "UPDATE programme_cycles SET state = 'approved', approved_at = :a, approved_by_id = :bi, "
                    "approved_by = :b, version = version + 1 WHERE id = :id AND state = 'draft' AND version = :v",
                    [&](soci::statement& st) {
                      st.exchange(soci::use(when));
                      st.exchange(soci::use(who));
                      st.exchange(soci::use(name));
                      st.exchange(soci::use(key));
                      st.exchange(soci::use(ver));
                    });
}

Result<bool> CycleStore::MarkPaid(db::Session& s, std::int64_t id, const std::string& at) {
  long long key = id;
  std::string when = at;
  return Transition(s,
                    "UPDATE programme_cycles SET state = 'paid', paid_at = :a, version = version + 1 WHERE id = :id "
                    "AND state = 'approved'",
                    [&](soci::statement& st) {
                      st.exchange(soci::use(when));
                      st.exchange(soci::use(key));
                    });
}

Result<bool> CycleStore::MarkClosed(db::Session& s, std::int64_t id, const std::string& at) {
  long long key = id;
  std::string when = at;
  return Transition(
      s,
      "UPDATE programme_cycles SET state = 'closed', closed_at = :a, version = version + 1 WHERE id = :id "
      "AND state = 'paid'",
      [&](soci::statement& st) {
        st.exchange(soci::use(when));
        st.exchange(soci::use(key));
      });
}

Result<std::pair<std::vector<EntryRow>, long long>> CycleStore::Entries(std::int64_t cycle_id, const EntryFilter& f,
                                                                        const registry::Scope& scope, int limit,
                                                                        int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<EntryRow>, long long>> {
    auto s = db_.Acquire();
    long long key = cycle_id;
    std::optional<long long> eligible;
    if (f.eligible) eligible = *f.eligible ? 1 : 0;
    std::optional<long long> flagged;
    if (f.flagged) flagged = *f.flagged ? 1 : 0;
    db::AreaScope sc{scope.area, scope.today};
    db::AreaScope region{f.region, scope.today};
    const std::string where =
        " FROM cycle_entries e WHERE e.cycle_id = :c AND (CAST(:e1 AS BIGINT) IS NULL OR e.eligible = :e2) AND "
        "(CAST(:f1 AS BIGINT) IS NULL OR (CASE WHEN e.flags IS NULL THEN 0 ELSE 1 END) = :f2) AND " +
        db::AreaScopeSql("e.commune_code", "sc") + " AND " + db::AreaScopeSql("e.commune_code", "rg");
    auto bind = [&](soci::statement& st) {
      st.exchange(soci::use(key));
      st.exchange(soci::use(eligible));
      st.exchange(soci::use(eligible));
      st.exchange(soci::use(flagged));
      st.exchange(soci::use(flagged));
      sc.Bind(st);
      region.Bind(st);
    };
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*)" + where, bind);
    std::vector<EntryRow> out;
    db::EachRow(s.sql(),
                fmt::format("SELECT e.cycle_id, e.household_id, e.household_version, e.commune_code, "
                            "e.payee_person_id, e.eligible, e.amount_minor, e.one_off_minor, e.details, e.flags{} "
                            "ORDER BY e.household_id LIMIT {} OFFSET {}",
                            where, limit, offset),
                bind, [&](const soci::row& r) {
                  EntryRow e;
                  e.cycle_id = db::RowInt(r, 0);
                  e.household_id = db::RowInt(r, 1);
                  e.household_version = db::RowInt(r, 2);
                  e.commune_code = db::RowStr(r, 3);
                  e.payee_person_id = db::RowOptInt(r, 4);
                  e.eligible = db::RowInt(r, 5) != 0;
                  e.amount_minor = db::RowInt(r, 6);
                  e.one_off_minor = db::RowInt(r, 7);
                  e.details = db::RowStr(r, 8);
                  e.flags = db::RowOptStr(r, 9);
                  out.push_back(std::move(e));
                });
    return std::pair{std::move(out), total};
  });
}

Result<std::vector<RegionTotals>> CycleStore::TotalsByRegion(const CycleRow& cycle, const registry::Scope& scope) {
  return db::Guard([&]() -> Result<std::vector<RegionTotals>> {
    auto s = db_.Acquire();
    long long key = cycle.id;
    std::string day = CutOffDay(cycle), day2 = day;
    db::AreaScope sc{scope.area, scope.today};
    std::vector<RegionTotals> out;
    db::EachRow(
        s.sql(),
        "SELECT COALESCE(r.ancestor, ''), COUNT(*), COALESCE(SUM(e.eligible), 0), COALESCE(SUM(e.amount_minor), 0), "
        "COALESCE(SUM(e.one_off_minor), 0), COALESCE(SUM(CASE WHEN e.flags IS NULL THEN 0 ELSE 1 END), 0) "
        "FROM cycle_entries e LEFT JOIN (SELECT x.ancestor, x.descendant FROM area_ancestors x JOIN areas a ON "
        "a.code = x.ancestor WHERE a.level = 'region' AND x.valid_from <= :d1 AND x.valid_to > :d2) r ON "
        "r.descendant = e.commune_code WHERE e.cycle_id = :c AND " +
            db::AreaScopeSql("e.commune_code", "sc") + " GROUP BY r.ancestor ORDER BY 1",
        [&](soci::statement& st) {
          st.exchange(soci::use(day));
          st.exchange(soci::use(day2));
          st.exchange(soci::use(key));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          RegionTotals t;
          t.region = db::RowStr(r, 0);
          t.totals.considered = db::RowInt(r, 1);
          t.totals.eligible = db::RowInt(r, 2);
          t.totals.total_minor = db::RowInt(r, 3);
          t.totals.one_off_total_minor = db::RowInt(r, 4);
          t.flagged = db::RowInt(r, 5);
          out.push_back(std::move(t));
        });
    return out;
  });
}

}  // namespace sanad::cycles
