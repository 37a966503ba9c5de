// What a cycle takes from its programme: the definition (one lookup, so that the programme store can
// replace the built-in templates in one place), the digest of the rules and parameters a period uses,
// and the incompatibility checks that run before approval.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "cycles/cycle_store.h"
#include "programs/programme.h"

namespace sanad::cycles {

// The programme with this code, or nullptr. Today the built-in templates (programs/templates.h).
const programs::Programme* FindCycleProgramme(std::string_view code);

// Hex BLAKE2b-256 (libsodium's crypto_generichash) of the programme's rules and of the parameter set in
// force on the period's first day: two cycles with the same digest were computed by the same rules.
// Errors: kFailedPrecondition (cycle.no_parameters) when no parameter set is in force for the period.
Result<std::string> ProgrammeDigest(const programs::Programme& programme, std::string_view period);

// The checks of the programmes `programme` may not be combined with: the registry's cross-programme
// rules (dedup::CrossProgrammeRules, e.g. ASD with family allowances) read against today's registry,
// and the programmes declared incompatible (another approved cycle for the period, or a benefit-ledger
// line of the period).
std::vector<FlagCheck> FlagChecksFor(std::string_view programme);

// The programmes declared incompatible with `programme` (besides the registry's cross-programme rules).
std::vector<std::string> IncompatibleProgrammes(std::string_view programme);

}  // namespace sanad::cycles
