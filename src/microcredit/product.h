// ANGEM micro-credit products (docs/microcredit.md, domain.md §2.1): their effective-dated parameters
// and the two built-in formulas. Pure: no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace sanad::microcredit {

// Money is in minor units (santimes: 1 DA = 100). Schedules are rounded to the dinar.
inline constexpr std::int64_t kMinorPerDinar = 100;

enum class ProductCode { kPnr, kTriangular };
std::string_view ProductName(ProductCode p);  // "PNR", "TRIANGULAR"
std::optional<ProductCode> ParseProduct(std::string_view name);

// A repayment band of the raw-material loan: loans up to `up_to_minor` are repaid in `instalments`
// monthly instalments after `grace_months` without repayment.
struct RepaymentBand {
  std::int64_t up_to_minor = 0;
  int instalments = 0;
  int grace_months = 0;
};

// One version of the raw-material interest-free loan (PNR), in force from `effective_from`.
struct PnrParameters {
  Date effective_from;
  std::string legal_basis;
  std::int64_t ceiling_minor = 0;        // everywhere but the southern wilayas
  std::int64_t south_ceiling_minor = 0;  // the wilayas of `south_wilayas`
  std::vector<std::string> south_wilayas;
  std::vector<RepaymentBand> bands;  // ascending by up_to_minor; the last reaches the ceiling
};

// One version of triangular financing (ANGEM + bank + beneficiary), in force from `effective_from`.
struct TriangularParameters {
  Date effective_from;
  std::string legal_basis;
  std::int64_t max_cost_minor = 0;
  int bank_percent = 0;      // bank loan, its interest fully subsidised
  int angem_percent = 0;     // ANGEM interest-free loan
  int personal_percent = 0;  // the beneficiary's own contribution
  int bank_interest_subsidy_percent = 0;
  int bank_term_months = 0;  // including the deferrals below
  int bank_principal_deferral_months = 0;
  int bank_interest_deferral_months = 0;
  // The ANGEM loan's own term and deferral: domain.md is silent; it runs beside the bank loan.
  int angem_term_months = 0;
  int angem_deferral_months = 0;
  bool guarantee_fund = false;  // the bank loan is guaranteed by the mutual guarantee fund
};

// The built-in versions, oldest first (domain.md §2.1: decree 04-15 completed by decree 19-137).
const std::vector<PnrParameters>& PnrVersions();
const std::vector<TriangularParameters>& TriangularVersions();

// The version in force on `on`. Errors: kFailedPrecondition "microcredit.no_parameters" (field
// "disbursed_on") when no version is in force on that date.
Result<PnrParameters> PnrOn(const Date& on);
Result<TriangularParameters> TriangularOn(const Date& on);

// True for the wilaya codes ("DZ-01") where the higher PNR ceiling applies.
bool IsSouthWilaya(const PnrParameters& p, std::string_view wilaya);

}  // namespace sanad::microcredit
