// Repayment schedules of the ANGEM products (docs/microcredit.md "Schedules"): equal monthly
// instalments rounded to the dinar, the remainder on the last, so that a schedule sums exactly to its
// principal. Pure: no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "microcredit/product.h"

namespace sanad::microcredit {

struct Instalment {
  int n = 0;  // 1-based
  Date due_on;
  std::int64_t principal_minor = 0;
  std::int64_t interest_minor = 0;  // interest the borrower pays: 0 (interest-free or fully subsidised)
};

struct Schedule {
  int grace_months = 0;  // months after disbursement before the first instalment falls due
  std::vector<Instalment> instalments;
  std::int64_t total_minor = 0;  // == the principal, always
};

// `d` plus `months` calendar months, the day clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb).
Date AddMonths(const Date& d, int months);

// `count` monthly instalments of `principal_minor` (a whole number of dinars), the first due
// `grace_months` + 1 months after `disbursed_on`. Each is principal / count rounded to the nearest dinar
// (halves up) and the last takes the remainder. Errors (field "principal"): not a positive whole number
// of dinars; too small for every instalment to be at least one dinar.
Result<Schedule> EqualInstalments(std::int64_t principal_minor, int count, int grace_months, const Date& disbursed_on);

// The raw-material loan for `principal_minor` disbursed on `disbursed_on` in `wilaya` ("DZ-31").
struct PnrPlan {
  PnrParameters parameters;
  std::int64_t ceiling_minor = 0;  // the ceiling that applied (southern or not)
  Schedule schedule;
};
// Errors: kFailedPrecondition "microcredit.over_ceiling" (field "principal", with the ceiling and the
// wilaya) above the ceiling in force for that wilaya; those of PnrOn and EqualInstalments.
Result<PnrPlan> PlanPnr(std::int64_t principal_minor, const Date& disbursed_on, const std::string& wilaya);

// A triangular financing project: its cost split between the bank loan, the ANGEM loan and the
// beneficiary, with the two linked loans' schedules.
struct TriangularPlan {
  TriangularParameters parameters;
  std::int64_t cost_minor = 0;
  std::int64_t bank_minor = 0;      // the remainder of the split (see SplitTriangular)
  std::int64_t angem_minor = 0;     // cost × angem% rounded to the dinar
  std::int64_t personal_minor = 0;  // cost × personal% rounded to the dinar
  Schedule bank;                    // principal only: the interest is fully subsidised
  Schedule angem;
};
// Errors: kFailedPrecondition "microcredit.over_ceiling" above the maximum project cost; those of
// TriangularOn and EqualInstalments.
Result<TriangularPlan> PlanTriangular(std::int64_t cost_minor, const Date& disbursed_on);

}  // namespace sanad::microcredit
