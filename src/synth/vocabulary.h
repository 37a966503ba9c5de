// The generator writes the registry's own vocabulary (registry_model/vocabulary.h).
#pragma once

#include "registry_model/vocabulary.h"

namespace sanad::synth {
using namespace ::sanad::registry;  // NOLINT: the generator speaks the registry's vocabulary throughout
}  // namespace sanad::synth
