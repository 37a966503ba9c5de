// The ANGEM products, their schedules and the portfolio-quality figures (domain.md §2.1;
// docs/microcredit.md).
#include <gtest/gtest.h>

#include <numeric>

#include "microcredit/portfolio.h"
#include "microcredit/schedule.h"

namespace sanad::microcredit {
namespace {

constexpr std::int64_t DA(std::int64_t dinars) { return dinars * kMinorPerDinar; }

std::int64_t Sum(const Schedule& s) {
  std::int64_t total = 0;
  for (const auto& i : s.instalments) total += i.principal_minor;
  return total;
}

// domain.md §2.1, formula 1 (decree 04-15 as completed by decree 19-137): up to 40,000 DA, 24 months
// after a 3-month grace period.
TEST(PnrSchedule, FortyThousandDinarsIn24MonthsAfterThreeMonthsOfGrace) {
  auto plan = PlanPnr(DA(40'000), {2026, 1, 15}, "DZ-31");
  ASSERT_TRUE(plan) << plan.error().reason;
  const Schedule& s = plan->schedule;
  EXPECT_EQ(s.grace_months, 3);
  ASSERT_EQ(s.instalments.size(), 24u);
  EXPECT_EQ(Sum(s), DA(40'000));
  EXPECT_EQ(s.total_minor, DA(40'000));
  // 40,000 / 24 = 1,666.67 → 1,667 DA; the last takes the remainder: 40,000 − 23 × 1,667 = 1,659.
  EXPECT_EQ(s.instalments[0].principal_minor, DA(1'667));
  EXPECT_EQ(s.instalments[22].principal_minor, DA(1'667));
  EXPECT_EQ(s.instalments[23].principal_minor, DA(1'659));
  // Nothing falls due in the three months of grace (February to April); the first in May.
  EXPECT_EQ(s.instalments[0].due_on.ToString(), "2026-05-15");
  EXPECT_EQ(s.instalments[23].due_on.ToString(), "2028-04-15");
  for (const auto& i : s.instalments) EXPECT_EQ(i.interest_minor, 0) << "interest-free";
  EXPECT_EQ(plan->ceiling_minor, DA(100'000));
}

// domain.md §2.1: 40,001–100,000 DA, 36 months after a 3-month grace period.
TEST(PnrSchedule, HundredThousandDinarsIn36MonthsAfterThreeMonthsOfGrace) {
  auto plan = PlanPnr(DA(100'000), {2026, 1, 31}, "DZ-16");
  ASSERT_TRUE(plan) << plan.error().reason;
  const Schedule& s = plan->schedule;
  EXPECT_EQ(s.grace_months, 3);
  ASSERT_EQ(s.instalments.size(), 36u);
  EXPECT_EQ(Sum(s), DA(100'000));
  // 100,000 / 36 = 2,777.78 → 2,778 DA; last 100,000 − 35 × 2,778 = 2,770.
  EXPECT_EQ(s.instalments[0].principal_minor, DA(2'778));
  EXPECT_EQ(s.instalments[35].principal_minor, DA(2'770));
  // Due on the 31st, clamped to the end of shorter months.
  EXPECT_EQ(s.instalments[0].due_on.ToString(), "2026-05-31");
  EXPECT_EQ(s.instalments[1].due_on.ToString(), "2026-06-30");
}

TEST(PnrSchedule, FortyThousandAndOneDinarsTakeTheLongerTerm) {
  auto plan = PlanPnr(DA(40'001), {2026, 1, 15}, "DZ-31");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->schedule.instalments.size(), 36u);
  EXPECT_EQ(Sum(plan->schedule), DA(40'001));
}

// domain.md §2.1: at most 100,000 DA; up to 250,000 DA in the ten southern wilayas.
TEST(PnrSchedule, TheCeilingDependsOnTheWilaya) {
  auto oran = PlanPnr(DA(100'001), {2026, 1, 15}, "DZ-31");
  ASSERT_FALSE(oran);
  EXPECT_EQ(oran.error().reason, "microcredit.over_ceiling");
  EXPECT_EQ(oran.error().field, "principal");
  EXPECT_EQ(oran.error().params, (MessageParams{{"amount", "100001"}, {"ceiling", "100000"}, {"wilaya", "DZ-31"}}));
  for (const char* south : {"DZ-01", "DZ-03", "DZ-07", "DZ-08", "DZ-11", "DZ-30", "DZ-33", "DZ-37", "DZ-39", "DZ-47"}) {
    auto plan = PlanPnr(DA(250'000), {2026, 1, 15}, south);
    ASSERT_TRUE(plan) << south;
    EXPECT_EQ(plan->ceiling_minor, DA(250'000));
    EXPECT_EQ(Sum(plan->schedule), DA(250'000));
    EXPECT_EQ(plan->schedule.instalments.size(), 36u);
    EXPECT_FALSE(PlanPnr(DA(250'001), {2026, 1, 15}, south)) << south;
  }
}

TEST(PnrSchedule, RefusesFractionsOfDinarsAndDatesBeforeTheParameters) {
  EXPECT_EQ(PlanPnr(4'000'050, {2026, 1, 15}, "DZ-31").error().reason, "microcredit.principal_whole_dinars");
  EXPECT_EQ(PlanPnr(0, {2026, 1, 15}, "DZ-31").error().reason, "microcredit.principal_whole_dinars");
  auto early = PlanPnr(DA(40'000), {2019, 4, 28}, "DZ-31");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().reason, "microcredit.no_parameters");
  EXPECT_EQ(early.error().field, "disbursed_on");
  // Too small for 24 instalments of at least one dinar each.
  EXPECT_EQ(PlanPnr(DA(20), {2026, 1, 15}, "DZ-31").error().reason, "microcredit.principal_too_small");
}

TEST(PnrSchedule, EverySchedulesSumsToItsPrincipal) {
  for (std::int64_t dinars = 300; dinars <= 250'000; dinars += 997) {
    auto plan = PlanPnr(DA(dinars), {2026, 3, 31}, "DZ-47");
    ASSERT_TRUE(plan) << dinars;
    EXPECT_EQ(Sum(plan->schedule), DA(dinars)) << dinars;
    for (const auto& i : plan->schedule.instalments) EXPECT_GE(i.principal_minor, DA(1)) << dinars;
  }
}

// domain.md §2.1, formula 2: cost ≤ 1,000,000 DA; bank 70% (interest 100% subsidised), ANGEM 29%
// interest-free, personal 1%; bank loan 8 years including a 3-year principal deferral and a 1-year
// interest deferral; guaranteed by the mutual guarantee fund.
TEST(Triangular, AMillionDinarProjectIsSplit70_29_1) {
  auto plan = PlanTriangular(DA(1'000'000), {2026, 2, 1});
  ASSERT_TRUE(plan) << plan.error().reason;
  EXPECT_EQ(plan->bank_minor, DA(700'000));
  EXPECT_EQ(plan->angem_minor, DA(290'000));
  EXPECT_EQ(plan->personal_minor, DA(10'000));
  EXPECT_EQ(plan->bank_minor + plan->angem_minor + plan->personal_minor, DA(1'000'000));
  EXPECT_TRUE(plan->parameters.guarantee_fund);
  EXPECT_EQ(plan->parameters.bank_interest_subsidy_percent, 100);
  EXPECT_EQ(plan->parameters.bank_term_months, 96);
  EXPECT_EQ(plan->parameters.bank_interest_deferral_months, 12);
  // 96 months including 36 of deferred principal: 60 instalments from the 37th month.
  ASSERT_EQ(plan->bank.instalments.size(), 60u);
  EXPECT_EQ(plan->bank.grace_months, 36);
  EXPECT_EQ(plan->bank.instalments.front().due_on.ToString(), "2029-03-01");
  EXPECT_EQ(plan->bank.instalments.back().due_on.ToString(), "2034-02-01");
  EXPECT_EQ(Sum(plan->bank), DA(700'000));
  EXPECT_EQ(Sum(plan->angem), DA(290'000));
  for (const auto& i : plan->bank.instalments) EXPECT_EQ(i.interest_minor, 0) << "fully subsidised";
  auto over = PlanTriangular(DA(1'000'001), {2026, 2, 1});
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().reason, "microcredit.over_ceiling");
}

TEST(Triangular, RoundingLeavesTheRemainderOnTheBankLoan) {
  auto plan = PlanTriangular(DA(333'333), {2026, 2, 1});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->angem_minor, DA(96'667));    // 96,666.57 → 96,667
  EXPECT_EQ(plan->personal_minor, DA(3'333));  // 3,333.33 → 3,333
  EXPECT_EQ(plan->bank_minor, DA(233'333));
  EXPECT_EQ(plan->bank_minor + plan->angem_minor + plan->personal_minor, DA(333'333));
}

TEST(Dates, AddMonthsClampsToTheEndOfTheMonth) {
  EXPECT_EQ(AddMonths({2026, 1, 31}, 1).ToString(), "2026-02-28");
  EXPECT_EQ(AddMonths({2028, 1, 31}, 1).ToString(), "2028-02-29");
  EXPECT_EQ(AddMonths({2026, 11, 15}, 3).ToString(), "2027-02-15");
}

// A worked portfolio on 2026-04-15, four 12,000 DA loans of twelve 1,000 DA instalments due on the 1st
// from January 2026, and one written off:
//   A repaid 1,000: instalments of February, March and April unpaid, the oldest 73 days late;
//   B repaid 4,000: up to date;
//   C repaid 3,000: April's unpaid, 14 days late;
//   D written off on 2026-03-01 with nothing repaid;
//   E repaid 5,000 on 15 January, ahead of its schedule.
// PAR30 (outstanding balance of loans more than 30 days late ÷ gross outstanding) counts all of A's
// 11,000 DA balance; the arrears rate counts only the 4,000 DA fallen due and unpaid.
TEST(PortfolioQuality, Par30IsNotTheArrearsRate) {
  PortfolioColumns p;
  std::vector<Day> due;
  std::vector<std::int64_t> principal(12, DA(1'000));
  for (unsigned m = 1; m <= 12; ++m) due.push_back(DayOf(2026, m, 1));
  const auto a = p.AddLoan(0, DA(12'000), due, principal);
  const auto b = p.AddLoan(0, DA(12'000), due, principal);
  const auto c = p.AddLoan(1, DA(12'000), due, principal);
  p.AddLoan(1, DA(12'000), due, principal, DayOf(2026, 3, 1));
  const auto e = p.AddLoan(1, DA(12'000), due, principal);
  p.AddRepayment(a, DayOf(2026, 1, 1), DA(1'000));
  for (unsigned m = 1; m <= 4; ++m) p.AddRepayment(b, DayOf(2026, m, 1), DA(1'000));
  for (unsigned m = 1; m <= 3; ++m) p.AddRepayment(c, DayOf(2026, m, 3), DA(1'000));
  p.AddRepayment(e, DayOf(2026, 1, 15), DA(5'000));
  p.AddRepayment(c, DayOf(2026, 4, 20), DA(1'000));  // after the date: not counted

  const Day as_of = DayOf(2026, 4, 15);
  const auto ageing = AgeLoans(p, as_of);
  EXPECT_EQ(ageing[a].days_in_arrears, 73);
  EXPECT_EQ(ageing[a].overdue_minor, DA(3'000));
  EXPECT_EQ(ageing[a].outstanding_minor, DA(11'000));
  EXPECT_EQ(ageing[b].days_in_arrears, 0);
  EXPECT_EQ(ageing[c].days_in_arrears, 14);
  EXPECT_EQ(ageing[e].days_in_arrears, 0);
  EXPECT_EQ(ageing[e].outstanding_minor, DA(7'000));
  EXPECT_TRUE(ageing[3].written_off);

  const auto all = Quality(p, ageing, 2);
  QualityFigures total;
  for (const auto& g : all) {
    total.outstanding_minor += g.outstanding_minor;
    total.overdue_minor += g.overdue_minor;
    total.par1_minor += g.par1_minor;
    total.par30_minor += g.par30_minor;
    total.par90_minor += g.par90_minor;
    total.due_minor += g.due_minor;
    total.repaid_on_due_minor += g.repaid_on_due_minor;
    total.written_off_minor += g.written_off_minor;
    total.disbursed_minor += g.disbursed_minor;
  }
  EXPECT_EQ(total.outstanding_minor, DA(11'000 + 8'000 + 9'000 + 7'000));  // 35,000; D has left it
  EXPECT_EQ(total.overdue_minor, DA(3'000 + 1'000));
  EXPECT_EQ(total.par30_minor, DA(11'000));
  EXPECT_EQ(total.par1_minor, DA(11'000 + 9'000));
  EXPECT_EQ(total.par90_minor, 0);
  EXPECT_DOUBLE_EQ(total.Par30(), 11'000.0 / 35'000.0);       // 31.4%
  EXPECT_DOUBLE_EQ(total.ArrearsRate(), 4'000.0 / 35'000.0);  // 11.4%
  EXPECT_NE(total.Par30(), total.ArrearsRate());
  // Repayment rate: repaid up to what fell due (E's early 1,000 DA does not count) ÷ due.
  EXPECT_EQ(total.due_minor, DA(16'000));
  EXPECT_EQ(total.repaid_on_due_minor, DA(1'000 + 4'000 + 3'000 + 4'000));
  EXPECT_DOUBLE_EQ(total.WriteOffRatio(), 12'000.0 / 60'000.0);
  // Buckets of group 0: A in 61–90, B in 0.
  EXPECT_EQ(all[0].bucket_loans[3], 1);
  EXPECT_EQ(all[0].bucket_loans[0], 1);
  EXPECT_EQ(all[1].bucket_loans[1], 1);  // C in 1–30
  EXPECT_EQ(all[1].bucket_outstanding_minor[1], DA(9'000));
}

TEST(PortfolioQuality, InstalmentsAgeOldestFirst) {
  PortfolioColumns p;
  std::vector<Day> due;
  std::vector<std::int64_t> principal(12, DA(1'000));
  for (unsigned m = 1; m <= 12; ++m) due.push_back(DayOf(2026, m, 1));
  const auto a = p.AddLoan(0, DA(12'000), due, principal);
  p.AddRepayment(a, DayOf(2026, 1, 1), DA(1'000));
  p.AddRepayment(a, DayOf(2026, 3, 10), DA(400));  // partial: pays February's first
  const auto rows = AgeInstalments(p, a, DayOf(2026, 4, 15));
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0].unpaid_minor, 0);
  EXPECT_EQ(rows[1].paid_minor, DA(400));
  EXPECT_EQ(rows[1].days_in_arrears, 73);
  EXPECT_EQ(rows[2].days_in_arrears, 45);
  EXPECT_EQ(rows[3].days_in_arrears, 14);
  EXPECT_EQ(rows[4].days_in_arrears, 0);
  // Paid on its due date: never late.
  EXPECT_EQ(AgeInstalments(p, a, DayOf(2026, 1, 1))[0].days_in_arrears, 0);
  EXPECT_EQ(AgeLoans(p, DayOf(2026, 1, 1))[a].days_in_arrears, 0);
}

// The store hands the instalments over in the database's order: a rescheduled loan's new rows come
// after every other loan's. SetInstalments gives the same columns, hence the same ageing, as AddLoan.
TEST(PortfolioQuality, InstalmentsInAnyOrderGiveTheSameColumns) {
  std::vector<Day> due;
  std::vector<std::int64_t> principal;
  for (unsigned m = 1; m <= 6; ++m) {
    due.push_back(DayOf(2026, m, 1));
    principal.push_back(DA(1'000) + m);  // distinct amounts, so a misplaced row shows
  }
  PortfolioColumns expected;
  expected.AddLoan(0, DA(6'021), due, principal);
  expected.AddLoan(0, DA(3'006), std::span(due).first(3), std::span(principal).first(3));
  expected.AddLoan(1, 0, {}, {});  // no instalments
  // Loan 0's rows 4..6 last and reversed, loan 1 between them.
  const std::vector<std::uint32_t> loan_of{0, 1, 0, 1, 0, 1, 0, 0, 0};
  const std::vector<std::uint32_t> n_of{1, 1, 2, 2, 3, 3, 6, 5, 4};
  std::vector<Day> rows_due;
  std::vector<std::int64_t> rows_principal;
  for (std::size_t r = 0; r < loan_of.size(); ++r) {
    rows_due.push_back(due[n_of[r] - 1]);
    rows_principal.push_back(principal[n_of[r] - 1]);
  }
  for (const bool shuffled : {false, true}) {
    PortfolioColumns p;
    p.group = expected.group;
    p.disbursed_minor = expected.disbursed_minor;
    p.written_off_on = expected.written_off_on;
    if (shuffled) {
      p.SetInstalments(loan_of, rows_due, rows_principal);
    } else {
      p.SetInstalments(std::vector<std::uint32_t>{0, 0, 0, 0, 0, 0, 1, 1, 1}, expected.due_on,
                       expected.principal_minor);
    }
    EXPECT_EQ(p.instalment_begin, expected.instalment_begin) << shuffled;
    EXPECT_EQ(p.due_on, expected.due_on) << shuffled;
    EXPECT_EQ(p.principal_minor, expected.principal_minor) << shuffled;
  }
}

// The whole portfolio is the sum of its groups, figure by figure.
TEST(PortfolioQuality, TotalIsTheSumOfTheGroups) {
  QualityFigures a, b;
  a.loans = 2;
  a.par30_minor = DA(5);
  a.bucket_loans[2] = 1;
  b.loans = 3;
  b.par30_minor = DA(7);
  b.bucket_outstanding_minor[5] = DA(9);
  QualityFigures total;
  total += a;
  total += b;
  EXPECT_EQ(total.loans, 5);
  EXPECT_EQ(total.par30_minor, DA(12));
  EXPECT_EQ(total.bucket_loans[2], 1);
  EXPECT_EQ(total.bucket_outstanding_minor[5], DA(9));
}

TEST(PortfolioQuality, Buckets) {
  EXPECT_EQ(BucketOf(0), 0);
  EXPECT_EQ(BucketOf(1), 1);
  EXPECT_EQ(BucketOf(30), 1);
  EXPECT_EQ(BucketOf(31), 2);
  EXPECT_EQ(BucketOf(90), 3);
  EXPECT_EQ(BucketOf(180), 4);
  EXPECT_EQ(BucketOf(181), 5);
  EXPECT_EQ(BucketName(5), "180+");
}

}  // namespace
}  // namespace sanad::microcredit
