#include "microcredit/schedule.h"

#include <chrono>
#include <string>

namespace sanad::microcredit {
namespace {

std::string Dinars(std::int64_t minor) { return std::to_string(minor / kMinorPerDinar); }

// `part`% of `whole_minor`, rounded to the nearest dinar (halves up).
std::int64_t PercentToDinar(std::int64_t whole_minor, int part) {
  const std::int64_t dinars100 = whole_minor / kMinorPerDinar * part;  // hundredths of a dinar
  return (dinars100 + 50) / 100 * kMinorPerDinar;
}

}  // namespace

Date AddMonths(const Date& d, int months) {
  using namespace std::chrono;
  const int index = d.year * 12 + static_cast<int>(d.month) - 1 + months;
  const year_month ym{year{index / 12}, month{static_cast<unsigned>(index % 12) + 1}};
  const unsigned last = static_cast<unsigned>(year_month_day_last(ym.year(), month_day_last(ym.month())).day());
  return Date{index / 12, static_cast<unsigned>(index % 12) + 1, d.day < last ? d.day : last};
}

Result<Schedule> EqualInstalments(std::int64_t principal_minor, int count, int grace_months, const Date& disbursed_on) {
  if (principal_minor <= 0 || principal_minor % kMinorPerDinar != 0) {
    return Failure(Code::kInvalidArgument, "microcredit.principal_whole_dinars", {}, "principal");
  }
  const std::int64_t dinars = principal_minor / kMinorPerDinar;
  const std::int64_t each = (2 * dinars + count) / (2 * count);  // dinars / count, halves up
  const std::int64_t last = dinars - each * (count - 1);
  if (each < 1 || last < 1) {
    return Failure(Code::kFailedPrecondition, "microcredit.principal_too_small",
                   {{"count", std::to_string(count)}, {"amount", std::to_string(dinars)}}, "principal");
  }
  Schedule s;
  s.grace_months = grace_months;
  s.instalments.reserve(static_cast<std::size_t>(count));
  for (int n = 1; n <= count; ++n) {
    s.instalments.push_back(
        Instalment{n, AddMonths(disbursed_on, grace_months + n), (n == count ? last : each) * kMinorPerDinar, 0});
    s.total_minor += s.instalments.back().principal_minor;
  }
  return s;
}

Result<PnrPlan> PlanPnr(std::int64_t principal_minor, const Date& disbursed_on, const std::string& wilaya) {
  auto p = PnrOn(disbursed_on);
  if (!p) return std::unexpected(p.error());
  PnrPlan plan;
  plan.ceiling_minor = IsSouthWilaya(*p, wilaya) ? p->south_ceiling_minor : p->ceiling_minor;
  if (principal_minor > plan.ceiling_minor) {
    return Failure(Code::kFailedPrecondition, "microcredit.over_ceiling",
                   {{"amount", Dinars(principal_minor)}, {"ceiling", Dinars(plan.ceiling_minor)}, {"wilaya", wilaya}},
                   "principal");
  }
  const RepaymentBand* band = &p->bands.back();
  for (const auto& b : p->bands) {
    if (principal_minor <= b.up_to_minor) {
      band = &b;
      break;
    }
  }
  auto s = EqualInstalments(principal_minor, band->instalments, band->grace_months, disbursed_on);
  if (!s) return std::unexpected(s.error());
  plan.parameters = std::move(*p);
  plan.schedule = std::move(*s);
  return plan;
}

Result<TriangularPlan> PlanTriangular(std::int64_t cost_minor, const Date& disbursed_on) {
  auto p = TriangularOn(disbursed_on);
  if (!p) return std::unexpected(p.error());
  if (cost_minor > p->max_cost_minor) {
    return Failure(Code::kFailedPrecondition, "microcredit.over_ceiling",
                   {{"amount", Dinars(cost_minor)}, {"ceiling", Dinars(p->max_cost_minor)}, {"wilaya", "*"}},
                   "principal");
  }
  if (cost_minor <= 0 || cost_minor % kMinorPerDinar != 0) {
    return Failure(Code::kInvalidArgument, "microcredit.principal_whole_dinars", {}, "principal");
  }
  TriangularPlan plan;
  plan.cost_minor = cost_minor;
  plan.angem_minor = PercentToDinar(cost_minor, p->angem_percent);
  plan.personal_minor = PercentToDinar(cost_minor, p->personal_percent);
  // The bank loan takes what rounding left, so that the three parts always sum to the cost.
  plan.bank_minor = cost_minor - plan.angem_minor - plan.personal_minor;
  auto bank = EqualInstalments(plan.bank_minor, p->bank_term_months - p->bank_principal_deferral_months,
                               p->bank_principal_deferral_months, disbursed_on);
  if (!bank) return std::unexpected(bank.error());
  auto angem = EqualInstalments(plan.angem_minor, p->angem_term_months - p->angem_deferral_months,
                                p->angem_deferral_months, disbursed_on);
  if (!angem) return std::unexpected(angem.error());
  plan.parameters = std::move(*p);
  plan.bank = std::move(*bank);
  plan.angem = std::move(*angem);
  return plan;
}

}  // namespace sanad::microcredit
