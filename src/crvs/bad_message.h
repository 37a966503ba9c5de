// The one refusal of a civil registry message that is not what was expected (a notification, a
// subscription answer): code crvs.bad_notify naming the position in the message and what belonged there.
#pragma once

#include <expected>
#include <string>

#include "core/error.h"

namespace sanad::crvs {

inline std::unexpected<Error> BadMessage(const std::string& where, const std::string& what) {
  return Failure(Code::kInvalidArgument, "crvs.bad_notify", {{"position", where}, {"expected", what}}, where);
}

}  // namespace sanad::crvs
