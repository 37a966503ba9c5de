#include "microcredit/portfolio.h"

#include <algorithm>
#include <chrono>

namespace sanad::microcredit {

Day DayOf(int year, unsigned month, unsigned day) {
  using namespace std::chrono;
  return static_cast<Day>(
      sys_days(std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}).time_since_epoch().count());
}

int BucketOf(int days) {
  if (days <= 0) return 0;
  if (days <= 30) return 1;
  if (days <= 60) return 2;
  if (days <= 90) return 3;
  if (days <= 180) return 4;
  return 5;
}

std::string_view BucketName(int bucket) {
  static constexpr std::string_view kNames[kBuckets] = {"0", "1-30", "31-60", "61-90", "91-180", "180+"};
  return kNames[std::clamp(bucket, 0, kBuckets - 1)];
}

std::uint32_t PortfolioColumns::AddLoan(std::int32_t g, std::int64_t disbursed, std::span<const Day> due,
                                        std::span<const std::int64_t> principal, Day written_off) {
  if (instalment_begin.empty()) instalment_begin.push_back(0);
  group.push_back(g);
  disbursed_minor.push_back(disbursed);
  written_off_on.push_back(written_off);
  due_on.insert(due_on.end(), due.begin(), due.end());
  principal_minor.insert(principal_minor.end(), principal.begin(), principal.end());
  instalment_begin.push_back(static_cast<std::uint32_t>(due_on.size()));
  return static_cast<std::uint32_t>(group.size() - 1);
}

void PortfolioColumns::AddRepayment(std::uint32_t loan, Day on, std::int64_t minor) {
  repayment_loan.push_back(loan);
  repayment_on.push_back(on);
  repayment_minor.push_back(minor);
}

void PortfolioColumns::SetInstalments(std::span<const std::uint32_t> loan_of, std::vector<Day> due,
                                      std::vector<std::int64_t> principal) {
  const std::size_t n = loans();
  instalment_begin.assign(n + 1, 0);
  bool in_order = true;
  for (std::size_t r = 0; r < loan_of.size(); ++r) {
    ++instalment_begin[loan_of[r] + 1];
    if (r > 0 && (loan_of[r] < loan_of[r - 1] || (loan_of[r] == loan_of[r - 1] && due[r] < due[r - 1]))) {
      in_order = false;
    }
  }
  for (std::size_t k = 0; k < n; ++k) instalment_begin[k + 1] += instalment_begin[k];
  if (in_order) {
    due_on = std::move(due);
    principal_minor = std::move(principal);
    return;
  }
  // A counting sort on the loan, then each loan's few rows by due date.
  std::vector<std::uint32_t> next(instalment_begin.begin(), instalment_begin.end() - 1);
  std::vector<std::uint32_t> order(loan_of.size());
  for (std::uint32_t r = 0; r < loan_of.size(); ++r) order[next[loan_of[r]]++] = r;
  for (std::size_t k = 0; k < n; ++k) {
    std::stable_sort(order.begin() + instalment_begin[k], order.begin() + instalment_begin[k + 1],
                     [&](std::uint32_t a, std::uint32_t b) { return due[a] < due[b]; });
  }
  due_on.resize(order.size());
  principal_minor.resize(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    due_on[i] = due[order[i]];
    principal_minor[i] = principal[order[i]];
  }
}

std::vector<LoanAgeing> AgeLoans(const PortfolioColumns& p, Day as_of) {
  const std::size_t n = p.loans();
  std::vector<LoanAgeing> out(n);
  // Repayments up to the date, summed per loan (one pass over the repayment columns).
  for (std::size_t r = 0; r < p.repayment_loan.size(); ++r) {
    if (p.repayment_on[r] <= as_of) out[p.repayment_loan[r]].repaid_minor += p.repayment_minor[r];
  }
  for (std::size_t i = 0; i < n; ++i) {
    LoanAgeing& a = out[i];
    const std::uint32_t begin = p.instalment_begin[i];
    const std::uint32_t end = p.instalment_begin[i + 1];
    std::int64_t scheduled = 0;
    std::int64_t cumulative = 0;  // principal of the instalments so far
    Day oldest_unpaid_due = PortfolioColumns::kNever;
    for (std::uint32_t k = begin; k < end; ++k) {
      scheduled += p.principal_minor[k];
      cumulative += p.principal_minor[k];
      if (p.due_on[k] < as_of) {  // late from the day after its due date
        a.due_minor += p.principal_minor[k];
        // Oldest first: instalment k is unpaid while the repayments do not reach its cumulative total.
        if (cumulative > a.repaid_minor && oldest_unpaid_due == PortfolioColumns::kNever) {
          oldest_unpaid_due = p.due_on[k];
        }
      }
    }
    a.written_off = p.written_off_on[i] <= as_of;
    if (a.written_off) continue;  // outstanding, overdue and arrears all 0: it left the portfolio
    a.outstanding_minor = std::max<std::int64_t>(0, scheduled - a.repaid_minor);
    a.overdue_minor = std::max<std::int64_t>(0, a.due_minor - a.repaid_minor);
    if (oldest_unpaid_due != PortfolioColumns::kNever) a.days_in_arrears = as_of - oldest_unpaid_due;
  }
  return out;
}

