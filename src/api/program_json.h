// A programme and its outcome for one household as the API writes them: the simulator and a registered
// household's eligibility answer alike, labels and reasons rendered in the reader's language.
#pragma once

#include <nlohmann/json.hpp>

#include "i18n/catalogue.h"
#include "programs/programme.h"
#include "programs/simulate.h"

namespace sanad::api {

// {"code","params","text"}
nlohmann::json ReasonJson(const programs::Reason& why, i18n::Lang lang);

// {"eligible","monthly_amount","currency","lines":[{"code","label","amount"}],"reasons":[…],"one_off":[…]}
nlohmann::json SimulationJson(const programs::Simulation& sim, i18n::Lang lang);

}  // namespace sanad::api
