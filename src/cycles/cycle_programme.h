// What a cycle takes from its programme: the definition (one lookup, so that the programme store can
// replace the built-in templates in one place), the digest of the rules and parameters a period uses,
// and the incompatibility checks that run before approval.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "cycles/cycle_store.h"
#include "programs/programme.h"

namespace sanad::cycles {

// How a cycle finds its programme by code: `sanad serve` gives the programme catalogue (a saved
// definition, else the built-in template); BuiltinProgrammeLookup serves the templates alone (tests).
// Errors: program.not_found (kNotFound).
using ProgrammeLookup = std::function<Result<programs::Programme>(std::string_view code)>;
ProgrammeLookup BuiltinProgrammeLookup();

// Hex BLAKE2b-256 (libsodium's crypto_generichash) of the programme's rules and of the parameter set in
// force on the period's first day: two cycles with the same digest were computed by the same rules.
// Errors: kFailedPrecondition (cycle.no_parameters) when no parameter set is in force for the period.
Result<std::string> ProgrammeDigest(const programs::Programme& programme, std::string_view period);

// The checks of the programmes `programme` may not be combined with: the registry's cross-programme
// rules (dedup::CrossProgrammeRules, e.g. ASD with family allowances) read against today's registry,
// and the programmes its definition declares incompatible (`Programme::incompatible`: another approved
// cycle for the period, or a benefit-ledger line of the period).
std::vector<FlagCheck> FlagChecksFor(const programs::Programme& programme);

}  // namespace sanad::cycles
