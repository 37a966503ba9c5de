// The registry's name search: the in-memory NameIndex built from the database at start-up and kept in
// step with every applied change request, with area scopes turned into commune masks from the
// reference closure (so a scope follows dated parent links, e.g. Algerian wilayas created in 2027).
//
// Thread safety: Search may run concurrently with OnApplied.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "registry/change_service.h"
#include "search/name_index.h"

namespace sanad::app {

class PersonNameSearch {
 public:
  explicit PersonNameSearch(db::Database& db) : db_(db) {}

  // Loads every active person. Returns how many were indexed.
  Result<std::size_t> Load();
  void OnApplied(const registry::AppliedChange& change);

  // Ranked person ids whose commune lies under `scope` (and `area` when given) on scope.today.
  Result<std::vector<std::pair<std::int64_t, double>>> Search(const std::string& query, const registry::Scope& scope,
                                                              const std::optional<std::string>& area, std::size_t k);

 private:
  // A copy: the cache may be cleared by another thread while the caller uses it (1,500 bits).
  Result<std::vector<bool>> MaskFor(const std::string& area, const std::string& today);
  void Reindex(const std::vector<std::int64_t>& person_ids);

  db::Database& db_;
  search::NameIndex index_;
  std::mutex masks_mu_;
  std::map<std::pair<std::string, std::string>, std::vector<bool>> masks_;  // (area, day) → communes
};

}  // namespace sanad::app
