// MicrocreditStore's servicing of disbursed loans (migration 0022): repayments and closure, write-off,
// rescheduling, and the portfolio read as columns for the ageing engine. Declared in microcredit_store.h.
#include <map>

#include "db/area_scope.h"
#include "db/row.h"
#include "microcredit/microcredit_store.h"

namespace sanad::microcredit {
namespace {

std::string Str(const soci::row& r, std::size_t i) { return db::RowOptStr(r, i).value_or(""); }

}  // namespace

Status MicrocreditStore::AddRepayments(const std::vector<Repayment>& rows) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    std::vector<long long> loans, amounts;
    std::vector<std::string> paid, refs, sources, bys, ats;
    std::map<long long, bool> touched;
    for (const auto& r : rows) {
      loans.push_back(r.loan_id);
      amounts.push_back(r.amount_minor);
      paid.push_back(r.paid_on);
      refs.push_back(r.reference);
      sources.push_back(r.source);
      bys.push_back(r.recorded_by);
      ats.push_back(r.recorded_at);
      touched[r.loan_id] = true;
    }
    s.sql() << "INSERT INTO microcredit_repayments (loan_id, paid_on, amount_minor, reference, source, recorded_by, "
               "recorded_at) VALUES (:l, :d, :a, :r, :s, :b, :t)",
        soci::use(loans), soci::use(paid), soci::use(amounts), soci::use(refs), soci::use(sources), soci::use(bys),
        soci::use(ats);
    // Closure: a loan whose repayments reach its principal is closed on the date of its last repayment.
    for (const auto& [loan, unused] : touched) {
      long long id = loan;
      s.sql() << "UPDATE microcredit_loans SET state = 'closed', closed_on = (SELECT MAX(paid_on) FROM "
                 "microcredit_repayments r WHERE r.loan_id = microcredit_loans.id) WHERE id = :i AND state = 'active' "
                 "AND (SELECT COALESCE(SUM(amount_minor), 0) FROM microcredit_repayments r WHERE r.loan_id = "
                 "microcredit_loans.id) >= principal_minor",
          soci::use(id);
    }
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<bool> MicrocreditStore::WriteOff(std::int64_t loan_id, const std::string& on) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long i = loan_id;
    soci::statement st = (s.sql().prepare << "UPDATE microcredit_loans SET state = 'written_off', written_off_on = :d "
                                             "WHERE id = :i AND state = 'active'",
                          soci::use(on), soci::use(i));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Result<Reschedule> MicrocreditStore::InsertReschedule(const Reschedule& r) {
  return db_.InTransaction<Reschedule>([&](db::Session& s) -> Result<Reschedule> {
    long long loan = r.loan_id, n = r.instalments, id = 0;
    long long pending = db::CountRows(s.sql(),
                                      "SELECT COUNT(*) FROM microcredit_reschedules WHERE loan_id = :l AND state = "
                                      "'pending'",
                                      [&](soci::statement& st) { st.exchange(soci::use(loan)); });
    if (pending > 0) {
      return Failure(Code::kConflict, "microcredit.reschedule_pending", {{"id", std::to_string(r.loan_id)}}, "id");
    }
    s.sql() << "INSERT INTO microcredit_reschedules (loan_id, instalments, first_due_on, reason, state, requested_by, "
               "requested_at) VALUES (:l, :n, :f, :r, 'pending', :b, :t) RETURNING id",
        soci::use(loan), soci::use(n), soci::use(r.first_due_on), soci::use(r.reason), soci::use(r.requested_by),
        soci::use(r.requested_at), soci::into(id);
    Reschedule out = r;
    out.id = id;
    out.state = "pending";
    return out;
  });
}

Result<std::optional<Reschedule>> MicrocreditStore::PendingReschedule(std::int64_t loan_id) {
  return db::Guard([&]() -> Result<std::optional<Reschedule>> {
    auto s = db_.Acquire();
    long long loan = loan_id;
    std::optional<Reschedule> out;
    db::EachRow(
        s.sql(),
        "SELECT id, loan_id, instalments, first_due_on, reason, state, requested_by, requested_at FROM "
        "microcredit_reschedules WHERE loan_id = :l AND state = 'pending'",
        [&](soci::statement& st) { st.exchange(soci::use(loan)); },
        [&](const soci::row& r) {
          out = Reschedule{db::RowInt(r, 0), db::RowInt(r, 1), db::RowInt(r, 2), Str(r, 3),    Str(r, 4),
                           Str(r, 5),        Str(r, 6),        Str(r, 7),        std::nullopt, std::nullopt};
        });
    return out;
  });
}

Result<bool> MicrocreditStore::DecideReschedule(std::int64_t id, std::int64_t loan_id, bool approve,
                                                const std::string& by, const std::string& at,
                                                const std::vector<LoanInstalment>& schedule) {
  return db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    long long i = id, loan = loan_id;
    const std::string state = approve ? "approved" : "rejected";
    soci::statement st = (s.sql().prepare << "UPDATE microcredit_reschedules SET state = :s, decided_by = :b, "
                                             "decided_at = :t WHERE id = :i AND state = 'pending'",
                          soci::use(state), soci::use(by), soci::use(at), soci::use(i));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    if (!approve) return true;
    s.sql() << "DELETE FROM microcredit_instalments WHERE loan_id = :l", soci::use(loan);
    std::vector<long long> loans, ns, amounts;
    std::vector<std::string> dues;
    for (const auto& x : schedule) {
      loans.push_back(loan);
      ns.push_back(x.n);
      dues.push_back(x.due_on);
      amounts.push_back(x.principal_minor);
    }
    s.sql() << "INSERT INTO microcredit_instalments (loan_id, n, due_on, principal_minor) VALUES (:l, :n, :d, :p)",
        soci::use(loans), soci::use(ns), soci::use(dues), soci::use(amounts);
    return true;
  });
}

