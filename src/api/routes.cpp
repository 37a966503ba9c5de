#include <algorithm>

#include "api/dci_partner_routes.h"
#include "api/empowerment_training_routes.h"
#include "api/services.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace sanad::api {

http::RouteTable BuildRoutes(Services& s) {
  http::RouteTable t;
  AddSystemRoutes(t, s);
  AddAuthRoutes(t, s);
  AddUserRoutes(t, s);
  AddAreaRoutes(t, s);
  AddAuditRoutes(t, s);
  AddProgramRoutes(t, s);
  AddProgrammeEditRoutes(t, s);
  AddRuleRoutes(t, s);
  if (s.eservices) {
    AddEServiceRoutes(t, s);
    AddOpen311Routes(t, s);
    if (s.counselling) AddCounsellingRoutes(t, s);
  }
  if (s.registry && s.changes) {
    AddRegistryRoutes(t, s);
    AddChangeRequestRoutes(t, s);
    AddAuthorRoutes(t, s);
    AddImportRoutes(t, s);
    AddDciRoutes(t, s);
    AddDciPartnerRoutes(t, s);
    if (s.dedup) AddLinkageRoutes(t, s);
    if (s.scores) AddScoreRoutes(t, s);
    if (s.cycles) AddCycleRoutes(t, s);
    if (s.simulations) AddTargetingSimulationRoutes(t, s);
    if (s.payments) AddPaymentRoutes(t, s);
    AddEligibilityRoutes(t, s);
    if (s.empowerment && s.empowerment_store) AddEmpowermentRoutes(t, s);
    if (s.empowerment_store) AddEmpowermentTrainingRoutes(t, s);
    if (s.empowerment_funding && s.empowerment_calls) AddEmpowermentFundingRoutes(t, s);
    AddMicrocreditRoutes(t, s);  // ANGEM micro-credit, its public schedule preview included
    if (s.affiliation) AddAffiliationRoutes(t, s);
    if (s.cases) AddCaseRoutes(t, s);
    if (s.crvs) AddCrvsRoutes(t, s);
    if (s.placements) AddPlacementRoutes(t, s);
    if (s.grievances && s.grievance_escalation) AddGrievanceRoutes(t, s);
  }
  return t;
}

registry::Actor ActorOf(const Services& s, const http::Request& req) {
  registry::Actor a;
  if (req.principal) {
    a.user_id = req.principal->user.id.value;
    a.username = req.principal->user.username;
    a.scope.area = req.principal->user.area_code;
    const auto& roles = req.principal->user.roles;
    a.administrator = std::find(roles.begin(), roles.end(), auth::Role::kAdmin) != roles.end();
  }
  a.scope.today = DateOf(s.clock.Now()).ToString();
  a.ip = req.remote_ip;
  a.request_id = req.request_id;
  return a;
}

Status AuditRequest(Services& s, const http::Request& req, std::string action, std::string record_type,
                    std::string record_id, std::string details) {
  audit::AuditEntry e;
  if (req.principal) {
    e.user_id = req.principal->user.id.value;
    e.username = req.principal->user.username;
  }
  e.action = std::move(action);
  e.record_type = std::move(record_type);
  e.record_id = std::move(record_id);
  e.ip = req.remote_ip;
  e.request_id = req.request_id;
  e.details = std::move(details);
  const std::string what = fmt::format("request {} {} {}", req.request_id, req.method, req.path);
  auto refusal = [](const std::string& what, const Error& error) -> Status {
    spdlog::error("{}: its audit entry could not be written: {}", what, error.message);
    return Failure(Code::kUnavailable, "audit.unavailable");
  };
  if (req.deferred) {
    // The response is held until the entry is durable (or replaced by the error), without holding
    // the request thread meanwhile.
    auto complete = req.deferred->Add();
    auto queued = s.audit.AppendAsync(std::move(e), [complete, what, refusal](Result<audit::AuditEntry> r) {
      complete(r ? Ok() : refusal(what, r.error()));
    });
    if (!queued) {
      complete(Ok());  // nothing is pending for it: the refusal is returned to the handler instead
      return refusal(what, queued.error());
    }
    return Ok();
  }
  auto appended = s.audit.Append(std::move(e));
  if (appended) return Ok();
  return refusal(what, appended.error());
}

}  // namespace sanad::api
