// What the micro-credit route files share: the caller as the micro-credit engine sees them, and reasons
// (eligibility, quotas, the public preview) rendered in the reader's language beside their codes.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/services.h"
#include "i18n/catalogue.h"
#include "microcredit/lifecycle.h"

namespace sanad::api {

microcredit::Actor MicrocreditActorOf(const Services& s, const http::Request& req);
nlohmann::json MicrocreditReasonsJson(const std::vector<microcredit::ReasonRow>& reasons, i18n::Lang lang);
// The routes of the citizens' pre-registrations (microcredit_preregistration_routes.cpp) and of the
// collection tasks (microcredit_collection_routes.cpp), added by AddMicrocreditRoutes.
void AddMicrocreditPreRegistrationRoutes(http::RouteTable& t, Services& s,
                                         std::shared_ptr<microcredit::MicrocreditStore> store,
                                         std::shared_ptr<microcredit::Lifecycle> life);
void AddMicrocreditCollectionRoutes(http::RouteTable& t, Services& s,
                                    std::shared_ptr<microcredit::MicrocreditStore> store,
                                    std::shared_ptr<microcredit::Lifecycle> life);

}  // namespace sanad::api
