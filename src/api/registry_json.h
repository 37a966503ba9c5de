// Registry records → API documents.
#pragma once

#include <nlohmann/json.hpp>

#include "registry/registry_store.h"

namespace sanad::api {

nlohmann::json PersonJson(const registry::PersonRecord& p);
nlohmann::json HouseholdJson(const registry::HouseholdRecord& h);
nlohmann::json ChangeRequestJson(const registry::ChangeRequestRow& c, bool with_payload);
nlohmann::json HistoryJson(const registry::HistoryEvent& e);
nlohmann::json BenefitJson(const registry::BenefitRow& b);

}  // namespace sanad::api
