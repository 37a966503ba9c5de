// Reconciliation files read into lines (CSV by line number, camt.054 by entry path) and checked
// against a batch's payments: every problem reported, nothing to apply when one line is bad.
#include "payments/reconciliation.h"

#include <gtest/gtest.h>

namespace sanad::payments {
namespace {

std::vector<std::string> Wheres(const std::vector<Problem>& ps) {
  std::vector<std::string> out;
  out.reserve(ps.size());
  for (const auto& p : ps) out.push_back(p.field + " " + p.reason);
  return out;
}

TEST(ReconciliationCsv, ReadsLinesAndNamesEveryBadLine) {
  auto f = ParseReconciliationCsv(
      "date,end_to_end_id,status,reason,amount_minor\r\n"
      "2026-12-12,C3H10,paid,,1\r\n"
      "2026-12-12,C3H11,failed,AC04,99999999999\r\n"
      "\r\n"
      "2026-12-12,C3H12,refused,,100\r\n"
      "2026-12-12,C3H13,failed,,100\r\n"
      "2026-12-12,C3H14,paid,,12.50\r\n"
      "2026-02-30,C3H15,paid,,100\r\n");
  ASSERT_TRUE(f) << f.error().reason;
  ASSERT_EQ(f->lines.size(), 2u);
  EXPECT_EQ(f->lines[0].where, "line 2");
  EXPECT_EQ(f->lines[0].amount_minor, 1);
  EXPECT_EQ(f->lines[1].outcome, Outcome::kFailed);
  EXPECT_EQ(f->lines[1].reason, "AC04");
  EXPECT_EQ(Wheres(f->problems),
            (std::vector<std::string>{"line 5 reconciliation.bad_status", "line 6 reconciliation.reason_required",
                                      "line 7 reconciliation.bad_amount", "line 8 reconciliation.bad_date"}));
}

// A failed payment has no paid date: its date may be empty, as in camt.054 (it was refused as a bad
// date). A paid one needs its date, and a date given is checked whatever the status.
TEST(ReconciliationCsv, AFailedLineNeedsNoDate) {
  auto f = ParseReconciliationCsv(
      "end_to_end_id,status,reason,amount_minor,date\n"
      "C3H10,failed,AC04,100,\n"
      "C3H11,paid,,100,\n"
      "C3H12,failed,AC04,100,2026-02-30\n");
  ASSERT_TRUE(f) << f.error().reason;
  ASSERT_EQ(f->lines.size(), 1u);
  EXPECT_EQ(f->lines[0].end_to_end_id, "C3H10");
  EXPECT_EQ(f->lines[0].date, "");
  EXPECT_EQ(Wheres(f->problems),
            (std::vector<std::string>{"line 3 reconciliation.bad_date", "line 4 reconciliation.bad_date"}));
}

TEST(ReconciliationCsv, RefusesAFileWithoutItsColumns) {
  auto f = ParseReconciliationCsv("end_to_end_id,status\r\nC1H1,paid\r\n");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().reason, "reconciliation.missing_column");
  EXPECT_EQ(f.error().params[0].second, "reason");
}

constexpr const char* kCamt = R"(<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
 <BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>N1</MsgId><CreDtTm>2026-12-12T08:00:00</CreDtTm></GrpHdr>
  <Ntfctn>
   <Id>N1</Id>
   <Ntry>
    <Amt Ccy="MAD">500.01</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-12-11</Dt></BookgDt>
    <NtryDtls>
     <TxDtls><Refs><EndToEndId>C3H10</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="MAD">0.01</Amt></TxAmt></AmtDtls></TxDtls>
     <TxDtls><Refs><EndToEndId>C3H11</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="MAD">500.00</Amt></TxAmt></AmtDtls>
      <RtrInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Compte clôturé</AddtlInf></RtrInf></TxDtls>
    </NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="DZD">10.00</Amt><Sts>BOOK</Sts><BookgDt><Dt>2026-12-11</Dt></BookgDt>
    <NtryDtls><TxDtls><Refs><EndToEndId>C3H12</EndToEndId></Refs></TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="MAD">10.00</Amt><Sts>PDNG</Sts>
    <NtryDtls><TxDtls><Refs><EndToEndId>C3H13</EndToEndId></Refs></TxDtls></NtryDtls>
   </Ntry>
  </Ntfctn>
 </BkToCstmrDbtCdtNtfctn>
</Document>)";

