#include "microcredit/product.h"

#include <algorithm>

namespace sanad::microcredit {

std::string_view ProductName(ProductCode p) { return p == ProductCode::kPnr ? "PNR" : "TRIANGULAR"; }

std::optional<ProductCode> ParseProduct(std::string_view name) {
  if (name == "PNR") return ProductCode::kPnr;
  if (name == "TRIANGULAR") return ProductCode::kTriangular;
  return std::nullopt;
}

const std::vector<PnrParameters>& PnrVersions() {
  // domain.md §2.1. Only the values in force since decree 19-137 (29 Apr 2019) are recorded; earlier
  // dates are refused rather than computed with figures nobody checked.
  static const std::vector<PnrParameters> versions{{
      .effective_from = {2019, 4, 29},
      .legal_basis = "Executive decree 04-15 as completed by decree 19-137 of 29 Apr 2019 (JO 29)",
      .ceiling_minor = 100'000 * kMinorPerDinar,
      .south_ceiling_minor = 250'000 * kMinorPerDinar,
      // Adrar, Laghouat, Biskra, Béchar, Tamanrasset, Ouargla, Illizi, Tindouf, El Oued, Ghardaïa.
      .south_wilayas = {"DZ-01", "DZ-03", "DZ-07", "DZ-08", "DZ-11", "DZ-30", "DZ-33", "DZ-37", "DZ-39", "DZ-47"},
      // Up to 40,000 DA: 24 months after 3 months of grace; above: 36 months after 3 months of grace
      // (the Mascara ANGEM page). The southern ceiling's loans above 100,000 DA follow the last band.
      .bands = {{40'000 * kMinorPerDinar, 24, 3}, {250'000 * kMinorPerDinar, 36, 3}},
  }};
  return versions;
}

const std::vector<TriangularParameters>& TriangularVersions() {
  static const std::vector<TriangularParameters> versions{{
      .effective_from = {2019, 4, 29},
      .legal_basis = "Executive decree 04-15 as completed by decree 19-137 of 29 Apr 2019 (JO 29)",
      .max_cost_minor = 1'000'000 * kMinorPerDinar,
      .bank_percent = 70,
      .angem_percent = 29,
      .personal_percent = 1,
      .bank_interest_subsidy_percent = 100,
      .bank_term_months = 96,
      .bank_principal_deferral_months = 36,
      .bank_interest_deferral_months = 12,
      .angem_term_months = 96,
      .angem_deferral_months = 36,
      .guarantee_fund = true,
  }};
  return versions;
}

namespace {

template <typename V>
Result<V> InForce(const std::vector<V>& versions, const Date& on) {
  const V* found = nullptr;
  for (const auto& v : versions) {
    if (v.effective_from <= on) found = &v;
  }
  if (!found) {
    return Failure(Code::kFailedPrecondition, "microcredit.no_parameters", {{"date", on.ToString()}}, "disbursed_on");
  }
  return *found;
}

}  // namespace

Result<PnrParameters> PnrOn(const Date& on) { return InForce(PnrVersions(), on); }
Result<TriangularParameters> TriangularOn(const Date& on) { return InForce(TriangularVersions(), on); }

bool IsSouthWilaya(const PnrParameters& p, std::string_view wilaya) {
  return std::find(p.south_wilayas.begin(), p.south_wilayas.end(), wilaya) != p.south_wilayas.end();
}

}  // namespace sanad::microcredit
