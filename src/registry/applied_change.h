// What an applied change request changed: handed to in-process listeners (the name index) and recorded
// in the change feed that other app servers follow.
#pragma once

#include <cstdint>
#include <vector>

namespace sanad::registry {

struct AppliedChange {
  std::int64_t change_request_id = 0;
  std::vector<std::int64_t> person_ids;     // persons created or changed
  std::vector<std::int64_t> household_ids;  // households created or changed
  bool bulk = false;                        // an import: listeners may prefer a rebuild
  // An import's rows that the lists above leave out (they may be many): persons and households it
  // created. The approval's audit entry counts them.
  long long bulk_persons = 0, bulk_households = 0;
};

}  // namespace sanad::registry
