// MicrocreditStore's servicing of disbursed loans (migration 0022): repayments and closure, write-off,
// rescheduling, and the portfolio read as columns for the ageing engine. Declared in microcredit_store.h.
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <stdexcept>
#include <thread>

#include "db/area_scope.h"
#include "db/row.h"
#include "db/row_scan.h"
#include "microcredit/microcredit_store.h"
#include "microcredit/packed_schedule.h"

namespace sanad::microcredit {
namespace {

// Position of a loan id among the loans read (ids ascending): a direct table when the ids are dense,
// as serial ids are, else a binary search.
class LoanIndex {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  explicit LoanIndex(const std::vector<std::int64_t>& ids) : ids_(ids) {
    if (ids.empty()) return;
    first_ = ids.front();
    const auto span = static_cast<std::uint64_t>(ids.back() - ids.front()) + 1;
    if (span > 4 * ids.size() + 1024) return;
    table_.assign(span, kNone);
    for (std::size_t k = 0; k < ids.size(); ++k)
      table_[static_cast<std::size_t>(ids[k] - first_)] = static_cast<std::uint32_t>(k);
  }
  std::uint32_t Of(std::int64_t id) const {
    if (!table_.empty()) {
      if (id < first_ || static_cast<std::uint64_t>(id - first_) >= table_.size()) return kNone;
      return table_[static_cast<std::size_t>(id - first_)];
    }
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    return it == ids_.end() || *it != id ? kNone : static_cast<std::uint32_t>(it - ids_.begin());
  }

 private:
  const std::vector<std::int64_t>& ids_;
  std::int64_t first_ = 0;
  std::vector<std::uint32_t> table_;
};

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
          out = Reschedule{db::RowInt(r, 0), db::RowInt(r, 1), db::RowInt(r, 2), db::RowStr(r, 3), db::RowStr(r, 4),
                           db::RowStr(r, 5), db::RowStr(r, 6), db::RowStr(r, 7), std::nullopt,     std::nullopt};
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
    WriteSchedule(s, loan_id, schedule);
    return true;
  });
}

void MicrocreditStore::WriteSchedule(db::Session& s, std::int64_t loan_id,
                                     const std::vector<LoanInstalment>& schedule) {
  long long loan = loan_id;
  std::vector<long long> loans, ns, amounts;
  std::vector<std::string> dues;
  for (const auto& x : schedule) {
    loans.push_back(loan);
    ns.push_back(x.n);
    dues.push_back(x.due_on);
    amounts.push_back(x.principal_minor);
  }
  if (!schedule.empty()) {
    s.sql() << "INSERT INTO microcredit_instalments (loan_id, n, due_on, principal_minor) VALUES (:l, :n, :d, :p)",
        soci::use(loans), soci::use(ns), soci::use(dues), soci::use(amounts);
  }
  const std::string packed = PackSchedule(schedule);
  s.sql() << "UPDATE microcredit_loans SET schedule = :s WHERE id = :l", soci::use(packed), soci::use(loan);
}

