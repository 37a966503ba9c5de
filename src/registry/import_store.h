// The reads and writes of the import path: reference data read in sets for validating a whole file
// (areas, households named by reference, existing heads, references already registered) and the stored
// reports of rejected files. Staged rows and change requests are written by ChangeService.
//
// Reads choose between a full scan and batched IN lookups by how many keys are asked compared with the
// table, so a million-row file costs a few statements, not a million.
// Errors: kInternal/kUnavailable for database failures (db::ErrorFromException).
// Thread safety: holds no state but the database; calls may run concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "registry/registry_store.h"

namespace sanad::registry {

// Communes valid on a day and the ancestors of every area (self included, with their depth).
struct AreaIndex {
  std::unordered_set<std::string> communes;
  std::unordered_map<std::string, std::vector<std::pair<std::string, long long>>> ancestors;

  // Whether `commune` lies within `scope` (no scope: everywhere).
  bool Within(const std::string& commune, const std::optional<std::string>& scope) const;
  // Lowest area holding every commune of `set`, or nullopt (several countries, or empty).
  std::optional<std::string> LowestCommon(const std::set<std::string>& set) const;
};

struct HouseholdKey {
  std::int64_t id = 0;
  std::string commune;
};

// A stored report of a rejected import.
struct ImportReport {
  std::int64_t id = 0;
  std::string kind;  // households | persons | both
  std::string file_name;
  std::optional<std::int64_t> author_id;
  std::string author_username;
  std::string created_at;
  long long rows_total = 0;
  long long rows_rejected = 0;
  std::string csv;  // row,column,value,reason,code
};

class ImportStore {
 public:
  explicit ImportStore(RegistryStore& registry) : registry_(registry) {}

  Result<AreaIndex> Areas(const std::string& today);
  // Households named by `refs` (registry ref or source_ref), keyed by the reference as asked.
  Result<std::unordered_map<std::string, HouseholdKey>> HouseholdsByRef(const std::vector<std::string>& refs);
  // Number of active heads per household among `ids` (absent = none).
  Result<std::unordered_map<std::int64_t, int>> ActiveHeads(const std::vector<std::int64_t>& ids);
  // Which of `refs` already are a source_ref of `table` (households or persons).
  Result<std::unordered_set<std::string>> ExistingSourceRefs(const std::string& table,
                                                             const std::vector<std::string>& refs);

  Result<std::int64_t> SaveReport(const ImportReport& report);
  // The report, or nullopt when there is none with that id.
  Result<std::optional<ImportReport>> Report(std::int64_t id);

 private:
  RegistryStore& registry_;
};

}  // namespace sanad::registry
