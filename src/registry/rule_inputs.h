// The rules' inputs of each household over time (table household_rule_inputs, migration 0038): one row
// per household and span in which it was active and none of its versions or its members' changed, with
// the members packed into one text, so that a programme cycle reads one row per household instead of
// stepping through every member's index entry (docs/cycles.md "The rule inputs table"); the socio-economic
// index reads its members' counts from the rows in force now the same way (targeting/score_store.h).
// Derived from the version
// history and rebuilt from it by every registry write path, in the writer's transaction: the change
// requests (ChangeService), imports (the same, at approval) and the bulk load. The packed format's one
// definition is here: RuleInputStore writes it, ForEachPackedMember reads it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace sanad::registry {

// The member fields packed, in this order (person_versions' columns of the same names).
enum PackedField : int {
  kPackedPersonId,
  kPackedVersion,
  kPackedRelationship,
  kPackedSex,
  kPackedBirthDate,
  kPackedMaritalStatus,
  kPackedSchooling,
  kPackedDisabilityPercent,
  kPackedEmploymentStatus,
  kPackedFamilyAllowances,
  kPackedAbleToWork,
  kPackedInInstitution,
  kPackedDisabilityType,  // these two for the socio-economic index's members' counts (migration 0042)
  kPackedEducationLevel,
  kPackedFieldCount
};

inline constexpr char kPackedMemberSeparator = '\x1e';
inline constexpr char kPackedFieldSeparator = '\x1f';
inline constexpr char kPackedNull = '\x15';  // a field alone: NULL in the registry

// One member's fields; nullopt for a NULL. Views into the packed text.
using PackedMember = std::array<std::optional<std::string_view>, kPackedFieldCount>;

// Calls each(member) for every member of a packed text (none for an empty one). False, having called
// each for the members before it, when a member does not have exactly kPackedFieldCount fields.
template <typename Each>
bool ForEachPackedMember(std::string_view packed, Each&& each) {
  PackedMember m;
  if (packed.empty()) return true;
  for (;;) {
    const std::size_t end = packed.find(kPackedMemberSeparator);
    std::string_view member = packed.substr(0, end);
    for (int f = 0; f < kPackedFieldCount; ++f) {
      const std::size_t stop = member.find(kPackedFieldSeparator);
      if ((stop == std::string_view::npos) != (f == kPackedFieldCount - 1)) return false;
      const std::string_view field = member.substr(0, stop);
      m[f] = field.size() == 1 && field[0] == kPackedNull ? std::nullopt : std::optional<std::string_view>(field);
      if (stop != std::string_view::npos) member.remove_prefix(stop + 1);
    }
    each(m);
    if (end == std::string_view::npos) return true;
    packed.remove_prefix(end + 1);
  }
}

// SQL of household_rule_inputs. Runs inside the caller's write transaction; throws on a database error.
class RuleInputStore {
 public:
  // Replaces the rows of these households by those their version history gives (every span).
  void Rebuild(db::Session& s, std::span<const std::int64_t> household_ids);
  // After a change request applied at `now`: the households it created or changed, and those of the
  // persons it changed, before and after (a person's fields, a move, a merge).
  void RebuildTouched(db::Session& s, std::span<const std::int64_t> household_ids,
                      std::span<const std::int64_t> person_ids, const std::string& now);
  // The rows of households first..last just loaded in bulk with persons first..last (LoadStore: one
  // version each, from the same moment): the same rows as Rebuild gives, without the member index that
  // a load into an empty registry drops until its end.
  void AddLoaded(db::Session& s, std::int64_t first_household, std::int64_t last_household, std::int64_t first_person,
                 std::int64_t last_person);
  // The statements AddLoaded runs, in order (tests read the plan of the INSERT among them).
  static std::vector<std::string> AddLoadedStatements(db::Dialect dialect, std::int64_t first_household,
                                                      std::int64_t last_household, std::int64_t first_person,
                                                      std::int64_t last_person);
  // The same for every household (what the migration did for the registry before it).
  void RebuildAll(db::Session& s);

 private:
  void Rebuild(db::Session& s, const std::string& which);
};

}  // namespace sanad::registry
