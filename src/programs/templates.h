// The built-in programme templates, written in the rule language from docs/programs.md and
// domain.md: ASD (§1.1), AMO Tadamon and AMO Achamil (§1.2), AFS (§2.3).
#pragma once

#include <span>
#include <string_view>

#include "programs/programme.h"

namespace sanad::programs {

std::span<const Programme> BuiltinProgrammes();

// The built-in programme with this code, or nullptr.
const Programme* FindBuiltin(std::string_view code);

}  // namespace sanad::programs
