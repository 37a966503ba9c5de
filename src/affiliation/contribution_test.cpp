// CASNOS contributions of non-salaried workers, executive decree 15-289 of 14 Nov 2015 (domain.md §2.2):
// 15% of the declared annual base, the base clamped to [1×, 20×] the annual SNMG (12 × monthly), declared
// by 31 January, due from 1 March, payable by 30 April. Amounts in DA below; the engine works in centimes.
#include "affiliation/contribution.h"

#include <gtest/gtest.h>

namespace sanad::affiliation {
namespace {

constexpr std::int64_t kDa = 100;

FundRules Casnos() { return *FindFund(BuiltInFunds(), "CASNOS"); }

Contribution Casnos(int year, std::int64_t base_da) {
  auto c = ComputeContribution(Casnos(), year, base_da * kDa);
  EXPECT_TRUE(c.has_value());
  return *c;
}

// domain.md §2.2: "32,400 DA/yr when the SNMG was 18,000 DA": 15% × 12 × 18,000.
TEST(CasnosContribution, AtTheFloorIn2019WithTheSnmgAt18000) {
  const auto c = Casnos(2019, 100'000);
  EXPECT_EQ(c.monthly_wage_minor, 18'000 * kDa);
  EXPECT_EQ(c.floor_base_minor, 216'000 * kDa);
  EXPECT_EQ(c.ceiling_base_minor, 4'320'000 * kDa);
  EXPECT_EQ(c.base_minor, 216'000 * kDa);
  EXPECT_EQ(c.clamped, "floor");
  EXPECT_EQ(c.contribution_minor, 32'400 * kDa);
  EXPECT_EQ(c.currency, "DZD");
}

TEST(CasnosContribution, InTheMiddleIn2019) {
  const auto c = Casnos(2019, 1'000'000);
  EXPECT_EQ(c.base_minor, 1'000'000 * kDa);
  EXPECT_EQ(c.clamped, "");
  EXPECT_EQ(c.contribution_minor, 150'000 * kDa);
}

// 20 × 216,000 = 4,320,000 DA; 15% = 648,000 DA.
TEST(CasnosContribution, AtTheCeilingIn2019) {
  const auto c = Casnos(2019, 10'000'000);
  EXPECT_EQ(c.base_minor, 4'320'000 * kDa);
  EXPECT_EQ(c.clamped, "ceiling");
  EXPECT_EQ(c.contribution_minor, 648'000 * kDa);
}

// domain.md §2.2 (derived): 36,000 DA/yr with the SNMG at 20,000 DA from 2020.
TEST(CasnosContribution, AtTheFloorIn2020WithTheSnmgAt20000) {
  const auto c = Casnos(2020, 0);
  EXPECT_EQ(c.monthly_wage_minor, 20'000 * kDa);
  EXPECT_EQ(c.floor_base_minor, 240'000 * kDa);
  EXPECT_EQ(c.contribution_minor, 36'000 * kDa);
}

TEST(CasnosContribution, InTheMiddleAndAtTheCeilingIn2020) {
  EXPECT_EQ(Casnos(2020, 500'000).contribution_minor, 75'000 * kDa);
  const auto top = Casnos(2020, 4'800'001);
  EXPECT_EQ(top.ceiling_base_minor, 4'800'000 * kDa);
  EXPECT_EQ(top.base_minor, 4'800'000 * kDa);
  EXPECT_EQ(top.contribution_minor, 720'000 * kDa);
}

// domain.md §2.2 (derived): 43,200 DA/yr with the SNMG at 24,000 DA from 1 Jan 2026 (presidential decree
// 26-01); the ceiling contribution at that SNMG is 864,000 DA/yr.
TEST(CasnosContribution, AtTheFloorInTheMiddleAndAtTheCeilingIn2026) {
  const auto low = Casnos(2026, 200'000);
  EXPECT_EQ(low.monthly_wage_minor, 24'000 * kDa);
  EXPECT_EQ(low.floor_base_minor, 288'000 * kDa);
  EXPECT_EQ(low.contribution_minor, 43'200 * kDa);
  // The brief's example: a 300,000 DA base pays 45,000 DA.
  const auto mid = Casnos(2026, 300'000);
  EXPECT_EQ(mid.base_minor, 300'000 * kDa);
  EXPECT_EQ(mid.contribution_minor, 45'000 * kDa);
  const auto high = Casnos(2026, 6'000'000);
  EXPECT_EQ(high.ceiling_base_minor, 5'760'000 * kDa);
  EXPECT_EQ(high.contribution_minor, 864'000 * kDa);
  // Exactly at the bounds nothing is clamped.
  EXPECT_EQ(Casnos(2026, 288'000).clamped, "");
  EXPECT_EQ(Casnos(2026, 5'760'000).clamped, "");
}

// domain.md §2.2: declared by 31 Jan, due from 1 March, payable by 30 April; arrears after that.
TEST(CasnosCalendar, DeadlinesAndPaymentStatus) {
  const auto c = Casnos(2026, 300'000);
  EXPECT_EQ(c.declare_by, "2026-01-31");
  EXPECT_EQ(c.due_from, "2026-03-01");
  EXPECT_EQ(c.due_by, "2026-04-30");
  EXPECT_EQ(PaymentStatus(c, 0, "2026-02-28"), "not_due");
  EXPECT_EQ(PaymentStatus(c, 0, "2026-03-01"), "due");
  EXPECT_EQ(PaymentStatus(c, 0, "2026-04-30"), "due");
  EXPECT_EQ(PaymentStatus(c, 0, "2026-05-01"), "arrears");
  EXPECT_EQ(PaymentStatus(c, 44'999 * kDa, "2026-05-01"), "arrears");
  EXPECT_EQ(PaymentStatus(c, 45'000 * kDa, "2026-05-01"), "paid");
  EXPECT_FALSE(DeclaredLate(c, "2026-01-31"));
  EXPECT_TRUE(DeclaredLate(c, "2026-02-01"));
}

TEST(CasnosContribution, RefusesANegativeBaseAndAYearBeforeAnySnmg) {
  auto neg = ComputeContribution(Casnos(), 2026, -1);
  ASSERT_FALSE(neg);
  EXPECT_EQ(neg.error().field, "declared_base");
  auto early = ComputeContribution(Casnos(), 2005, 0);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, Code::kFailedPrecondition);
}

// domain.md has no numbers for Morocco's AMO of independents: it computes nothing until configured.
TEST(AmoIndependents, IsUnconfiguredUntilAParameterSetIsGiven) {
  const auto amo = *FindFund(BuiltInFunds(), "AMO_TNS");
  auto c = ComputeContribution(amo, 2026, 100'000 * kDa);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().reason, "affiliation.fund_not_configured");

  // A configured set (illustrative numbers of the test, not law) then computes like any fund.
  auto rules_json = [] {
    return nlohmann::json{{"fund", "AMO_TNS"},
                          {"country", "MA"},
                          {"currency", "MAD"},
                          {"rate_basis_points", 637},
                          {"floor_multiple", 1},
                          {"ceiling_multiple", 4},
                          {"reference_wage", {{{"from", "2025-01-01"}, {"monthly_minor", 300'000}}}},
                          {"declare_by", "01-31"},
                          {"due_from", "01-01"},
                          {"due_by", "12-31"},
                          {"legal_basis", "test"}};
  };
  auto rules = FundRulesFromJson(rules_json());
  ASSERT_TRUE(rules) << rules.error().reason;
  auto m = ComputeContribution(*rules, 2026, 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->base_minor, 3'600'000);
  EXPECT_EQ(m->contribution_minor, 229'320);
  EXPECT_EQ(m->currency, "MAD");

  auto bad = FundRulesFromJson(nlohmann::json{{"fund", "X"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "country");

  // The server's parameter file replaces the unconfigured AMO_TNS and keeps CASNOS as it is.
  auto funds = FundsWith(nlohmann::json::array({rules_json()}));
  ASSERT_TRUE(funds);
  ASSERT_EQ(funds->size(), 2u);
  EXPECT_TRUE(FindFund(*funds, "AMO_TNS")->configured);
  EXPECT_EQ(FindFund(*funds, "CASNOS")->rate_basis_points, 1500);
  auto wrong = FundsWith(nlohmann::json::array({rules_json(), nlohmann::json{{"fund", "Y"}}}));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "[1].country");
}

}  // namespace
}  // namespace sanad::affiliation
