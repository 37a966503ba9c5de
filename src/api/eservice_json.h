// JSON of e-service reports shared by the e-service and Open311 route files, and reading a submission
// from a JSON object (docs/eservices.md).
#pragma once

#include <nlohmann/json.hpp>

#include "api/services.h"
#include "eservices/report.h"
#include "eservices/report_cases.h"
#include "http/json_input.h"

namespace sanad::api {

// A report as staff see it (personal data: audited by the caller).
nlohmann::json StaffReportJson(const eservices::Report& r);
// What the reporter's status page shows: the status and the public notes, nothing about anyone.
// A case opened from the report shows as its status and stage, never its content.
nlohmann::json PublicReportJson(const eservices::ReportCases::PublicView& v,
                                const std::vector<eservices::Note>& public_notes);
// Reads the submission fields of a JSON body; unknown fields are refused.
Result<eservices::ReportInput> ReadReportInput(const nlohmann::json& body);
// The caller's access to reports: their units, and their area for every staff role but mobile_unit.
eservices::Access AccessOf(const Services& s, const http::Request& req);
// Takes a token from the sender's address and phone buckets. nullopt: within the limits; else the
// seconds to wait (a counselling request is refused with them; a life-safety report is kept, flagged).
std::optional<int> TakeIntakeTokens(Services& s, const http::Request& req, const eservices::ReportInput& in);

// Submits a public report through the intake's group commit: with a deferred response (the pipeline's
// Deferred) the request thread is freed at once and the response waits until the report is durable
// (replaced by the error if its batch fails); without one it waits here. Never answers before the
// report is stored.
Result<eservices::Submitted> SubmitDurably(Services& s, http::Request& req, eservices::ReportInput in, bool over_limit);

}  // namespace sanad::api
