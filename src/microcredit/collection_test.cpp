// Collection tasks and the citizen's pre-registration preview (docs/microcredit.md "Collection tasks",
// "Pre-registration"; domain.md §2.1 for the ceilings and the age).
#include <gtest/gtest.h>

#include "microcredit/collection.h"
#include "microcredit/preregistration.h"
#include "microcredit/product.h"

namespace sanad::microcredit {
namespace {

Repayment Paid(const std::string& on, std::int64_t minor) {
  Repayment r;
  r.paid_on = on;
  r.amount_minor = minor;
  return r;
}

TEST(Promise, KeptWhenTheRepaymentsBetweenThePromiseAndItsDateReachTheAmount) {
  // Promised on 1 March to pay 1,000 DA by 10 March.
  const std::vector<Repayment> none;
  EXPECT_EQ(PromiseState(100'000, "2026-03-01", "2026-03-10", none, "2026-03-05"), "pending");
  EXPECT_EQ(PromiseState(100'000, "2026-03-01", "2026-03-10", none, "2026-03-10"), "pending");
  EXPECT_EQ(PromiseState(100'000, "2026-03-01", "2026-03-10", none, "2026-03-11"), "broken");
  // Two payments of 500 DA within the window: kept.
  const std::vector<Repayment> two{Paid("2026-03-02", 50'000), Paid("2026-03-10", 50'000)};
  EXPECT_EQ(PromiseState(100'000, "2026-03-01", "2026-03-10", two, "2026-04-01"), "kept");
  // Before the second one was received it was still pending.
  EXPECT_EQ(PromiseState(100'000, "2026-03-01", "2026-03-10", two, "2026-03-05"), "pending");
  // A payment before the promise, or after its date, does not keep it.
  const std::vector<Repayment> outside{Paid("2026-02-28", 100'000), Paid("2026-03-11", 100'000)};
  EXPECT_EQ(PromiseState(100'000, "2026-03-01", "2026-03-10", outside, "2026-03-20"), "broken");
}

TEST(NightlyProposal, FindsTheLoansInThe31To60DaysBucketAndTheDayTheyEnteredIt) {
  // Three loans of one 1,000 DA instalment due 1 March 2026, on 15 April (45 days late): unpaid, paid,
  // written off; and one due 10 April (5 days late).
  PortfolioData data;
  const std::vector<Day> march{DayOf(2026, 3, 1)};
  const std::vector<Day> april{DayOf(2026, 4, 10)};
  const std::vector<std::int64_t> principal{100'000};
  data.columns.AddLoan(0, 100'000, march, principal);
  data.loan_ids.push_back(11);
  const auto paid = data.columns.AddLoan(0, 100'000, march, principal);
  data.loan_ids.push_back(12);
  data.columns.AddRepayment(paid, DayOf(2026, 3, 1), 100'000);
  data.columns.AddLoan(0, 100'000, march, principal, DayOf(2026, 4, 1));
  data.loan_ids.push_back(13);
  data.columns.AddLoan(0, 100'000, april, principal);
  data.loan_ids.push_back(14);
  const auto found = LoansIn31To60(data, "2026-04-15");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].loan_id, 11);
  EXPECT_EQ(found[0].days_in_arrears, 45);
  // Late from 2 March: 31 days late on 1 April.
  EXPECT_EQ(found[0].entered_on, "2026-04-01");
  // On 30 March (29 days) and on 1 May (61 days) it is in another bucket.
  EXPECT_TRUE(LoansIn31To60(data, "2026-03-30").empty());
  EXPECT_TRUE(LoansIn31To60(data, "2026-05-01").empty());
}

PreRegistration Form(const std::string& product, std::int64_t dinars, const std::string& wilaya,
                     const std::string& birth) {
  PreRegistration p;
  p.product = product;
  p.estimated_cost_minor = dinars * kMinorPerDinar;
  p.wilaya_code = wilaya;
  p.birth_date = birth;
  return p;
}

std::vector<std::string> Codes(const std::vector<ReasonRow>& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.reason);
  return out;
}

// domain.md §2.1 (decree 19-137): PNR ceiling 100,000 DA, 250,000 DA in the ten southern wilayas;
// triangular projects up to 1,000,000 DA; the applicant 18 or over.
TEST(PreRegistrationPreview, AgeAndTheProductCeilingOfTheWilaya) {
  const Date today{2026, 12, 5};
  EXPECT_TRUE(PreviewEligibility(Form("PNR", 100'000, "DZ-31", "1990-01-01"), today).empty());
  EXPECT_EQ(Codes(PreviewEligibility(Form("PNR", 100'001, "DZ-31", "1990-01-01"), today)),
            std::vector<std::string>{"microcredit.over_ceiling"});
  // Ouargla (DZ-30) is a southern wilaya.
  EXPECT_TRUE(PreviewEligibility(Form("PNR", 250'000, "DZ-30", "1990-01-01"), today).empty());
  EXPECT_TRUE(PreviewEligibility(Form("TRIANGULAR", 1'000'000, "DZ-31", "1990-01-01"), today).empty());
  EXPECT_EQ(Codes(PreviewEligibility(Form("TRIANGULAR", 1'000'001, "DZ-31", "1990-01-01"), today)),
            std::vector<std::string>{"microcredit.over_ceiling"});
  // 18 on the day: eligible; the day before the birthday: not.
  EXPECT_TRUE(PreviewEligibility(Form("PNR", 40'000, "DZ-31", "2008-12-05"), today).empty());
  EXPECT_EQ(Codes(PreviewEligibility(Form("PNR", 40'000, "DZ-31", "2008-12-06"), today)),
            std::vector<std::string>{"microcredit.reason.under_18"});
}

}  // namespace
}  // namespace sanad::microcredit
