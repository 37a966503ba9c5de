// Whether an area of a level (region, commune) exists in the reference data on a day: the one query the
// empowerment stores use to check a call's region and a registration's commune. Call inside db::Guard.
#pragma once

#include <string>

#include "db/database.h"

namespace sanad::empowerment {

bool AreaExistsOn(db::Database& db, const std::string& code, const char* level, const std::string& day);

}  // namespace sanad::empowerment