Result<PortfolioData> MicrocreditStore::Portfolio(const Scope& scope, const std::string& as_of, GroupBy by) {
  return db::Guard([&]() -> Result<PortfolioData> {
    auto s = db_.Acquire();
    std::string key;
    switch (by) {
      case GroupBy::kWilaya:
        key = "l.wilaya_code";
        break;
      case GroupBy::kCommune:
        key = "l.commune_code";
        break;
      case GroupBy::kProduct:
        key = "l.product";
        break;
      case GroupBy::kCohort:
        key = "SUBSTR(l.disbursed_on, 1, 7)";
        break;
      case GroupBy::kSex:
        key = "COALESCE(l.sex, '')";
        break;
    }
    // Three set-based reads in loan order (loans, then their instalments, then their repayments up to the
    // date), turned into columns without one object per loan.
    const std::string loans_in_scope =
        "FROM microcredit_loans l WHERE l.disbursed_on <= :d AND " + db::AreaScopeSql("l.commune_code", "sc");
    PortfolioData out;
    std::map<std::string, std::int32_t> groups;
    std::map<long long, std::uint32_t> index;
    std::vector<std::vector<Day>> due;
    std::vector<std::vector<std::int64_t>> principal;
    std::string d = as_of;
    db::AreaScope sc{scope.area, scope.day};
    struct LoanRow {
      std::int32_t group;
      std::int64_t disbursed;
      Day written_off;
    };
    std::vector<LoanRow> loan_rows;
    auto day_of = [](const std::string& iso) {
      return DayOf(std::stoi(iso.substr(0, 4)), static_cast<unsigned>(std::stoi(iso.substr(5, 2))),
                   static_cast<unsigned>(std::stoi(iso.substr(8, 2))));
    };
    db::EachRow(
        s.sql(), "SELECT l.id, " + key + ", l.principal_minor, l.written_off_on " + loans_in_scope + " ORDER BY l.id",
        [&](soci::statement& st) {
          st.exchange(soci::use(d));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          const std::string g = Str(r, 1);
          auto [it, added] = groups.emplace(g, static_cast<std::int32_t>(groups.size()));
          if (added) out.group_names.push_back(g);
          index[db::RowInt(r, 0)] = static_cast<std::uint32_t>(loan_rows.size());
          out.loan_ids.push_back(db::RowInt(r, 0));
          const auto wo = db::RowOptStr(r, 3);
          loan_rows.push_back({it->second, db::RowInt(r, 2), wo ? day_of(*wo) : PortfolioColumns::kNever});
        });
    due.resize(loan_rows.size());
    principal.resize(loan_rows.size());
    db::EachRow(
        s.sql(),
        "SELECT i.loan_id, i.due_on, i.principal_minor FROM microcredit_instalments i WHERE i.loan_id IN (SELECT "
        "l.id " +
            loans_in_scope + ") ORDER BY i.loan_id, i.n",
        [&](soci::statement& st) {
          st.exchange(soci::use(d));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          const auto k = index.at(db::RowInt(r, 0));
          due[k].push_back(day_of(Str(r, 1)));
          principal[k].push_back(db::RowInt(r, 2));
        });
    for (std::size_t k = 0; k < loan_rows.size(); ++k) {
      out.columns.AddLoan(loan_rows[k].group, loan_rows[k].disbursed, due[k], principal[k], loan_rows[k].written_off);
    }
    std::string d2 = as_of;
    db::EachRow(
        s.sql(),
        "SELECT r.loan_id, r.paid_on, r.amount_minor FROM microcredit_repayments r WHERE r.paid_on <= :d2 AND "
        "r.loan_id IN (SELECT l.id " +
            loans_in_scope + ")",
        [&](soci::statement& st) {
          st.exchange(soci::use(d2));
          st.exchange(soci::use(d));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          out.columns.AddRepayment(index.at(db::RowInt(r, 0)), day_of(Str(r, 1)), db::RowInt(r, 2));
        });
    return out;
  });
}

}  // namespace sanad::microcredit
