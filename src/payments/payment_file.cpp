#include "payments/payment_file.h"

#include <fmt/format.h>

#include "core/csv.h"
#include "core/xml_escape.h"
#include "payments/account.h"
#include "payments/money.h"

namespace sanad::payments {
namespace {

constexpr const char* kCsvHeader =
    "end_to_end_id,household_id,payee_person_id,payee_name,channel,account,amount_minor,currency,carried_from,"
    "withdrawal_code_sha256";

std::string OptInt(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); }

// The timestamp as ISODateTime without fractions: "2026-12-05T10:00:00".
std::string IsoSeconds(const std::string& ts) { return ts.substr(0, 19); }

}  // namespace

PaymentFile WriteCsv(const BatchInfo& batch, std::span<const PaymentLine> lines) {
  std::string body = std::string(kCsvHeader) + "\r\n";
  std::int64_t sum = 0;
  for (const auto& p : lines) {
    sum += p.amount_minor;
    body += fmt::format("{},{},{},{},{},{},{},{},{},{}\r\n", csv::Escape(p.end_to_end_id), p.household_id,
                        OptInt(p.payee_person_id), csv::Escape(p.payee_name), csv::Escape(p.channel),
                        csv::Escape(p.account.value_or("")), p.amount_minor, csv::Escape(p.currency),
                        OptInt(p.carried_from), p.withdrawal_code_hash.value_or(""));
  }
  const std::string digest = Sha256Hex(body);
  body += fmt::format("TRAILER,{},{},{}\r\n", lines.size(), sum, digest);
  PaymentFile f;
  f.sha256 = Sha256Hex(body);
  f.content = std::move(body);
  f.content_type = "text/csv; charset=utf-8";
  f.filename = fmt::format("sanad-{}-{}-batch-{}-{}.csv", batch.programme, batch.period, batch.id, batch.channel);
  return f;
}

Result<PaymentFile> WritePain001(const BatchInfo& batch, std::span<const PaymentLine> lines, const Debtor& debtor,
                                 const std::string& created_at, const std::string& execution_date) {
  if (batch.channel != ChannelName(Channel::kBankTransfer)) {
    return Failure(Code::kFailedPrecondition, "payment_file.pain001_bank_only", {{"channel", batch.channel}}, "format");
  }
  if (debtor.name.empty() || debtor.account.empty()) {
    return Failure(Code::kFailedPrecondition, "payment_file.debtor_missing", {}, "format");
  }
  std::int64_t sum = 0;
  for (const auto& p : lines) {
    if (!p.account || p.account->empty()) {
      return Failure(Code::kFailedPrecondition, "payment_file.account_missing", {{"id", p.end_to_end_id}}, "format");
    }
    sum += p.amount_minor;
  }
  const std::string stamp = IsoSeconds(created_at);
  std::string compact_stamp;
  for (char c : stamp) {
    if (c >= '0' && c <= '9') compact_stamp.push_back(c);
  }
  // MsgId is unique per file (the bank refuses a message id it has seen): the batch and the second.
  const std::string msg_id = fmt::format("SANAD-B{}-{}", batch.id, compact_stamp);
  const std::string ccy = XmlEscape(batch.currency);
  std::string x;
  x.reserve(512 + lines.size() * 420);
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\" "
       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n";
  x += "<CstmrCdtTrfInitn>\n";
  x += fmt::format(
      "<GrpHdr><MsgId>{}</MsgId><CreDtTm>{}</CreDtTm><NbOfTxs>{}</NbOfTxs><CtrlSum>{}</CtrlSum>"
      "<InitgPty><Nm>{}</Nm></InitgPty></GrpHdr>\n",
      msg_id, stamp, lines.size(), FormatMinor(sum),
      XmlEscape(debtor.initiating_party.empty() ? debtor.name : debtor.initiating_party));
  x += fmt::format(
      "<PmtInf><PmtInfId>SANAD-B{}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>"
      "<NbOfTxs>{}</NbOfTxs><CtrlSum>{}</CtrlSum>\n"
      "<ReqdExctnDt>{}</ReqdExctnDt><Dbtr><Nm>{}</Nm></Dbtr>"
      "<DbtrAcct><Id><Othr><Id>{}</Id></Othr></Id><Ccy>{}</Ccy></DbtrAcct>",
      batch.id, lines.size(), FormatMinor(sum), XmlEscape(execution_date), XmlEscape(debtor.name),
      XmlEscape(debtor.account), ccy);
  if (debtor.bic && !debtor.bic->empty()) {
    x += fmt::format("<DbtrAgt><FinInstnId><BIC>{}</BIC></FinInstnId></DbtrAgt>", XmlEscape(*debtor.bic));
  } else {
    x += "<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>";
  }
  x += "<ChrgBr>SLEV</ChrgBr>\n";
  for (const auto& p : lines) {
    x += fmt::format(
        "<CdtTrfTxInf><PmtId><EndToEndId>{}</EndToEndId></PmtId>"
        "<Amt><InstdAmt Ccy=\"{}\">{}</InstdAmt></Amt>"
        "<Cdtr><Nm>{}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>{}</Id></Othr></Id></CdtrAcct>"
        "<RmtInf><Ustrd>{} {}</Ustrd></RmtInf></CdtTrfTxInf>\n",
        XmlEscape(p.end_to_end_id), ccy, FormatMinor(p.amount_minor), XmlEscape(p.payee_name), XmlEscape(*p.account),
        XmlEscape(batch.programme), XmlEscape(batch.period));
  }
  x += "</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n";
  PaymentFile f;
  f.sha256 = Sha256Hex(x);
  f.content = std::move(x);
  f.content_type = "application/xml";
  f.filename = fmt::format("sanad-{}-{}-batch-{}.pain001.xml", batch.programme, batch.period, batch.id);
  return f;
}

}  // namespace sanad::payments
