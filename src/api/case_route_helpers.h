// Small pieces the case routes share (case_routes.cpp, case_admin_routes.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/json_mapping.h"
#include "cases/case_store.h"
#include "core/error.h"
#include "registry/actor.h"

namespace sanad::api::case_routes {

inline cases::Access AccessOf(const registry::Actor& a) { return {a.scope.area, a.scope.today, a.username}; }

// 400/422 kInvalidArgument `reason` naming `field`, with the value given.
inline std::unexpected<Error> Bad(std::string_view reason, const std::string& value, const std::string& field) {
  return Failure(Code::kInvalidArgument, std::string(reason), {{"value", value}}, field);
}

}  // namespace sanad::api::case_routes
