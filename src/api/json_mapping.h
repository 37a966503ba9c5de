// Domain values → JSON documents of the API (docs/openapi.yaml).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "audit/audit_entry.h"
#include "auth/user.h"
#include "geo/area.h"

namespace sanad::api {

// A value, or JSON null when absent.
template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json AreaJson(const geo::Area& a, const std::optional<std::string>& parent_code);
nlohmann::json UserJson(const auth::User& u);
nlohmann::json AuditJson(const audit::AuditEntry& e);

}  // namespace sanad::api
