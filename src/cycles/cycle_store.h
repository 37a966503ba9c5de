// SQL of programme cycles (migrations/0016_programme_cycles.sql): the cycle rows and their state
// changes, the entries read within a caller's area scope, totals by region, and the incompatibility
// flags set on a draft's entries. The entries themselves are written by the cycle's computation
// (ComputeCycleEntries) inside the generation transaction.
//
// Freeze: every statement that writes a cycle's entries or figures carries `state = 'draft'`, so an
// approved cycle is never rewritten whatever calls it.
//
// Thread safety: all methods may be called concurrently (each borrows its own session; the Session
// forms join the caller's transaction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "cycles/cycle.h"
#include "db/database.h"
#include "registry/records.h"

namespace sanad::cycles {

// One incompatibility check, run over a draft's eligible entries in one statement (cycle_flags_store.cpp).
struct FlagCheck {
  enum class Kind {
    kRegistryFlag,    // a current active member has `flag_column` = 1, or is on an external list of `other`
    kApprovedCycle,   // an approved (paid, closed) cycle of `other` for the same period pays the household
    kLedgerInPeriod,  // the benefit ledger holds a line of `other` dated in the period for the household
  };
  Kind kind = Kind::kRegistryFlag;
  std::string other;        // the programme that may not be combined
  std::string flag_column;  // kRegistryFlag: a persons column (from the compiled rule list, never input)
  std::string flag_json;    // the JSON object stored in the entry's flags array
};

// The statement RefreshFlags runs for one check, binding :f1, :f2 (the flag), :id (the draft), :o (the
// other programme) and, but for kRegistryFlag, :pe (the period); its query plan is tested.
std::string FlagUpdateSql(const FlagCheck& check);

class CycleStore {
 public:
  explicit CycleStore(db::Database& db) : db_(db) {}
  db::Database& db() { return db_; }

  Result<std::optional<CycleRow>> Get(std::int64_t id);
  Result<std::optional<CycleRow>> Get(db::Session& s, std::int64_t id, bool lock);
  Result<std::optional<CycleRow>> Find(const std::string& programme, const std::string& period);
  Result<std::optional<CycleRow>> Find(db::Session& s, const std::string& programme, const std::string& period);
  // Newest period first; empty filters match every cycle.
  Result<std::vector<CycleRow>> List(const std::string& programme, const std::string& state, int limit);

  // Inserts the draft row (figures zero) and returns its id. Errors: kAlreadyExists when the programme
  // already has a cycle for the period (unique index, whichever server wrote it).
  Result<std::int64_t> InsertDraft(db::Session& s, const CycleRow& row);
  Status SetTotals(db::Session& s, std::int64_t id, const CycleTotals& totals);
  // Deletes a draft with its entries. false when the cycle is not (or no longer) a draft.
  Result<bool> DeleteDraft(db::Session& s, std::int64_t id);
  // draft → approved. false when the cycle is not a draft at `version` (approved or discarded meanwhile).
  Result<bool> MarkApproved(db::Session& s, std::int64_t id, std::int64_t version, std::optional<std::int64_t> by_id,
                            const std::string& by, const std::string& at);
  // approved → paid: for the payment work, inside its own transaction. false when not approved.
  Result<bool> MarkPaid(db::Session& s, std::int64_t id, const std::string& at);
  // paid → closed. false when not paid.
  Result<bool> MarkClosed(db::Session& s, std::int64_t id, const std::string& at);

  // Clears a draft's flags, runs every check and stores the number of flagged households on the cycle.
  // Returns that number. Nothing is written when the cycle is not a draft (the count stays as frozen).
  Result<std::int64_t> RefreshFlags(db::Session& s, const CycleRow& cycle, const std::vector<FlagCheck>& checks);

  // Entries whose commune lies within the scope (and the filter), by household id; with the total.
  Result<std::pair<std::vector<EntryRow>, long long>> Entries(std::int64_t cycle_id, const EntryFilter& filter,
                                                              const registry::Scope& scope, int limit, int offset);
  // Figures per region of the entries within the scope (regions as they stood on the cut-off's day).
  Result<std::vector<RegionTotals>> TotalsByRegion(const CycleRow& cycle, const registry::Scope& scope);

 private:
  db::Database& db_;
};

}  // namespace sanad::cycles