std::vector<InstalmentAgeing> AgeInstalments(const PortfolioColumns& p, std::uint32_t loan, Day as_of) {
  std::int64_t repaid = 0;
  for (std::size_t r = 0; r < p.repayment_loan.size(); ++r) {
    if (p.repayment_loan[r] == loan && p.repayment_on[r] <= as_of) repaid += p.repayment_minor[r];
  }
  std::vector<InstalmentAgeing> out;
  for (std::uint32_t k = p.instalment_begin[loan]; k < p.instalment_begin[loan + 1]; ++k) {
    InstalmentAgeing a;
    a.paid_minor = std::min(repaid, p.principal_minor[k]);
    repaid -= a.paid_minor;
    a.unpaid_minor = p.principal_minor[k] - a.paid_minor;
    if (a.unpaid_minor > 0 && p.due_on[k] < as_of) a.days_in_arrears = as_of - p.due_on[k];
    out.push_back(a);
  }
  return out;
}

namespace {
double Ratio(std::int64_t a, std::int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); }
}  // namespace

QualityFigures& QualityFigures::operator+=(const QualityFigures& o) {
  loans += o.loans;
  active_loans += o.active_loans;
  disbursed_minor += o.disbursed_minor;
  outstanding_minor += o.outstanding_minor;
  overdue_minor += o.overdue_minor;
  par1_minor += o.par1_minor;
  par30_minor += o.par30_minor;
  par90_minor += o.par90_minor;
  due_minor += o.due_minor;
  repaid_on_due_minor += o.repaid_on_due_minor;
  written_off_minor += o.written_off_minor;
  for (std::size_t b = 0; b < kBuckets; ++b) {
    bucket_loans[b] += o.bucket_loans[b];
    bucket_outstanding_minor[b] += o.bucket_outstanding_minor[b];
  }
  return *this;
}

double QualityFigures::Par1() const { return Ratio(par1_minor, outstanding_minor); }
double QualityFigures::Par30() const { return Ratio(par30_minor, outstanding_minor); }
double QualityFigures::Par90() const { return Ratio(par90_minor, outstanding_minor); }
double QualityFigures::ArrearsRate() const { return Ratio(overdue_minor, outstanding_minor); }
double QualityFigures::RepaymentRate() const { return Ratio(repaid_on_due_minor, due_minor); }
double QualityFigures::WriteOffRatio() const { return Ratio(written_off_minor, disbursed_minor); }

std::vector<QualityFigures> Quality(const PortfolioColumns& p, std::span<const LoanAgeing> ageing, std::size_t groups) {
  std::vector<QualityFigures> out(groups);
  for (std::size_t i = 0; i < p.loans(); ++i) {
    QualityFigures& q = out[static_cast<std::size_t>(p.group[i])];
    const LoanAgeing& a = ageing[i];
    q.loans += 1;
    q.disbursed_minor += p.disbursed_minor[i];
    if (a.written_off) {
      std::int64_t scheduled = 0;
      for (std::uint32_t k = p.instalment_begin[i]; k < p.instalment_begin[i + 1]; ++k)
        scheduled += p.principal_minor[k];
      q.written_off_minor += std::max<std::int64_t>(0, scheduled - a.repaid_minor);
      continue;
    }
    if (a.outstanding_minor > 0) q.active_loans += 1;
    q.outstanding_minor += a.outstanding_minor;
    q.overdue_minor += a.overdue_minor;
    if (a.days_in_arrears > 1) q.par1_minor += a.outstanding_minor;
    if (a.days_in_arrears > 30) q.par30_minor += a.outstanding_minor;
    if (a.days_in_arrears > 90) q.par90_minor += a.outstanding_minor;
    q.due_minor += a.due_minor;
    q.repaid_on_due_minor += std::min(a.repaid_minor, a.due_minor);
    if (a.outstanding_minor > 0) {
      const int b = BucketOf(a.days_in_arrears);
      q.bucket_loans[static_cast<std::size_t>(b)] += 1;
      q.bucket_outstanding_minor[static_cast<std::size_t>(b)] += a.outstanding_minor;
    }
  }
  return out;
}

}  // namespace sanad::microcredit