TEST(Camt054, ReadsTransactionsWithTheirReturnReasonAndPath) {
  auto f = ParseCamt054(kCamt);
  ASSERT_TRUE(f) << f.error().reason;
  ASSERT_EQ(f->lines.size(), 3u);
  EXPECT_EQ(f->lines[0].where, "Ntry[1]/NtryDtls/TxDtls[1]");
  EXPECT_EQ(f->lines[0].end_to_end_id, "C3H10");
  EXPECT_EQ(f->lines[0].outcome, Outcome::kPaid);
  EXPECT_EQ(f->lines[0].amount_minor, 1);
  EXPECT_EQ(f->lines[0].date, "2026-12-11");
  EXPECT_EQ(f->lines[1].outcome, Outcome::kFailed);
  EXPECT_EQ(f->lines[1].reason, "AC04");
  EXPECT_EQ(f->lines[1].amount_minor, 50000);
  // A single transaction without its own amount takes the entry's.
  EXPECT_EQ(f->lines[2].where, "Ntry[2]/NtryDtls/TxDtls[1]");
  EXPECT_EQ(f->lines[2].amount_minor, 1000);
  EXPECT_EQ(f->lines[2].currency, "DZD");
  EXPECT_EQ(Wheres(f->problems), (std::vector<std::string>{"Ntry[3]/NtryDtls/TxDtls[1] reconciliation.not_booked"}));
}

TEST(Camt054, RefusesMalformedXmlDocumentTypesAndOtherMessages) {
  auto bad = ParseCamt054("<Document><BkToCstmrDbtCdtNtfctn>");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, "reconciliation.bad_xml");
  auto dtd = ParseCamt054(
      "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><Document>&b;</Document>");
  ASSERT_FALSE(dtd);
  EXPECT_EQ(dtd.error().reason, "reconciliation.xml_doctype");
  auto pain = ParseCamt054("<Document><CstmrCdtTrfInitn/></Document>");
  ASSERT_FALSE(pain);
  EXPECT_EQ(pain.error().reason, "reconciliation.not_camt054");
}

