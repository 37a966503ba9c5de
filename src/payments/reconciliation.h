// Reconciliation files returned by the bank or the post office: the documented CSV layout and ISO
// 20022 camt.054.001.02 (debit/credit notification), read into lines, then checked against the batch's
// payments — all or nothing: one bad line and nothing is applied. Pure functions, no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace sanad::payments {

enum class Outcome { kPaid, kFailed };

struct ReconLine {
  std::string where;  // "line 3" (CSV) or "Ntry[2]/NtryDtls/TxDtls[1]" (camt.054)
  std::string end_to_end_id;
  Outcome outcome = Outcome::kPaid;
  std::string reason;  // failed: the return reason code
  std::int64_t amount_minor = 0;
  std::string currency;  // empty when the file does not say (CSV: the batch's)
  std::string date;      // YYYY-MM-DD
};

// What the file could not even be read as: a Problem per bad line, or one for the file.
struct ParsedFile {
  std::vector<ReconLine> lines;
  std::vector<Problem> problems;  // field = where; empty when every line was read
};

// CSV with the header end_to_end_id,status,reason,amount_minor,date (any order, more columns ignored):
// status paid | failed, reason required when failed, amount in minor units, date YYYY-MM-DD (may be empty
// on a failed line: a failed payment has no paid date).
// Errors: kInvalidArgument when the file is not CSV or lacks a column.
Result<ParsedFile> ParseReconciliationCsv(std::string_view text);

// camt.054.001.02: every Ntry/NtryDtls/TxDtls is a line, its Refs/EndToEndId, its amount
// (AmtDtls/TxAmt/Amt, or Amt, or the entry's Amt when it holds one transaction) with its Ccy, paid when
// the entry is booked (Sts BOOK) without a return, failed with RtrInf/Rsn/Cd (or Prtry) otherwise.
// Errors: kInvalidArgument when the XML is not well formed, declares a document type, or is not camt.054.
Result<ParsedFile> ParseCamt054(std::string_view xml);

// A payment of the batch as it stands.
struct PaymentState {
  std::int64_t amount_minor = 0;
  std::string status;  // pending | paid | failed
  std::string reason;
};

// The lines to apply, or the problems that refuse the whole file.
struct ReconPlan {
  std::vector<ReconLine> to_apply;  // pending payments that get their outcome
  std::size_t unchanged = 0;        // lines already applied with the same outcome
  std::size_t paid = 0, failed = 0;
  std::vector<Problem> problems;
};

// Orders a report's problems as their places come in the file ("line 3" before "line 10",
// "Ntry[2]/…/TxDtls[9]" before "…/TxDtls[10]"), keeping the order of those at one place: the reading's
// and the check's problems are found apart.
void InFileOrder(std::vector<Problem>& problems);

// Checks every line against the batch's payments (keyed by end-to-end id) and `currency`: unknown id,
// the same id twice in the file (reconciliation.duplicate_line {id, first_line} in a CSV file,
// reconciliation.duplicate {id, first} naming the place in a camt.054), amount or currency different from the
// payment's, a payment already reconciled with another outcome.
ReconPlan CheckReconciliation(const std::vector<ReconLine>& lines,
                              const std::unordered_map<std::string, PaymentState>& payments,
                              const std::string& currency);

}  // namespace sanad::payments
