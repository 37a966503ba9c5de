// Trainings, attendance and certificates of the empowerment platform (docs/empowerment.md#trainings).
#pragma once

#include "api/services.h"

namespace sanad::api {

// Also adds the visits' routes (AddEmpowermentVisitRoutes).
void AddEmpowermentTrainingRoutes(http::RouteTable& t, Services& s);
// Accompaniment and monitoring visits (empowerment_visit_routes.cpp).
void AddEmpowermentVisitRoutes(http::RouteTable& t, Services& s);

}  // namespace sanad::api
