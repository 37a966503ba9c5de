// The files a batch is paid with: the documented CSV layout (docs/payments.md) and ISO 20022
// pain.001.001.03 (customer credit transfer initiation) for bank transfers. Both carry control totals;
// amounts are written from minor units by integer formatting. Pure functions, no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/error.h"

namespace sanad::payments {

struct BatchInfo {
  std::int64_t id = 0;
  std::int64_t cycle_id = 0;
  std::string programme;
  std::string period;  // YYYY-MM
  std::string channel;
  std::string currency;  // MAD | DZD
  std::int64_t payments_count = 0;
  std::int64_t total_minor = 0;
  std::string state;
  std::string created_at;
  std::optional<std::string> file_format, file_sha256, exported_at;
  std::optional<std::string> reconciled_at;
  // Of the payments in the reader's scope (all of them for a national reader).
  std::int64_t paid = 0, failed = 0, pending = 0;
};

struct PaymentLine {
  std::int64_t id = 0;
  std::string end_to_end_id;
  std::int64_t household_id = 0;
  std::optional<std::int64_t> payee_person_id;
  std::string payee_name;
  std::string channel;
  std::optional<std::string> account;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::string status;  // pending | paid | failed
  std::optional<std::string> reason, paid_on;
  std::optional<std::int64_t> carried_from;  // the failed payment this one pays again
  std::optional<std::int64_t> carried_to;    // the payment that pays this failed one again
  std::optional<std::int64_t> carried_to_cycle;
  std::string commune_code;
  std::optional<std::string> withdrawal_code_hash;  // cash withdrawal, once codes were issued
};

// The ministry's account that pays (configuration keys payments.debtor_*, docs/payments.md).
struct Debtor {
  std::string name;
  std::string account;             // RIB of the paying account
  std::optional<std::string> bic;  // the debtor's bank (DbtrAgt); "NOTPROVIDED" when absent
  std::string initiating_party;    // InitgPty/Nm
};

struct PaymentFile {
  std::string content;
  std::string content_type;
  std::string filename;
  std::string sha256;  // of `content`
};

// The CSV layout: a header record, one record per payment, then the trailer record
// TRAILER,<count>,<control sum in minor units>,<SHA-256 of every byte before the trailer>.
PaymentFile WriteCsv(const BatchInfo& batch, std::span<const PaymentLine> lines);

// pain.001.001.03 for a bank_transfer batch. `created_at` is the UTC timestamp written as CreDtTm,
// `execution_date` (YYYY-MM-DD) ReqdExctnDt. Errors: kFailedPrecondition when the batch is not a bank
// transfer batch, a payment has no account, or the debtor is not configured.
Result<PaymentFile> WritePain001(const BatchInfo& batch, std::span<const PaymentLine> lines, const Debtor& debtor,
                                 const std::string& created_at, const std::string& execution_date);

}  // namespace sanad::payments
