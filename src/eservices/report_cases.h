// Cases opened from citizen reports (docs/eservices.md "From a report to a case"). The case names the
// report's public id as its origin; the report moves to case_opened with the case's id, leaving the
// triage queues; the reporter's status page then follows the case's status and stage, read from the case
// each time so that the page and the case never disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cases/case_store.h"
#include "core/error.h"
#include "core/time.h"
#include "eservices/report_store.h"

namespace sanad::eservices {

// The case type a report's service usually becomes (a worker may choose another).
std::string_view CaseTypeOf(std::string_view service);

class ReportCases {
 public:
  ReportCases(ReportStore& reports, cases::CaseStore& cases) : reports_(reports), cases_(cases) {}

  struct Opened {
    std::int64_t case_id = 0;
    bool created = false;  // false: the report already had its case, which is answered
  };

  // Opens the case of the report whose public id is `case_draft.origin_ref`, seen within `access`. The
  // draft's empty case type, commune and summary are the report's (its usual case type, its commune, its
  // description) and its empty unit the report's unit. A report that already has its case answers that
  // case, also when another worker opened one at the same moment; the report is (again) set to
  // case_opened. Errors: kNotFound (no such report within `access`), the case store's.
  Result<Opened> Open(cases::NewCase case_draft, const Access& access, const cases::Access& case_access, TimePoint now,
                      const std::string& by);

  // A report as its reporter and Open311 clients see it: closed once its case is closed (whatever the
  // report's own row says), with where its case stands (nullopt: no case was opened from it).
  struct PublicView {
    Report report;
    std::optional<cases::CaseProgress> case_progress;
  };
  Result<PublicView> Public(Report r);

 private:
  ReportStore& reports_;
  cases::CaseStore& cases_;
};

}  // namespace sanad::eservices
