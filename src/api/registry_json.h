// Registry records → API documents.
#pragma once

#include <nlohmann/json.hpp>

#include "i18n/language.h"
#include "registry/registry_store.h"

namespace sanad::api {

nlohmann::json PersonJson(const registry::PersonRecord& p);
nlohmann::json HouseholdJson(const registry::HouseholdRecord& h);
// The summary and warnings are rendered in `lang` (the request's language); the summary's code and
// parameters go along for clients that render them themselves.
nlohmann::json ChangeRequestJson(const registry::ChangeRequestRow& c, bool with_payload, i18n::Lang lang);
nlohmann::json HistoryJson(const registry::HistoryEvent& e, i18n::Lang lang);
nlohmann::json BenefitJson(const registry::BenefitRow& b);

}  // namespace sanad::api
