// Trainings, attendance and certificates of the empowerment platform (docs/empowerment.md#trainings).
#pragma once

#include "api/services.h"

namespace sanad::api {

void AddEmpowermentTrainingRoutes(http::RouteTable& t, Services& s);

}  // namespace sanad::api
