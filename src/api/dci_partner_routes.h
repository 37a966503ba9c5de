// Registration of DCI partner systems (dci_partner_routes.cpp), beside AddDciRoutes in services.h.
#pragma once

#include "api/services.h"

namespace sanad::api {

void AddDciPartnerRoutes(http::RouteTable& t, Services& s);

}  // namespace sanad::api
