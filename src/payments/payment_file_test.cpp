// The payment files: CSV control totals and checksum, pain.001.001.03 read back with expat (NbOfTxs,
// CtrlSum and the sum of InstdAmt agree), exact amounts from 1 centime to 999,999,999.99.
#include "payments/payment_file.h"

#include <expat.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <vector>

#include "core/csv.h"
#include "payments/money.h"

namespace sanad::payments {
namespace {

BatchInfo Batch(std::string channel) {
  BatchInfo b;
  b.id = 7;
  b.cycle_id = 3;
  b.programme = "ASD";
  b.period = "2026-12";
  b.channel = std::move(channel);
  b.currency = "MAD";
  return b;
}

std::vector<PaymentLine> Lines() {
  std::vector<PaymentLine> out;
  auto add = [&](std::string id, std::string name, std::int64_t amount) {
    PaymentLine p;
    p.end_to_end_id = std::move(id);
    p.household_id = static_cast<std::int64_t>(out.size()) + 10;
    p.payee_person_id = p.household_id * 10;
    p.payee_name = std::move(name);
    p.channel = "bank_transfer";
    p.account = "011780000001234567890187";
    p.amount_minor = amount;
    p.currency = "MAD";
    out.push_back(std::move(p));
  };
  add("C3H10", "فاطمة الزهراء بنعلي", 1);              // one centime
  add("C3H11", "Ben & \"Fils\" <SARL>", 99999999999);  // 999,999,999.99 and characters to escape
  add("C3R5", "Youssef, \"le jeune\"", 50000);
  return out;
}

// Every element's text by path, read back with expat.
struct XmlRead {
  std::vector<std::string> stack;
  std::string text;
  std::multimap<std::string, std::string> values;
  std::vector<std::string> ccys;
};

XmlRead ReadXml(const std::string& xml) {
  XmlRead r;
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, &r);
  XML_SetElementHandler(
      p,
      [](void* u, const XML_Char* name, const XML_Char** attrs) {
        auto* r = static_cast<XmlRead*>(u);
        r->stack.emplace_back(name);
        r->text.clear();
        for (int i = 0; attrs[i]; i += 2) {
          if (std::string(attrs[i]) == "Ccy") r->ccys.emplace_back(attrs[i + 1]);
        }
      },
      [](void* u, const XML_Char*) {
        auto* r = static_cast<XmlRead*>(u);
        std::string path;
        for (const auto& s : r->stack) path += "/" + s;
        r->values.emplace(path, r->text);
        r->stack.pop_back();
        r->text.clear();
      });
  XML_SetCharacterDataHandler(p, [](void* u, const XML_Char* s, int len) {
    static_cast<XmlRead*>(u)->text.append(s, static_cast<std::size_t>(len));
  });
  const auto rc = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1);
  EXPECT_EQ(rc, XML_STATUS_OK) << XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  return r;
}

std::string One(const XmlRead& r, const std::string& path) {
  auto it = r.values.find(path);
  return it == r.values.end() ? "<missing>" : it->second;
}

