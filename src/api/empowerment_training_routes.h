// Trainings, attendance and certificates of the empowerment platform (docs/empowerment.md#trainings).
#pragma once

#include "api/services.h"

namespace sanad::api {

// Also adds the visits' and the figures' routes.
void AddEmpowermentTrainingRoutes(http::RouteTable& t, Services& s);
// Accompaniment and monitoring visits (empowerment_visit_routes.cpp).
void AddEmpowermentVisitRoutes(http::RouteTable& t, Services& s);
// Regional figures as JSON, CSV and XLSX (empowerment_figures_routes.cpp).
void AddEmpowermentFiguresRoutes(http::RouteTable& t, Services& s);
// Her staff file: applications, trainings, ledger lines (empowerment_file_routes.cpp).
void AddEmpowermentFileRoutes(http::RouteTable& t, Services& s);

}  // namespace sanad::api
