// A programme cycle as the lifecycle sees it (migrations/0016_programme_cycles.sql, docs/cycles.md):
// one per programme and period, computed from the registry as it stood at its cut-off, approved by a
// second user (which freezes it), then paid and closed. No SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cycles/compute_cycle.h"  // CycleTotals

namespace sanad::cycles {

// draft → approved → paid → closed. A draft may be discarded (and generated again); an approved cycle
// never.
inline constexpr std::string_view kDraft = "draft";
inline constexpr std::string_view kApproved = "approved";
inline constexpr std::string_view kPaid = "paid";
inline constexpr std::string_view kClosed = "closed";
bool IsCycleState(std::string_view s);

struct CycleRow {
  std::int64_t id = 0;
  std::string programme, period, cut_off, state, currency, programme_digest;
  CycleTotals totals;
  std::int64_t households_flagged = 0;
  std::string generated_at;
  std::optional<std::int64_t> generated_by_id;
  std::string generated_by;
  std::optional<std::string> approved_at;
  std::optional<std::int64_t> approved_by_id;
  std::optional<std::string> approved_by;
  std::optional<std::string> paid_at, closed_at;
  std::int64_t version = 1;
};

// One cycle's figures over the communes of one region (the region is the area code's first part).
struct RegionTotals {
  std::string region;
  CycleTotals totals;
  std::int64_t flagged = 0;
};

struct EntryRow {
  std::int64_t cycle_id = 0, household_id = 0, household_version = 0;
  std::string commune_code;
  std::optional<std::int64_t> payee_person_id;
  bool eligible = false;
  std::int64_t amount_minor = 0, one_off_minor = 0;
  std::string details;               // JSON: lines, one-offs, reasons, the inputs snapshot
  std::optional<std::string> flags;  // JSON array of incompatibility flags
  // The cycle's score model and version: the model of a score whose inputs name none
  // (cycle_entry_store.h).
  std::string score_model, score_model_version;
};

struct EntryFilter {
  std::optional<bool> eligible;
  std::optional<bool> flagged;
  std::optional<std::string> region;  // an area code: entries whose commune lies under it
};

}  // namespace sanad::cycles
