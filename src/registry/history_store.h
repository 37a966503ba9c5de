// The field-level history of a household and of the persons who belonged to it, computed from the
// version rows the change service writes (household_versions, person_versions): each applied change
// with who filed and approved it and, per record it touched, every field whose value differs from the
// record's previous version (before and after). The first version of a record lists its values with no
// "before". A person who joined from or left for another household shows the household_id change.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "registry/records.h"

namespace sanad::registry {

class HistoryStore {
 public:
  explicit HistoryStore(db::Database& db) : db_(db) {}

  // The caller checks that the household lies in the reader's scope first. A change's summary is left
  // empty when the reader's scope does not cover every area the change touched. Oldest change first.
  // Two statements whatever the number of versions (one per table), diffed in one pass.
  Result<std::vector<HistoryEvent>> HouseholdHistory(std::int64_t household_id, const Scope& reader);

 private:
  db::Database& db_;
};

// The fields whose values differ between two versions of a record (`before` empty: a first version,
// every non-empty value of `after`).
std::vector<FieldChange> DiffValues(std::span<const FieldSpec> fields, const Values* before, const Values& after);

}  // namespace sanad::registry
