// Arrears ageing and portfolio quality (docs/microcredit.md "Portfolio quality"), computed over columns
// (one array per attribute, loans and instalments as parallel arrays) in one pass, never through one
// object per loan. Pure: the store fills the columns from the database; the same engine serves the API,
// the nightly ageing and the benchmark.
//
// Allocation order (the same everywhere): a loan's repayments up to the date, summed, pay its instalments'
// principal oldest due date first; what exceeds the instalments fallen due pays the next ones in due order
// (an early repayment). The products charge no interest and no penalty, so principal is all there is.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sanad::microcredit {

// Days are counted from 1970-01-01 (std::chrono::sys_days).
using Day = std::int32_t;
Day DayOf(int year, unsigned month, unsigned day);

// Delinquency buckets by days in arrears: 0, 1–30, 31–60, 61–90, 91–180, more than 180.
inline constexpr int kBuckets = 6;
int BucketOf(int days_in_arrears);
std::string_view BucketName(int bucket);  // "0", "1-30", "31-60", "61-90", "91-180", "180+"

// The portfolio as columns. Loan i's instalments are [instalment_begin[i], instalment_begin[i + 1]) in
// due order; its repayments are any rows of the repayment columns with repayment_loan == i.
struct PortfolioColumns {
  std::vector<std::int32_t> group;              // per loan: index of its group (wilaya, product, cohort…)
  std::vector<std::int64_t> disbursed_minor;    // per loan
  std::vector<Day> written_off_on;              // per loan: the write-off date, or kNever
  std::vector<std::uint32_t> instalment_begin;  // loans + 1 offsets
  std::vector<Day> due_on;                      // per instalment
  std::vector<std::int64_t> principal_minor;    // per instalment
  std::vector<std::uint32_t> repayment_loan;    // per repayment
  std::vector<Day> repayment_on;                // per repayment
  std::vector<std::int64_t> repayment_minor;    // per repayment

  static constexpr Day kNever = INT32_MAX;
  std::size_t loans() const { return disbursed_minor.size(); }
  // Appends a loan with its instalments; returns its index.
  std::uint32_t AddLoan(std::int32_t group, std::int64_t disbursed_minor, std::span<const Day> due_on,
                        std::span<const std::int64_t> principal_minor, Day written_off_on = kNever);
  void AddRepayment(std::uint32_t loan, Day on, std::int64_t minor);
  // Sets the instalments of the `loans()` loans from rows in any order (row r: the loan's position
  // loan_of[r], due[r], principal[r]), as a database returns them without a sort: each loan's
  // instalments contiguous, in due order (rows due the same day keep their order). Rows already in that
  // order (the usual case: schedules are written loan by loan) are taken as they are.
  void SetInstalments(std::span<const std::uint32_t> loan_of, std::vector<Day> due,
                      std::vector<std::int64_t> principal);
};

// One loan's position on a date.
struct LoanAgeing {
  std::int64_t repaid_minor = 0;       // repayments up to the date
  std::int64_t outstanding_minor = 0;  // principal not yet repaid (0 once written off)
  std::int64_t due_minor = 0;          // principal of the instalments due before the date
  std::int64_t overdue_minor = 0;      // principal fallen due and unpaid (0 once written off)
  int days_in_arrears = 0;             // of its oldest unpaid instalment fallen due (0 when none)
  bool written_off = false;
};

// Ageing of every loan on `as_of`. An instalment counts as fallen due, and is late, from the day after its
// due date: one paid on its due date was never late. Output arrays have one entry per loan.
std::vector<LoanAgeing> AgeLoans(const PortfolioColumns& p, Day as_of);

// Days in arrears of each of loan `loan`'s instalments on `as_of` (0 when paid in time or not yet due),
// and what remains unpaid of each, in the allocation order above.
struct InstalmentAgeing {
  std::int64_t paid_minor = 0;
  std::int64_t unpaid_minor = 0;
  int days_in_arrears = 0;
};
std::vector<InstalmentAgeing> AgeInstalments(const PortfolioColumns& p, std::uint32_t loan, Day as_of);

// Portfolio quality of one group (or of the whole portfolio).
struct QualityFigures {
  std::int64_t loans = 0;         // disbursed loans
  std::int64_t active_loans = 0;  // outstanding > 0
  std::int64_t disbursed_minor = 0;
  std::int64_t outstanding_minor = 0;  // gross outstanding portfolio
  std::int64_t overdue_minor = 0;
  std::int64_t par1_minor = 0;           // outstanding of loans more than 1 day in arrears
  std::int64_t par30_minor = 0;          // … more than 30 days
  std::int64_t par90_minor = 0;          // … more than 90 days
  std::int64_t due_minor = 0;            // principal fallen due (excluding written-off loans)
  std::int64_t repaid_on_due_minor = 0;  // repaid, up to what had fallen due
  std::int64_t written_off_minor = 0;    // principal outstanding when written off
  std::array<std::int64_t, kBuckets> bucket_loans{};
  std::array<std::int64_t, kBuckets> bucket_outstanding_minor{};

  // Adds another group's figures (every figure is a sum): the whole portfolio from its groups.
  QualityFigures& operator+=(const QualityFigures& o);

  // Ratios (0 when the denominator is 0):
  double Par1() const;           // par1 / outstanding
  double Par30() const;          // par30 / outstanding
  double Par90() const;          // par90 / outstanding
  double ArrearsRate() const;    // overdue / outstanding (not PAR: amounts late, not balances at risk)
  double RepaymentRate() const;  // repaid_on_due / due
  double WriteOffRatio() const;  // written_off / disbursed
};

// Figures per group (index = group number, `groups` entries) from the ageing of AgeLoans.
std::vector<QualityFigures> Quality(const PortfolioColumns& p, std::span<const LoanAgeing> ageing, std::size_t groups);

}  // namespace sanad::microcredit