TEST(CheckReconciliation, ReportsUnknownDuplicateMismatchedAndConflictingLines) {
  std::unordered_map<std::string, PaymentState> payments{{"A", {100, "pending", ""}},
                                                         {"B", {200, "pending", ""}},
                                                         {"C", {300, "paid", ""}},
                                                         {"D", {400, "failed", "AC04"}},
                                                         {"E", {500, "pending", ""}}};
  auto line = [](std::string where, std::string id, Outcome o, std::int64_t amount, std::string ccy = "",
                 std::string reason = "") {
    return ReconLine{std::move(where), std::move(id), o, std::move(reason), amount, std::move(ccy), "2026-12-12"};
  };
  std::vector<ReconLine> lines{
      line("line 2", "A", Outcome::kPaid, 100),        line("line 3", "B", Outcome::kFailed, 200, "", "AC01"),
      line("line 4", "C", Outcome::kPaid, 300),         // already paid: unchanged
      line("line 5", "D", Outcome::kPaid, 400),         // failed before: conflict
      line("line 6", "A", Outcome::kPaid, 100),         // duplicate
      line("line 7", "Z", Outcome::kPaid, 100),         // unknown
      line("line 8", "E", Outcome::kPaid, 501),         // amount
      line("line 9", "E", Outcome::kPaid, 500, "DZD"),  // duplicate as well (E was seen on line 8)
  };
  ReconPlan plan = CheckReconciliation(lines, payments, "MAD");
  EXPECT_EQ(Wheres(plan.problems),
            (std::vector<std::string>{"line 5 reconciliation.conflict", "line 6 reconciliation.duplicate_line",
                                      "line 7 reconciliation.unknown_id", "line 8 reconciliation.amount_mismatch",
                                      "line 9 reconciliation.duplicate_line"}));
  EXPECT_EQ(plan.unchanged, 1u);
  // The first occurrence of a duplicate is a line number, which each language's text names in its own
  // words ("(d'abord en line 2)" read the English word in French and Arabic).
  EXPECT_EQ(plan.problems[1].reason, "reconciliation.duplicate_line");
  EXPECT_EQ(plan.problems[1].params, (MessageParams{{"id", "A"}, {"first_line", "2"}}));

  // In a camt.054 the first occurrence is where it is in the document.
  std::vector<ReconLine> twice{line("Ntry[1]/NtryDtls/TxDtls[1]", "A", Outcome::kPaid, 100),
                               line("Ntry[1]/NtryDtls/TxDtls[2]", "A", Outcome::kPaid, 100)};
  const ReconPlan repeated = CheckReconciliation(twice, payments, "MAD");
  ASSERT_EQ(repeated.problems.size(), 1u);
  EXPECT_EQ(repeated.problems[0].reason, "reconciliation.duplicate");
  EXPECT_EQ(repeated.problems[0].params, (MessageParams{{"id", "A"}, {"first", "Ntry[1]/NtryDtls/TxDtls[1]"}}));

  std::vector<ReconLine> currency{line("Ntry[1]/NtryDtls/TxDtls[1]", "E", Outcome::kPaid, 500, "DZD")};
  EXPECT_EQ(Wheres(CheckReconciliation(currency, payments, "MAD").problems),
            (std::vector<std::string>{"Ntry[1]/NtryDtls/TxDtls[1] reconciliation.currency_mismatch"}));

  std::vector<ReconLine> good{line("line 2", "A", Outcome::kPaid, 100),
                              line("line 3", "B", Outcome::kFailed, 200, "MAD", "AC01"),
                              line("line 4", "D", Outcome::kFailed, 400, "", "AC04")};
  plan = CheckReconciliation(good, payments, "MAD");
  EXPECT_TRUE(plan.problems.empty());
  EXPECT_EQ(plan.to_apply.size(), 2u);
  EXPECT_EQ(plan.paid, 1u);
  EXPECT_EQ(plan.failed, 1u);
  EXPECT_EQ(plan.unchanged, 1u);
}

// The report lists the problems in the file's order, numbers compared as numbers: the lines the reading
// refused came before those the check refused (lines 6–10, then 3–5), and "line 10" sorts after "line 9".
TEST(CheckReconciliation, ProblemsAreInTheFilesOrder) {
  const auto at = [](std::initializer_list<const char*> places) {
    std::vector<Problem> out;
    out.reserve(places.size());
    for (const char* where : places) out.push_back({"r", where, {}, {}});
    return out;
  };
  const auto order = [](std::vector<Problem> problems) {
    InFileOrder(problems);
    std::vector<std::string> out;
    out.reserve(problems.size());
    for (const auto& p : problems) out.push_back(p.field + " " + p.reason);
    return out;
  };
  std::vector<Problem> lines = at({"line 10", "line 3", "line 9", "line 3"});
  lines[3].reason = "second";
  EXPECT_EQ(order(lines), (std::vector<std::string>{"line 3 r", "line 3 second", "line 9 r", "line 10 r"}));
  EXPECT_EQ(order(at({"Ntry[10]/NtryDtls/TxDtls[1]", "Ntry[2]/NtryDtls/TxDtls[10]", "Ntry[2]",
                      "Ntry[2]/NtryDtls/TxDtls[9]"})),
            (std::vector<std::string>{"Ntry[2] r", "Ntry[2]/NtryDtls/TxDtls[9] r", "Ntry[2]/NtryDtls/TxDtls[10] r",
                                      "Ntry[10]/NtryDtls/TxDtls[1] r"}));
}

}  // namespace
}  // namespace sanad::payments
