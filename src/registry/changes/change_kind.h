// The kinds of change request, each in a file of its own under changes/: a typed payload, its
// validation (at filing and again at approval), the areas it touches, its application and its summary,
// side by side. The table maps a ChangeKind to its operations; the change service never branches on a
// kind's name.
//
// Validation reads the registry as the actor sees it (Filing) and yields the typed payload, what it
// touches (targets, communes), its summary as a message code with parameters, and warnings for the
// reviewer. Application (Applying) writes from the typed payload of the approval's re-validation; the
// registry rules common to every kind (one head per active household, at least one active member) are
// checked after it by the change service, for every kind alike.
#pragma once

#include <any>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "registry/actor.h"
#include "registry/applied_change.h"
#include "registry/records.h"

namespace sanad::registry {

enum class ChangeKind {
  kCreateHousehold,
  kUpdateHousehold,
  kUpdatePerson,
  kAddMember,
  kRemoveMember,
  kMoveMember,
  kChangeHead,
  kSplitHousehold,
  kMergeHouseholds,
  kMergePersons,
  kExitHousehold,
  kImportHouseholds,
  kImportPersons,
  kImportHouseholdsWithMembers,
};
inline constexpr std::size_t kChangeKindCount = static_cast<std::size_t>(ChangeKind::kImportHouseholdsWithMembers) + 1;

// "add_member" → kAddMember; nullopt for a name no kind has.
std::optional<ChangeKind> ParseChangeKind(std::string_view name);
std::string_view ChangeKindName(ChangeKind kind);

// What validating a payload yields.
struct Filed {
  std::any payload;     // the kind's typed payload
  nlohmann::json json;  // its canonical JSON, stored with the request
  // The request's one-line summary as a catalogue code and parameters (rendered per reader). It names
  // only records the request touches, whose communes are all in `communes`: whoever may read the
  // request may read the names in its summary.
  std::string summary_code;
  MessageParams summary_params;
  std::optional<std::string> area_code;
  std::set<std::string> communes;  // every commune touched
  std::vector<Target> targets;
  std::vector<ChangeWarning> warnings;
};

class Filing;
class Applying;

struct KindOps {
  ChangeKind kind;
  std::string_view name;
  // Validates a payload against the registry; on success the filing's `payload` holds the typed payload.
  std::function<Status(Filing&, const nlohmann::json&)> validate;
  // Applies a typed payload produced by `validate` (inside the approval's transaction).
  std::function<Status(Applying&, const std::any&)> apply;
  // Rows staged by the importer under the request (imports): never filed through the change API.
  bool staged = false;
};

// The operations of `kind` (every kind has an entry).
const KindOps& OpsOf(ChangeKind kind);

}  // namespace sanad::registry
