// The registry's name search: the in-memory NameIndex built from the database at start-up and kept in
// step with every applied change request, with area scopes turned into commune masks from the
// reference closure (so a scope follows dated parent links, e.g. Algerian wilayas created in 2027).
// Changes reach it twice: from this process's ChangeService right after the commit, and from the
// change feed that every app server on the database follows (ChangeFeedFollower). Applying a change
// re-reads the current rows of the persons it touched, so applying it again, or late, is harmless.
//
// Thread safety: Search may run concurrently with Load and Apply; Load and Apply run one at a time
// (a reindex reads rows and writes the index under one lock, so an older read never overwrites a newer
// one).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "names/person_name_store.h"
#include "registry/applied_change.h"
#include "registry/registry_store.h"
#include "search/name_index.h"

namespace sanad::names {

class PersonNameSearch {
 public:
  explicit PersonNameSearch(PersonNameStore& store) : store_(store) {}

  // Loads every active person. Returns how many were indexed.
  Result<std::size_t> Load();
  // Brings the index up to date with `change`: reindexes the persons it names and the members of the
  // households it names, or rebuilds for a bulk change. Errors: the database's.
  Status Apply(const registry::AppliedChange& change);

  // Ranked person ids whose commune lies under `scope` (and `area` when given) on scope.today. The
  // last rankings are kept until the index next changes, so that paging through a result (same query,
  // scope, area and k, another offset) or repeating a common query ranks once.
  Result<std::vector<std::pair<std::int64_t, double>>> Search(const std::string& query, const registry::Scope& scope,
                                                              const std::optional<std::string>& area, std::size_t k);

 private:
  // A copy: the cache may be cleared by another thread while the caller uses it (1,500 bits).
  Result<std::vector<bool>> MaskFor(const std::string& area, const std::string& today);
  Result<std::size_t> LoadLocked();
  Status Reindex(const std::vector<std::int64_t>& person_ids);

  PersonNameStore& store_;
  std::mutex apply_mu_;                // one Load or Apply at a time
  std::int64_t last_bulk_change_ = 0;  // the import the index was last rebuilt for (under apply_mu_)
  search::NameIndex index_;
  std::mutex masks_mu_;
  std::map<std::pair<std::string, std::string>, std::vector<bool>> masks_;  // (area, day) → communes

  // Moves on when a change of the index starts and again when it ends: a ranking is kept only when no
  // change started while it was computed, and served only while no change has started since.
  std::atomic<std::uint64_t> generation_{0};
  struct Ranked {
    std::uint64_t generation = 0;
    std::vector<std::pair<std::int64_t, double>> hits;
  };
  std::mutex ranked_mu_;
  std::unordered_map<std::string, Ranked> ranked_;  // query, scope, area, day, k → ranking
  std::size_t ranked_hits_ = 0;                     // hits held by ranked_ (bounds its memory)
};

}  // namespace sanad::names
