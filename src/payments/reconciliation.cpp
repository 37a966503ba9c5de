#include "payments/reconciliation.h"

#include <expat.h>

#include <algorithm>
#include <array>
#include <deque>
#include <unordered_set>

#include "core/csv.h"
#include "core/time.h"
#include "payments/money.h"

namespace sanad::payments {
namespace {

// The place of a CSV line ("line 3"): the report's `field`, which the page renders in its language.
constexpr std::string_view kLine = "line ";

// A problem located by `where` ("line 3", "Ntry[2]/NtryDtls/TxDtls[1]"): the report shows the place
// beside the message, so the message itself does not repeat it.
Problem At(std::string where, std::string_view reason, MessageParams params = {}) {
  return Problem{std::string(reason), std::move(where), std::move(params), {}};
}

std::string_view Local(std::string_view qname) {
  const auto colon = qname.rfind(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// ---- camt.054 through expat -------------------------------------------------------------------

struct CamtTx {
  std::string where;
  std::string end_to_end_id;
  std::string amount, currency;  // as written
  std::string return_code;
  bool has_return = false;
};

struct CamtEntry {
  std::string amount, currency, status, reversal, date;
  std::vector<CamtTx> txs;
};

class CamtReader {
 public:
  CamtReader() : parser_(XML_ParserCreate("UTF-8")) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(
        parser_,
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          static_cast<CamtReader*>(self)->Start(Local(name), attrs);
        },
        [](void* self, const XML_Char*) { static_cast<CamtReader*>(self)->End(); });
    XML_SetCharacterDataHandler(parser_, [](void* self, const XML_Char* s, int len) {
      static_cast<CamtReader*>(self)->text_.append(s, static_cast<std::size_t>(len));
    });
    // No document type declarations: nothing to expand (entity bombs), nothing to fetch.
    XML_SetStartDoctypeDeclHandler(parser_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
      auto* r = static_cast<CamtReader*>(self);
      r->doctype_ = true;
      XML_StopParser(r->parser_, XML_FALSE);
    });
  }
  ~CamtReader() { XML_ParserFree(parser_); }
  CamtReader(const CamtReader&) = delete;
  CamtReader& operator=(const CamtReader&) = delete;

  Result<ParsedFile> Read(std::string_view xml) {
    const auto rc = XML_Parse(parser_, xml.data(), static_cast<int>(xml.size()), 1);
    if (doctype_) return Failure(Code::kInvalidArgument, "reconciliation.xml_doctype", {}, "file");
    if (rc != XML_STATUS_OK) {
      return Failure(Code::kInvalidArgument, "reconciliation.bad_xml",
                     {{"line", std::to_string(XML_GetCurrentLineNumber(parser_))},
                      {"detail", XML_ErrorString(XML_GetErrorCode(parser_))}},
                     "file");
    }
    if (!camt_) return Failure(Code::kInvalidArgument, "reconciliation.not_camt054", {}, "file");
    return std::move(out_);
  }

 private:
  bool Under(std::string_view name) const {
    for (const auto& s : stack_) {
      if (s == name) return true;
    }
    return false;
  }
  std::string_view Parent(std::size_t up = 1) const {
    return stack_.size() > up ? std::string_view(stack_[stack_.size() - 1 - up]) : std::string_view{};
  }

  void Start(std::string_view name, const XML_Char** attrs) {
    stack_.emplace_back(name);
    text_.clear();
    ccy_.clear();
    for (int i = 0; attrs[i]; i += 2) {
      if (Local(attrs[i]) == "Ccy") ccy_ = attrs[i + 1];
    }
    if (name == "BkToCstmrDbtCdtNtfctn" && Parent() == "Document") camt_ = true;
    if (!camt_) return;
    if (name == "Ntry" && Parent() == "Ntfctn") {
      ++entries_;
      entry_ = CamtEntry{};
      in_entry_ = true;
    } else if (name == "TxDtls" && in_entry_) {
      entry_.txs.push_back(CamtTx{});
      entry_.txs.back().where =
          "Ntry[" + std::to_string(entries_) + "]/NtryDtls/TxDtls[" + std::to_string(entry_.txs.size()) + "]";
    } else if (name == "RtrInf" && Under("TxDtls") && !entry_.txs.empty()) {
      entry_.txs.back().has_return = true;
    }
    if (name == "Amt") amount_ccy_ = ccy_;
  }

