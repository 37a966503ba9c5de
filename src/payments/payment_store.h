// SQL of payments (migration 0017): households' payment accounts, the batches of a cycle written
// set-based (INSERT … SELECT, one transaction per cycle), their payments read for the files and the
// screens (in the reader's area scope), and reconciliation files applied all or nothing with their
// benefit-ledger lines written in bulk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "payments/account.h"
#include "payments/payment_file.h"
#include "payments/reconciliation.h"

namespace sanad::payments {

// The reader's area: nullopt is national. `day` (YYYY-MM-DD) dates the area tree.
struct ReadScope {
  std::optional<std::string> area;
  std::string day;
};

struct StoredAccount {
  Account account;
  std::string updated_at, updated_by;
  std::int64_t version = 0;
};

struct CreatedBatches {
  bool created = false;  // false: the cycle's batches existed already and are returned as they are
  std::vector<BatchInfo> batches;
};

struct ReconciliationReport {
  std::int64_t id = 0;
  std::int64_t batch_id = 0;
  std::string format;   // csv | camt054
  std::string outcome;  // applied | unchanged | rejected
  std::string file_sha256;
  std::int64_t lines = 0, paid = 0, failed = 0, unchanged = 0;
  std::vector<Problem> problems;
  std::string imported_at, imported_by;
};

class PaymentStore {
 public:
  explicit PaymentStore(db::Database& db) : db_(db) {}

  Result<std::optional<StoredAccount>> GetAccount(std::int64_t household_id);
  // Creates or replaces the household's account. `expected_version` (when given) must match the stored
  // one. Errors: kConflict on a version mismatch.
  Result<StoredAccount> SetAccount(std::int64_t household_id, const Account& account,
                                   std::optional<std::int64_t> expected_version, const std::string& now,
                                   const std::string& by);

  // The cycle's batches, created when it has none: one per channel, with one payment per payable entry
  // (eligible, amount_minor + one_off_minor > 0) and one per failed payment of an earlier cycle of the
  // same programme not carried yet, each paid through the household's current account. Runs once
  // per cycle (a second call returns the same batches). Errors: kNotFound (no such cycle),
  // kFailedPrecondition (the cycle is not approved).
  Result<CreatedBatches> CreateBatches(std::int64_t cycle_id, const std::string& now, const std::string& by);

  // The cycle's batches with the counts and sums of the payments in `scope`.
  Result<std::vector<BatchInfo>> Batches(std::int64_t cycle_id, const ReadScope& scope);
  Result<std::optional<BatchInfo>> Batch(std::int64_t batch_id, const ReadScope& scope);
  // The batch's payments in `scope` (only those with `status` when given), in id order, with where each
  // failed one was carried; `limit` 0 reads them all (the files).
  Result<std::vector<PaymentLine>> Payments(std::int64_t batch_id, const ReadScope& scope,
                                            const std::optional<std::string>& status = std::nullopt,
                                            std::size_t limit = 0, std::size_t offset = 0);
  // Failed payments of the programme's cycles, in `scope`, newest first, with where each was carried.
  Result<std::vector<PaymentLine>> FailedPayments(const std::string& programme, const ReadScope& scope,
                                                  std::size_t limit);

  // Gives every pending payment of a cash_withdrawal batch a new withdrawal code (NewWithdrawalCode),
  // stores only its hash, and returns the payments with `codes` holding the codes in the same order
  // (the notices for the beneficiaries). Issuing again replaces the codes: the earlier ones no longer
  // match. Errors: kNotFound (no batch), kFailedPrecondition (not a cash withdrawal batch).
  struct IssuedCodes {
    std::vector<PaymentLine> payments;
    std::vector<std::string> codes;
  };
  Result<IssuedCodes> IssueWithdrawalCodes(std::int64_t batch_id);

  // Records the file exported last: its format, SHA-256, time and exporter; the batch becomes
  // "exported" unless it is already reconciled.
  Status RecordExport(std::int64_t batch_id, const std::string& format, const std::string& sha256,
                      const std::string& now, const std::string& by);

  // Checks `file` against the batch and applies it when every line is good, in one transaction: paid
  // payments and their benefit-ledger lines (source "payments", reference = end-to-end id), failed
  // payments with their reason. A refused file changes no payment. Either way the report is stored.
  // Errors: kNotFound (no batch).
  Result<ReconciliationReport> Reconcile(std::int64_t batch_id, const ParsedFile& file, const std::string& format,
                                         const std::string& sha256, const std::string& now, const std::string& by);
  Result<std::vector<ReconciliationReport>> Reconciliations(std::int64_t batch_id);
  Result<std::optional<ReconciliationReport>> Reconciliation(std::int64_t id);

  // The cycle becomes paid when it is approved, has batches and none of their payments is pending.
  // Returns whether it changed.
  Result<bool> MarkCyclePaid(std::int64_t cycle_id, const std::string& now);

 private:
  db::Database& db_;
};

}  // namespace sanad::payments
