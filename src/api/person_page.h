// The items of a person search's page, written from PersonJsonCache where the stored version of a
// person is the one kept, and read from the registry (then kept) where it is not.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/person_json_cache.h"
#include "registry/household_store.h"

namespace sanad::api {

struct PersonPage {
  std::vector<std::int64_t> ids;  // the persons written, in order (what the audit entry records)
  long long store_total = 0;      // the store's total for `f` (SearchFilter::count_total)
};

// `f` as the search route builds it. `ranked`: the name index's hits with their scores, in rank order, when
// f.person_ids holds them (every hit when `sorted`, the page's otherwise); empty for other searches.
// Appends the persons' JSON objects to `out`, comma-separated, each with where it lives and its score.
Result<PersonPage> LoadPersonPage(registry::HouseholdStore& store, PersonJsonCache& cache,
                                  const registry::SearchFilter& f, const registry::Scope& scope,
                                  const std::vector<std::pair<std::int64_t, double>>& ranked, bool sorted,
                                  std::string& out);

}  // namespace sanad::api
