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

namespace sanad::microcredit {
namespace {

std::string Str(const soci::row& r, std::size_t i) { return db::RowOptStr(r, i).value_or(""); }

// A date as stored (YYYY-MM-DD) as a day number, without building strings: the portfolio read parses
// tens of millions of them.
Day DayOfIso(std::string_view iso) {
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (i >= iso.size() || iso[i] < '0' || iso[i] > '9') throw std::runtime_error("not a date: " + std::string(iso));
      v = v * 10 + (iso[i] - '0');
    }
    return v;
  };
  return DayOf(digits(0, 4), static_cast<unsigned>(digits(5, 2)), static_cast<unsigned>(digits(8, 2)));
}

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
    // Set-based reads streamed straight into columns (db::CopyRows: PostgreSQL's COPY, no row object per
    // row), all at the same time on several connections: the loans in id order, their instalments and
    // their repayments up to the date in whatever order the database returns them (no sort of tens of
    // millions of rows in the server; PortfolioColumns::SetInstalments puts the instalments in place).
    // An area's reader gets only its loans' rows, the scope in each query. A national reader may see
    // every loan: the instalments and repayments of loans outside the read (disbursed after the date)
    // are dropped here by the loan index instead of a join in the server, which doubles the server's
    // work; on PostgreSQL each of those two tables is read in two halves of its pages (TID range scans)
    // so that the server's share of the work, which dominates, spreads over the cores.
    const std::string loans_in_scope =
        "FROM microcredit_loans l WHERE l.disbursed_on <= :d AND " + db::AreaScopeSql("l.commune_code", "sc");
    const db::ScanParam area = scope.area ? db::ScanParam(*scope.area) : db::ScanParam();
    const std::vector<db::ScanParam> in_scope{as_of, area, area, scope.day, scope.day};
    const bool national = !scope.area.has_value();
    PortfolioData out;
    PortfolioColumns& p = out.columns;

    // The parts of a large table's read: one query, or on PostgreSQL for a national reader two halves.
    struct Part {
      std::string query;
      std::size_t expected_rows = 0;  // from the planner's statistics, to size the columns once
    };
    auto parts_of = [&](const std::string& table, const std::string& select, const std::string& condition) {
      std::vector<Part> parts;
      const std::string query = select + " WHERE " + condition;
      if (!national) {
        parts.push_back({query + " AND loan_id IN (SELECT l.id " + loans_in_scope + ")", 0});
        return parts;
      }
      if (db_.dialect() != db::Dialect::kPostgres) {
        parts.push_back({query, 0});
        return parts;
      }
      long long pages = 0, rows = 0;
      auto s = db_.Acquire();
      s.sql() << "SELECT CAST(pg_relation_size(c.oid) / CAST(current_setting('block_size') AS integer) AS bigint), "
                 "CAST(GREATEST(c.reltuples, 0) AS bigint) FROM pg_class c WHERE c.oid = CAST(:t AS regclass)",
          soci::use(table), soci::into(pages), soci::into(rows);
      const std::string half = fmt::format("CAST('({},0)' AS tid)", pages / 2);
      const auto each = static_cast<std::size_t>(rows / 2 + rows / 20);
      parts.push_back({query + " AND ctid < " + half, each});
      parts.push_back({query + " AND ctid >= " + half, each});  // and the rows added since
      return parts;
    };
    const std::vector<Part> instalment_parts = parts_of(
        "microcredit_instalments", "SELECT loan_id, due_on, principal_minor FROM microcredit_instalments", "1 = 1");
    const std::vector<Part> repayment_parts = parts_of(
        "microcredit_repayments", "SELECT loan_id, paid_on, amount_minor FROM microcredit_repayments", "paid_on <= :p");

    // Rows as read: the loan's id (its position is known once every read is done), a day, an amount.
    struct Rows {
      std::vector<std::int64_t> loan;
      std::vector<Day> day;
      std::vector<std::int64_t> minor;
    };
    std::vector<Rows> instalment_rows(instalment_parts.size()), repayment_rows(repayment_parts.size());
    std::vector<std::function<void(db::Session&)>> reads;
    std::map<std::string, std::int32_t, std::less<>> groups;
    std::vector<std::int64_t> ids;
    reads.emplace_back([&](db::Session& s) {
      db::CopyRows(s,
                   "SELECT l.id, " + key + ", l.principal_minor, l.written_off_on " + loans_in_scope + " ORDER BY l.id",
                   in_scope, [&](const db::ScanRow& r) {
                     const std::string_view g = r.Null(1) ? std::string_view() : r.Text(1);
                     auto it = groups.find(g);
                     if (it == groups.end()) {
                       it = groups.emplace(std::string(g), static_cast<std::int32_t>(groups.size())).first;
                       out.group_names.emplace_back(g);
                     }
                     ids.push_back(r.Int(0));
                     p.group.push_back(it->second);
                     p.disbursed_minor.push_back(r.Int(2));
                     p.written_off_on.push_back(r.Null(3) ? PortfolioColumns::kNever : DayOfIso(r.Text(3)));
                   });
    });
    auto read_part = [&](const Part& part, Rows& rows, std::vector<db::ScanParam> params) {
      return [&part, &rows, params = std::move(params)](db::Session& s) {
        rows.loan.reserve(part.expected_rows);
        rows.day.reserve(part.expected_rows);
        rows.minor.reserve(part.expected_rows);
        db::CopyRows(s, part.query, params, [&](const db::ScanRow& r) {
          rows.loan.push_back(r.Int(0));
          rows.day.push_back(DayOfIso(r.Text(1)));
          rows.minor.push_back(r.Int(2));
        });
      };
    };
    for (std::size_t k = 0; k < instalment_parts.size(); ++k) {
      reads.emplace_back(
          read_part(instalment_parts[k], instalment_rows[k], national ? std::vector<db::ScanParam>{} : in_scope));
    }
    std::vector<db::ScanParam> repayment_params{as_of};
    if (!national) repayment_params.insert(repayment_params.end(), in_scope.begin(), in_scope.end());
    for (std::size_t k = 0; k < repayment_parts.size(); ++k) {
      reads.emplace_back(read_part(repayment_parts[k], repayment_rows[k], repayment_params));
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

    // Loan ids to positions, the parts in order (each in table order, so together they are too).
    const LoanIndex index(ids);
    std::size_t total = 0;
    for (const auto& r : instalment_rows) total += r.loan.size();
    std::vector<std::uint32_t> loan_of;
    std::vector<Day> due;
    std::vector<std::int64_t> principal;
    loan_of.reserve(total);
    due.reserve(total);
    principal.reserve(total);
    for (auto& rows : instalment_rows) {
      for (std::size_t i = 0; i < rows.loan.size(); ++i) {
        const std::uint32_t k = index.Of(rows.loan[i]);
        if (k == LoanIndex::kNone) continue;
        loan_of.push_back(k);
        due.push_back(rows.day[i]);
        principal.push_back(rows.minor[i]);
      }
      rows = Rows{};
    }
    p.SetInstalments(loan_of, std::move(due), std::move(principal));
    total = 0;
    for (const auto& r : repayment_rows) total += r.loan.size();
    p.repayment_loan.reserve(total);
    p.repayment_on.reserve(total);
    p.repayment_minor.reserve(total);
    for (auto& rows : repayment_rows) {
      for (std::size_t i = 0; i < rows.loan.size(); ++i) {
        const std::uint32_t k = index.Of(rows.loan[i]);
        if (k != LoanIndex::kNone) p.AddRepayment(k, rows.day[i], rows.minor[i]);
      }
      rows = Rows{};
    }
    out.loan_ids = std::move(ids);  // the index is not used past this point
    return out;
  });
}

}  // namespace sanad::microcredit
