// A chain verification's report as people and clients read it: its reason (a catalogue code,
// audit_verify.*) rendered in a language, and the JSON of the report (GET /api/v1/audit/verify/{id}).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "audit/audit_log.h"
#include "i18n/language.h"

namespace sanad::audit {

// The reason's text in `lang` (the command line and the server log use English); empty when the
// report names no reason.
std::string VerifyReasonText(const VerifyReport& report, i18n::Lang lang);

// {ok, checked, first_broken_id, reason (code or null), params}: what a verification job stores.
nlohmann::json VerifyReportJson(const VerifyReport& report);

}  // namespace sanad::audit
