// SQL of bulk imports: validated rows staged column by column under their change request, then moved
// into the registry by set-based statements when the request is approved (or dropped when rejected).
// All methods run inside the caller's transaction and throw on a database error (callers run them
// through Database::InTransaction or db::Guard).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "registry/records.h"

namespace sanad::registry {

class StagingStore {
 public:
  StagingStore() = default;

  // Stages validated rows column by column (one statement per chunk of rows).
  void StageHouseholds(db::Session& s, std::int64_t cr, const std::vector<Values>& rows);
  // `household_ids` empty: the persons' households are staged under the same request (household_id NULL).
  void StagePersons(db::Session& s, std::int64_t cr, const std::vector<std::string>& household_refs,
                    const std::vector<std::int64_t>& household_ids, const std::vector<Values>& rows);
  // Moves staged rows into the registry with set-based statements; returns rows applied.
  // The staged households enter the registry with `status` ("active" when their members come with them,
  // "awaiting_members" for a households-only file).
  long long ApplyStagedHouseholds(db::Session& s, std::int64_t cr, const std::string& now, const std::string& status);
  long long ApplyStagedPersons(db::Session& s, std::int64_t cr, const std::string& now);
  // Households with their members (one request of kind import_households_with_members): the households,
  // then their members, each linked to the household staged with its household_ref. Returns the ids of
  // the households created and how many persons.
  struct HouseholdsWithMembers {
    std::vector<std::int64_t> households;
    long long persons = 0;
  };
  HouseholdsWithMembers ApplyStagedHouseholdsWithMembers(db::Session& s, std::int64_t cr, const std::string& now);
  // The households that the staged rows of an import request name (persons) or create (households,
  // by source_ref once applied).
  std::vector<std::int64_t> StagedPersonHouseholds(db::Session& s, std::int64_t cr);
  // After ApplyStagedPersons: the households awaiting their members that this import gave members become
  // active, as a new version (set-based). The caller checks the household rules on them.
  void ActivateAwaitingHouseholds(db::Session& s, std::int64_t cr, const std::vector<std::int64_t>& households,
                                  const std::string& now);
  // Households named by `refs` (their ref or source_ref): id and commune, or nullopt when unknown.
  struct HouseholdKey {
    std::int64_t id;
    std::string commune_code;
  };
  std::vector<std::optional<HouseholdKey>> HouseholdsByRef(db::Session& s, const std::vector<std::string>& refs);
  // What the registry changed since an import was staged, checked again at its approval: the first
  // staged household or person whose source reference another import has registered since (nullopt
  // when none), and the refs of registry households its persons join that are no longer active.
  std::optional<std::string> StagedHouseholdAlreadyRegistered(db::Session& s, std::int64_t cr);
  std::optional<std::string> StagedPersonAlreadyRegistered(db::Session& s, std::int64_t cr);
  std::vector<std::string> StagedPersonHouseholdsNotActive(db::Session& s, std::int64_t cr);
  // Drops the staged rows of a rejected request.
  // Staged persons whose national ID is already held by an active person (`in_use`), or by another row
  // of the same import (`repeated`): how many rows, and the first such row with its ID.
  struct NationalIdClash {
    long long rows = 0;
    long long first_row = 0;
    std::string national_id;
  };
  NationalIdClash StagedNationalIdsInUse(db::Session& s, std::int64_t cr);
  NationalIdClash StagedNationalIdsRepeated(db::Session& s, std::int64_t cr);

  void DiscardStaged(db::Session& s, std::int64_t cr);
};

}  // namespace sanad::registry