TEST(Pain001, ControlTotalsMatchTheTransactionsReadBack) {
  const auto lines = Lines();
  Debtor debtor{"Ministère de la Solidarité", "011780000009876543210018", std::nullopt, "SANAD"};
  auto f = WritePain001(Batch("bank_transfer"), lines, debtor, "2026-12-05T10:11:12.123456Z", "2026-12-10");
  ASSERT_TRUE(f) << f.error().reason;
  EXPECT_EQ(f->sha256, Sha256Hex(f->content));
  const XmlRead r = ReadXml(f->content);
  const std::string root = "/Document/CstmrCdtTrfInitn";
  EXPECT_EQ(One(r, root + "/GrpHdr/NbOfTxs"), "3");
  EXPECT_EQ(One(r, root + "/GrpHdr/CtrlSum"), "1000000500.00");
  EXPECT_EQ(One(r, root + "/GrpHdr/MsgId"), "SANAD-B7-20261205101112");
  EXPECT_EQ(One(r, root + "/GrpHdr/CreDtTm"), "2026-12-05T10:11:12");
  EXPECT_EQ(One(r, root + "/PmtInf/NbOfTxs"), "3");
  EXPECT_EQ(One(r, root + "/PmtInf/CtrlSum"), "1000000500.00");
  EXPECT_EQ(One(r, root + "/PmtInf/PmtMtd"), "TRF");
  EXPECT_EQ(One(r, root + "/PmtInf/ReqdExctnDt"), "2026-12-10");
  EXPECT_EQ(One(r, root + "/PmtInf/Dbtr/Nm"), "Ministère de la Solidarité");
  EXPECT_EQ(One(r, root + "/PmtInf/DbtrAcct/Id/Othr/Id"), "011780000009876543210018");
  // The sum of the transactions' amounts, added up in minor units from the text.
  std::int64_t sum = 0;
  std::vector<std::string> amounts, names, ids;
  const std::string tx = root + "/PmtInf/CdtTrfTxInf";
  for (auto [it, end] = r.values.equal_range(tx + "/Amt/InstdAmt"); it != end; ++it) {
    amounts.push_back(it->second);
    sum += ParseDecimalAmount(it->second).value_or(-1);
  }
  for (auto [it, end] = r.values.equal_range(tx + "/Cdtr/Nm"); it != end; ++it) names.push_back(it->second);
  for (auto [it, end] = r.values.equal_range(tx + "/PmtId/EndToEndId"); it != end; ++it) ids.push_back(it->second);
  EXPECT_EQ(sum, 100000050000);
  EXPECT_EQ(amounts, (std::vector<std::string>{"0.01", "999999999.99", "500.00"}));
  EXPECT_EQ(names, (std::vector<std::string>{"فاطمة الزهراء بنعلي", "Ben & \"Fils\" <SARL>", "Youssef, \"le jeune\""}));
  EXPECT_EQ(ids, (std::vector<std::string>{"C3H10", "C3H11", "C3R5"}));
  for (const auto& c : r.ccys) EXPECT_EQ(c, "MAD");
  EXPECT_EQ(r.ccys.size(), 3u);  // one attribute per InstdAmt (DbtrAcct/Ccy is an element)
}

TEST(Pain001, IsOnlyForBankTransfersWithAccountsAndAConfiguredDebtor) {
  const auto lines = Lines();
  Debtor debtor{"Ministère", "011780000009876543210018", std::nullopt, ""};
  auto cash = WritePain001(Batch("cash_withdrawal"), lines, debtor, "2026-12-05T10:11:12Z", "2026-12-10");
  ASSERT_FALSE(cash);
  EXPECT_EQ(cash.error().reason, "payment_file.pain001_bank_only");
  auto no_debtor = WritePain001(Batch("bank_transfer"), lines, Debtor{}, "2026-12-05T10:11:12Z", "2026-12-10");
  ASSERT_FALSE(no_debtor);
  EXPECT_EQ(no_debtor.error().reason, "payment_file.debtor_missing");
  auto missing = lines;
  missing[1].account.reset();
  auto no_account = WritePain001(Batch("bank_transfer"), missing, debtor, "2026-12-05T10:11:12Z", "2026-12-10");
  ASSERT_FALSE(no_account);
  EXPECT_EQ(no_account.error().params[0].second, "C3H11");
}

TEST(PaymentCsv, TrailerCarriesTheCountTheControlSumAndTheLinesChecksum) {
  const auto lines = Lines();
  const PaymentFile f = WriteCsv(Batch("bank_transfer"), lines);
  EXPECT_EQ(f.sha256, Sha256Hex(f.content));
  const auto trailer_at = f.content.rfind("TRAILER,");
  ASSERT_NE(trailer_at, std::string::npos);
  const std::string body = f.content.substr(0, trailer_at);
  std::deque<std::string> arena;
  csv::Scanner scan(f.content, arena);
  std::vector<std::string_view> fields;
  std::vector<std::vector<std::string>> records;
  while (auto more = scan.Next(fields)) {
    if (!*more) break;
    records.emplace_back(fields.begin(), fields.end());
  }
  ASSERT_EQ(records.size(), 5u);  // header, three payments, trailer
  EXPECT_EQ(records[0][0], "end_to_end_id");
  EXPECT_EQ(records[1][3], "فاطمة الزهراء بنعلي");
  EXPECT_EQ(records[2][3], "Ben & \"Fils\" <SARL>");  // quoted and unquoted back
  EXPECT_EQ(records[3][3], "Youssef, \"le jeune\"");
  EXPECT_EQ(records[2][6], "99999999999");
  EXPECT_EQ(records[1][6], "1");
  const auto& t = records[4];
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1], "3");
  EXPECT_EQ(t[2], "100000050000");
  EXPECT_EQ(t[3], Sha256Hex(body));
}

}  // namespace
}  // namespace sanad::payments
