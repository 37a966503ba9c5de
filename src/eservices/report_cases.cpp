#include "eservices/report_cases.h"

#include <algorithm>

namespace sanad::eservices {

std::string_view CaseTypeOf(std::string_view service) {
  if (service == kElderlyInDanger) return "elderly_person";
  if (service == kHomelessPerson) return "homeless_person";
  return "family_in_crisis";
}

Result<ReportCases::Opened> ReportCases::Open(cases::NewCase draft, const Access& access,
                                              const cases::Access& case_access, TimePoint now, const std::string& by) {
  const std::string ref = draft.origin_ref.value_or("");
  auto found = reports_.ByPublicId(ref);
  if (!found) return std::unexpected(found.error());
  // The report must be within the caller's sight, like every staff read of a report.
  auto report = *found ? reports_.Get((*found)->id, access) : Result<std::optional<Report>>(std::nullopt);
  if (!report) return std::unexpected(report.error());
  if (!*report)
    return Failure(Code::kNotFound, std::string(MsgCode("eservice.report_not_found")), {{"id", ref}}, "origin_ref");
  const Report& r = **report;
  if (draft.case_type.empty()) draft.case_type = std::string(CaseTypeOf(r.input.service));
  if (draft.commune_code.empty()) draft.commune_code = r.input.commune_code;
  if (draft.summary.empty()) draft.summary = r.input.description;
  if (!draft.unit) draft.unit = r.unit_code;
  draft.origin = "report";

  Opened out;
  auto id = cases_.Open(draft, case_access, now);
  if (id) {
    out = {*id, true};
  } else if (id.error().code == Code::kAlreadyExists) {
    // Opened already (cases_one_per_report), perhaps by another worker a moment ago: that case.
    auto existing = cases_.ProgressOfReport(ref);
    if (!existing) return std::unexpected(existing.error());
    if (!*existing) return std::unexpected(id.error());
    out = {(*existing)->id, false};
  } else {
    return std::unexpected(id.error());
  }
  auto moved = reports_.SetStatus(r.id, access, "case_opened", std::to_string(out.case_id), FormatTimestamp(now), by);
  if (!moved) return std::unexpected(moved.error());
  return out;
}

Result<ReportCases::PublicView> ReportCases::Public(Report r) {
  PublicView out;
  if (r.case_ref) {
    auto progress = cases_.ProgressOfReport(r.public_id);
    if (!progress) return std::unexpected(progress.error());
    out.case_progress = std::move(*progress);
    if (out.case_progress) {
      if (out.case_progress->status == "closed") r.status = "closed";
      // The case's last move is the report's last update as its reporter sees it (same ISO format).
      r.updated_at = std::max(r.updated_at, out.case_progress->stage_since);
    }
  }
  out.report = std::move(r);
  return out;
}

}  // namespace sanad::eservices
