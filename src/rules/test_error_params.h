// For the rules tests: the value an error carries for one of its message parameters.
#pragma once

#include <string>

#include "core/error.h"

namespace sanad::rules {

// "<none>" when the error has no such parameter, so that an expectation prints what was missing.
inline std::string ParamOf(const Error& e, const std::string& key) {
  for (const auto& [k, v] : e.params) {
    if (k == key) return v;
  }
  return "<none>";
}

}  // namespace sanad::rules