  void End() {
    const std::string name = stack_.back();
    const std::string text(csv::TrimCell(text_));
    if (camt_ && in_entry_) {
      const bool in_tx = Under("TxDtls") && !entry_.txs.empty();
      if (in_tx) {
        auto& tx = entry_.txs.back();
        if (name == "EndToEndId" && Parent() == "Refs") tx.end_to_end_id = text;
        // AmtDtls/TxAmt/Amt (camt.054.001.02), or Amt directly under TxDtls (later versions).
        if (name == "Amt" && (Parent() == "TxAmt" || Parent() == "TxDtls")) {
          tx.amount = text;
          tx.currency = amount_ccy_;
        }
        if ((name == "Cd" || name == "Prtry") && Parent() == "Rsn" && Parent(2) == "RtrInf") tx.return_code = text;
      } else if (Parent() == "Ntry") {
        if (name == "Amt") {
          entry_.amount = text;
          entry_.currency = amount_ccy_;
        } else if (name == "Sts") {
          entry_.status = text;
        } else if (name == "RvslInd") {
          entry_.reversal = text;
        }
      } else if (name == "Dt" && (Parent() == "BookgDt" || (Parent() == "ValDt" && entry_.date.empty()))) {
        entry_.date = text.substr(0, 10);
      }
      if (name == "Ntry" && stack_.size() >= 2 && Parent() == "Ntfctn") FinishEntry();
    }
    stack_.pop_back();
    text_.clear();
  }

  void FinishEntry() {
    in_entry_ = false;
    const std::string entry_where = "Ntry[" + std::to_string(entries_) + "]";
    if (entry_.txs.empty()) {
      out_.problems.push_back(At(entry_where, MsgCode("reconciliation.no_transactions")));
      return;
    }
    for (auto& tx : entry_.txs) {
      ReconLine l;
      l.where = tx.where;
      l.end_to_end_id = tx.end_to_end_id;
      std::string amount = tx.amount, currency = tx.currency;
      if (amount.empty() && entry_.txs.size() == 1) {
        amount = entry_.amount;
        currency = entry_.currency;
      }
      l.currency = currency;
      l.date = entry_.date;
      const bool reversed = entry_.reversal == "true";
      if (tx.has_return || reversed) {
        l.outcome = Outcome::kFailed;
        l.reason = tx.return_code;
      } else if (entry_.status == "BOOK") {
        l.outcome = Outcome::kPaid;
      } else {
        out_.problems.push_back(At(l.where, MsgCode("reconciliation.not_booked"), {{"status", entry_.status}}));
        continue;
      }
      if (l.end_to_end_id.empty()) {
        out_.problems.push_back(At(l.where, MsgCode("reconciliation.missing_id")));
        continue;
      }
      auto minor = ParseDecimalAmount(amount);
      if (!minor) {
        out_.problems.push_back(At(l.where, MsgCode("reconciliation.bad_amount"), {{"value", amount}}));
        continue;
      }
      l.amount_minor = *minor;
      if (l.outcome == Outcome::kFailed && l.reason.empty()) {
        out_.problems.push_back(At(l.where, MsgCode("reconciliation.reason_required")));
        continue;
      }
      if (l.outcome == Outcome::kPaid && !ParseDate(l.date, "date")) {
        out_.problems.push_back(At(l.where, MsgCode("reconciliation.bad_date"), {{"value", l.date}}));
        continue;
      }
      out_.lines.push_back(std::move(l));
    }
  }

  XML_Parser parser_;
  bool doctype_ = false;
  bool camt_ = false;
  bool in_entry_ = false;
  std::size_t entries_ = 0;
  std::vector<std::string> stack_;
  std::string text_, ccy_, amount_ccy_;
  CamtEntry entry_;
  ParsedFile out_;
};

}  // namespace

Result<ParsedFile> ParseReconciliationCsv(std::string_view text) {
  std::deque<std::string> arena;
  csv::Scanner scan(text, arena);
  std::vector<std::string_view> fields;
  auto first = scan.Next(fields);
  if (!first) return std::unexpected(first.error());
  if (!*first) return Failure(Code::kInvalidArgument, "reconciliation.empty_file", {}, "file");
  constexpr std::array<std::string_view, 5> kColumns{"end_to_end_id", "status", "reason", "amount_minor", "date"};
  std::array<int, 5> col{-1, -1, -1, -1, -1};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view name = csv::TrimCell(fields[i]);
    if (i == 0 && name.starts_with("\xEF\xBB\xBF")) name.remove_prefix(3);
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      if (name == kColumns[c]) col[c] = static_cast<int>(i);
    }
  }
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    if (col[c] < 0) {
      return Failure(Code::kInvalidArgument, "reconciliation.missing_column", {{"column", std::string(kColumns[c])}},
                     "file");
    }
  }
  ParsedFile out;
  while (true) {
    auto more = scan.Next(fields);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    if (fields.size() == 1 && csv::TrimCell(fields[0]).empty()) continue;  // a blank line
    const std::string where = std::string(kLine) + std::to_string(scan.line());
    auto cell = [&](int c) {
      const auto i = static_cast<std::size_t>(col[static_cast<std::size_t>(c)]);
      return i < fields.size() ? std::string(csv::TrimCell(fields[i])) : std::string();
    };
    ReconLine l;
    l.where = where;
    l.end_to_end_id = cell(0);
    const std::string status = cell(1), amount = cell(3);
    l.reason = cell(2);
    l.date = cell(4);
    if (l.end_to_end_id.empty()) {
      out.problems.push_back(At(where, MsgCode("reconciliation.missing_id")));
      continue;
    }
    if (status == "paid") {
      l.outcome = Outcome::kPaid;
    } else if (status == "failed") {
      l.outcome = Outcome::kFailed;
    } else {
      out.problems.push_back(At(where, MsgCode("reconciliation.bad_status"), {{"value", status}}));
      continue;
    }
    auto minor = ParseMinor(amount);
    if (!minor) {
      out.problems.push_back(At(where, MsgCode("reconciliation.bad_amount"), {{"value", amount}}));
      continue;
    }
    l.amount_minor = *minor;
    if (l.outcome == Outcome::kFailed && l.reason.empty()) {
      out.problems.push_back(At(where, MsgCode("reconciliation.reason_required")));
      continue;
    }
    // A failed payment has no paid date (as in camt.054); a date given is checked whatever the status.
    const bool dateless_failure = l.outcome == Outcome::kFailed && l.date.empty();
    if (!dateless_failure && !ParseDate(l.date, "date")) {
      out.problems.push_back(At(where, MsgCode("reconciliation.bad_date"), {{"value", l.date}}));
      continue;
    }
    out.lines.push_back(std::move(l));
  }
  return out;
}

