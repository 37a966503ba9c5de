// Candidate parameters for a programme (targeting simulation, docs/targeting-simulation.md): the
// parameter set in force on a day with some of its values replaced, e.g. a higher index threshold or
// another child amount, so that the same rules can be run with the current and the candidate values.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "programs/programme.h"

namespace sanad::programs {

using ParameterOverrides = std::vector<std::pair<std::string, rules::ParamValue>>;

// The programme with one parameter set, in force from `day`: the set in force on `day` with the
// overrides applied. An int parameter takes only a whole number; a decimal one takes either.
// Errors (kFailedPrecondition, i.e. 422: every problem at once, field `overrides.<name>`): program.override_unknown
// (no such parameter in the set), program.override_not_integer; program.no_parameters (kFailedPrecondition)
// when no set is in force on `day`.
Result<Programme> WithOverrides(const Programme& programme, const Date& day, const ParameterOverrides& overrides);

}  // namespace sanad::programs