Result<PortfolioData> MicrocreditStore::Portfolio(const Scope& scope, const std::string& as_of, GroupBy by) {
  return db::Guard([&]() -> Result<PortfolioData> {
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
    const Day as_of_day = DayOfStoredDate(as_of);
    if (as_of_day < 0) throw std::runtime_error("portfolio date is not a date");
    // Set-based reads streamed straight into columns (db::CopyRows: PostgreSQL's COPY, no row object per
    // row), at the same time on several connections: the loans in id order, each with its packed schedule
    // (one row per loan, not one per instalment: packed_schedule.h), and the repayments up to the date
    // summed per loan in the database (the ageing needs only the sum, as the allocation order pays the
    // oldest instalment first from it). An area's reader gets only its loans' rows, the scope in each
    // query. A national reader may see every loan: the sums of loans outside the read (disbursed after
    // the date) are dropped here by the loan index instead of a join in the server; on PostgreSQL the
    // repayments are read in two halves of the table's pages (TID range scans) so that the server's work
    // spreads over the cores, a loan then having up to two partial sums.
    const std::string loans_in_scope =
        "FROM microcredit_loans l WHERE l.disbursed_on <= :d AND " + db::AreaScopeSql("l.commune_code", "sc");
    const db::ScanParam area = scope.area ? db::ScanParam(*scope.area) : db::ScanParam();
    const std::vector<db::ScanParam> in_scope{as_of, area, area, scope.day, scope.day};
    const bool national = !scope.area.has_value();
    PortfolioData out;
    PortfolioColumns& p = out.columns;

    const std::string sum_select = "SELECT loan_id, SUM(amount_minor) FROM microcredit_repayments WHERE paid_on <= :p";
    std::vector<std::string> repayment_queries;
    if (!national) {
      repayment_queries.push_back(sum_select + " AND loan_id IN (SELECT l.id " + loans_in_scope + ") GROUP BY loan_id");
    } else if (db_.dialect() != db::Dialect::kPostgres) {
      repayment_queries.push_back(sum_select + " GROUP BY loan_id");
    } else {
      long long pages = 0;
      auto s = db_.Acquire();
      s.sql() << "SELECT CAST(pg_relation_size('microcredit_repayments') / "
                 "CAST(current_setting('block_size') AS integer) AS bigint)",
          soci::into(pages);
      const std::string half = fmt::format("CAST('({},0)' AS tid)", pages / 2);
      repayment_queries.push_back(sum_select + " AND ctid < " + half + " GROUP BY loan_id");
      repayment_queries.push_back(sum_select + " AND ctid >= " + half + " GROUP BY loan_id");  // and rows added since
    }

    // Sums as read: the loan's id (its position is known once the loans are read) and the amount.
    struct Sums {
      std::vector<std::int64_t> loan;
      std::vector<std::int64_t> minor;
    };
    std::vector<Sums> sums(repayment_queries.size());
    std::vector<std::function<void(db::Session&)>> reads;
    std::map<std::string, std::int32_t, std::less<>> groups;
    std::vector<std::int64_t> ids;
    std::vector<std::uint32_t> loan_of;
    std::vector<Day> due;
    std::vector<std::int64_t> principal;
    reads.emplace_back([&](db::Session& s) {
      db::CopyRows(s,
                   "SELECT l.id, " + key + ", l.principal_minor, l.written_off_on, l.schedule " + loans_in_scope +
                       " ORDER BY l.id",
                   in_scope, [&](const db::ScanRow& r) {
                     const std::string_view g = r.Null(1) ? std::string_view() : r.Text(1);
                     auto it = groups.find(g);
                     if (it == groups.end()) {
                       it = groups.emplace(std::string(g), static_cast<std::int32_t>(groups.size())).first;
                       out.group_names.emplace_back(g);
                     }
                     const auto k = static_cast<std::uint32_t>(ids.size());
                     ids.push_back(r.Int(0));
                     p.group.push_back(it->second);
                     p.disbursed_minor.push_back(r.Int(2));
                     p.written_off_on.push_back(r.Null(3) ? PortfolioColumns::kNever : DayOfStoredDate(r.Text(3)));
                     if (p.written_off_on.back() < 0) throw std::runtime_error("loan write-off date is not a date");
                     const std::size_t before = due.size();
                     if (!r.Null(4) && !UnpackSchedule(r.Text(4), due, principal)) {
                       throw std::runtime_error(fmt::format("loan {}: packed schedule unreadable", ids.back()));
                     }
                     loan_of.insert(loan_of.end(), due.size() - before, k);
                   });
    });
    std::vector<db::ScanParam> repayment_params{as_of};
    if (!national) repayment_params.insert(repayment_params.end(), in_scope.begin(), in_scope.end());
    const bool postgres = db_.dialect() == db::Dialect::kPostgres;
    for (std::size_t k = 0; k < repayment_queries.size(); ++k) {
      reads.emplace_back([&, k](db::Session& s) {
        // A million loans' sums fit in memory: with PostgreSQL's default work_mem (4 MB) the hash of the
        // GROUP BY spills to disk, which made each half about 40 % slower. Reset before the connection
        // goes back to the pool, also when the read fails.
        struct WorkMem {
          db::Session& s;
          bool set;
          ~WorkMem() {
            if (!set) return;
            try {
              s.sql() << "RESET work_mem";
            } catch (...) {  // a broken connection: the pool drops it
            }
          }
        } work_mem{s, postgres};
        if (postgres) s.sql() << "SET work_mem = '256MB'";
        db::CopyRows(s, repayment_queries[k], repayment_params, [&](const db::ScanRow& r) {
          sums[k].loan.push_back(r.Int(0));
          sums[k].minor.push_back(r.Int(1));
        });
      });
    }
    // Each read holds one connection and never waits for a second one while holding it (no deadlock
    // when the pool is exhausted; with a small pool they simply run one after the other).
    std::vector<std::exception_ptr> failed(reads.size());
    {
      std::vector<std::jthread> threads;
      for (std::size_t k = 1; k < reads.size(); ++k) {
        threads.emplace_back([&, k] {
          try {
            auto session = db_.Acquire();
            reads[k](session);
          } catch (...) {
            failed[k] = std::current_exception();
          }
        });
      }
      try {
        auto session = db_.Acquire();
        reads[0](session);
      } catch (...) {
        failed[0] = std::current_exception();
      }
    }
    for (const auto& f : failed) {
      if (f) std::rethrow_exception(f);
    }

    // The schedules came loan by loan in due order: SetInstalments takes them as they are.
    p.SetInstalments(loan_of, std::move(due), std::move(principal));
    // Loan ids to positions; each sum counts as repaid on the date (every repayment in it is up to it).
    const LoanIndex index(ids);
    std::size_t total = 0;
    for (const auto& r : sums) total += r.loan.size();
    p.repayment_loan.reserve(total);
    p.repayment_on.reserve(total);
    p.repayment_minor.reserve(total);
    for (auto& part : sums) {
      for (std::size_t i = 0; i < part.loan.size(); ++i) {
        const std::uint32_t k = index.Of(part.loan[i]);
        if (k != LoanIndex::kNone) p.AddRepayment(k, as_of_day, part.minor[i]);
      }
      part = Sums{};
    }
    out.loan_ids = std::move(ids);  // the index is not used past this point
    return out;
  });
}

}  // namespace sanad::microcredit