Result<ParsedFile> ParseCamt054(std::string_view xml) {
  CamtReader reader;
  return reader.Read(xml);
}

void InFileOrder(std::vector<Problem>& problems) {
  // Natural order: runs of digits compare as numbers, the rest as text.
  const auto before = [](std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    while (i < a.size() && j < b.size()) {
      if (digit(a[i]) && digit(b[j])) {
        std::size_t ei = i, ej = j;
        while (ei < a.size() && digit(a[ei])) ++ei;
        while (ej < b.size() && digit(b[ej])) ++ej;
        std::string_view na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
        while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
        while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
        if (na.size() != nb.size()) return na.size() < nb.size();
        if (na != nb) return na < nb;
        i = ei;
        j = ej;
      } else {
        if (a[i] != b[j]) return a[i] < b[j];
        ++i;
        ++j;
      }
    }
    return a.size() - i < b.size() - j;
  };
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const Problem& x, const Problem& y) { return before(x.field, y.field); });
}

ReconPlan CheckReconciliation(const std::vector<ReconLine>& lines,
                              const std::unordered_map<std::string, PaymentState>& payments,
                              const std::string& currency) {
  ReconPlan plan;
  std::unordered_map<std::string, std::string> seen;  // end-to-end id -> where it was first
  for (const auto& l : lines) {
    auto [first, fresh] = seen.emplace(l.end_to_end_id, l.where);
    if (!fresh) {
      // A line number is named in each language's own words; a place in a camt.054 is a path, as it is.
      const std::string& place = first->second;
      if (place.starts_with(kLine)) {
        plan.problems.push_back(At(l.where, MsgCode("reconciliation.duplicate_line"),
                                   {{"id", l.end_to_end_id}, {"first_line", place.substr(kLine.size())}}));
      } else {
        plan.problems.push_back(
            At(l.where, MsgCode("reconciliation.duplicate"), {{"id", l.end_to_end_id}, {"first", place}}));
      }
      continue;
    }
    auto it = payments.find(l.end_to_end_id);
    if (it == payments.end()) {
      plan.problems.push_back(At(l.where, MsgCode("reconciliation.unknown_id"), {{"id", l.end_to_end_id}}));
      continue;
    }
    const PaymentState& p = it->second;
    if (l.amount_minor != p.amount_minor) {
      plan.problems.push_back(At(l.where, MsgCode("reconciliation.amount_mismatch"),
                                 {{"id", l.end_to_end_id},
                                  {"expected", std::to_string(p.amount_minor)},
                                  {"found", std::to_string(l.amount_minor)},
                                  {"currency", currency}}));
      continue;
    }
    if (!l.currency.empty() && l.currency != currency) {
      plan.problems.push_back(At(l.where, MsgCode("reconciliation.currency_mismatch"),
                                 {{"id", l.end_to_end_id}, {"expected", currency}, {"found", l.currency}}));
      continue;
    }
    const std::string status = l.outcome == Outcome::kPaid ? "paid" : "failed";
    if (p.status == "pending") {
      plan.to_apply.push_back(l);
      (l.outcome == Outcome::kPaid ? plan.paid : plan.failed) += 1;
    } else if (p.status == status && (status == "paid" || p.reason == l.reason)) {
      ++plan.unchanged;
    } else {
      plan.problems.push_back(At(l.where, MsgCode("reconciliation.conflict"),
                                 {{"id", l.end_to_end_id}, {"status", p.status}, {"found", status}}));
    }
  }
  return plan;
}

}  // namespace sanad::payments
