// A programme as JSON: the one serialisation the API answers with, the store keeps and the editor sends
// back. The layout is documented in docs/programs.md ("Stored programmes").
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "core/error.h"
#include "programs/programme.h"

namespace sanad::programs {

// Bounds of a definition read from JSON (a request body or a stored row): they keep a save and its
// validation (every rule compiled against every parameter set) cheap.
inline constexpr std::size_t kMaxRules = 64;  // conditions, lines and one-offs, each
inline constexpr std::size_t kMaxParameterSets = 40;
inline constexpr std::size_t kMaxParams = 400;  // per set
inline constexpr std::size_t kMaxRuleBytes = 16 * 1024;

nlohmann::json ProgrammeToJson(const Programme& programme);

// Reads a definition. The shape is checked here (types, enumerations, dates, bounds): an error is
// kInvalidArgument naming the member's path ("eligibility[2].rule", "parameter_sets[1].params.asd.floor").
// Whether the rules compile is ValidateProgramme's question (programme_check.h).
Result<Programme> ProgrammeFromJson(const nlohmann::json& j);

// Reads parameter sets alone (the rule checker's request carries the editor's unsaved sets), as the
// "parameter_sets" member of a definition; errors name "parameter_sets[i]…".
Result<std::vector<ParameterSet>> ParameterSetsFromJson(const nlohmann::json& j);

}  // namespace sanad::programs
