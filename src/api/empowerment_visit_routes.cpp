// Accompaniment and monitoring visits of the empowerment platform (src/empowerment/visit*,
// docs/empowerment.md#visits): the day her activity started, her visits (reads audited, fail-closed),
// and what is overdue in the reader's area on a day (`as_of`, today by default).
#include <nlohmann/json.hpp>

#include "api/empowerment_route_helpers.h"
#include "api/empowerment_training_routes.h"
#include "api/json_mapping.h"
#include "empowerment/visit_store.h"

namespace sanad::api {
namespace {

using empowerment::VisitStore;
using nlohmann::json;

json VisitJson(const empowerment::VisitRow& r) {
  const auto& v = r.visit;
  return {{"id", r.id},
          {"registration_id", r.registration_id},
          {"kind", v.kind},
          {"visited_on", v.visited_on},
          {"visitor", v.visitor},
          {"notes", OrNull(v.notes)},
          {"next_step", OrNull(v.next_step)},
          {"next_step_due", OrNull(v.next_step_due)},
          {"milestone_months", OrNull(v.milestone_months)},
          {"activity_running", OrNull(v.activity_running)},
          {"monthly_income", OrNull(v.monthly_income)},
          {"jobs_created", OrNull(v.jobs_created)},
          {"recorded_at", r.recorded_at},
          {"recorded_by", r.recorded_by}};
}

http::Response ListVisits(Services& s, VisitStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(found, store.ForWoman(*id, ScopeOf(ActorOf(s, req))));
  if (!*found) {
    return http::ErrorResponse(
        Failure(Code::kNotFound, "empowerment.registration_not_found", {{"id", std::to_string(*id)}}, "id").error());
  }
  if (auto st = AuditRequest(s, req, "view_visits", "empowerment_registration", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  json items = json::array();
  for (const auto& v : (*found)->visits) items.push_back(VisitJson(v));
  return http::JsonResponse(
      200, json{{"activity_started_on", OrNull((*found)->activity_started_on)}, {"items", items}}.dump());
}

http::Response AddVisit(Services& s, VisitStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(visit, empowerment::ReadVisit(*body));
  const auto actor = ActorOf(s, req);
  const std::string now = FormatTimestamp(s.clock.Now());
  TRY_OR_RESPOND(visit_id, store.Add(*id, ScopeOf(actor), *visit, now, actor.username));
  if (auto st = AuditRequest(s, req, "visit", "empowerment_registration", std::to_string(*id),
                             json{{"visit", *visit_id}, {"kind", visit->kind}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, VisitJson({*visit_id, *id, *visit, now, actor.username}).dump());
}

http::Response SetStart(Services& s, VisitStore& store, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(day, r.RequiredString("started_on", 10));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!ParseDate(*day)) {
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "empowerment.bad_day", {{"field", "started_on"}, {"value", *day}}, "started_on")
            .error());
  }
  if (auto st = store.SetActivityStart(*id, ScopeOf(ActorOf(s, req)), *day); !st)
    return http::ErrorResponse(st.error());
  if (auto st = AuditRequest(s, req, "activity_start", "empowerment_registration", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"registration_id", *id}, {"activity_started_on", *day}}.dump());
}

http::Response Overdue(Services& s, VisitStore& store, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(as_of, q.Date("as_of"));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  const std::string day = as_of->value_or(actor.scope.today);
  TRY_OR_RESPOND(steps, store.OverdueNextSteps(ScopeOf(actor), day));
  TRY_OR_RESPOND(monitoring, store.OverdueMonitoringVisits(ScopeOf(actor), day));
  json next = json::array(), due = json::array(), ids = json::array();
  for (const auto& n : *steps) {
    next.push_back({{"visit_id", n.visit_id},
                    {"registration_id", n.registration_id},
                    {"given_name", n.given_name},
                    {"family_name", n.family_name},
                    {"commune_code", n.commune_code},
                    {"next_step", n.next_step},
                    {"due", n.due}});
    ids.push_back(n.registration_id);
  }
  for (const auto& m : *monitoring) {
    due.push_back({{"registration_id", m.registration_id},
                   {"given_name", m.given_name},
                   {"family_name", m.family_name},
                   {"commune_code", m.commune_code},
                   {"activity_started_on", m.started_on},
                   {"milestone_months", m.milestone.months},
                   {"due", m.milestone.due}});
    ids.push_back(m.registration_id);
  }
  if (auto st =
          AuditRequest(s, req, "search", "empowerment_registration", "", json{{"overdue", day}, {"ids", ids}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"as_of", day}, {"next_steps", next}, {"monitoring", due}}.dump());
}

}  // namespace

void AddEmpowermentVisitRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  auto store = std::make_shared<VisitStore>(s.db);
  t.push_back({"GET", "/api/v1/empowerment/registrations/:id/visits", P::kEmpowermentRead,
               [&s, store](http::Request& req) { return ListVisits(s, *store, req); }});
  t.push_back({"POST", "/api/v1/empowerment/registrations/:id/visits", P::kEmpowermentManage,
               [&s, store](http::Request& req) { return AddVisit(s, *store, req); }});
  t.push_back({"PUT", "/api/v1/empowerment/registrations/:id/activity-start", P::kEmpowermentManage,
               [&s, store](http::Request& req) { return SetStart(s, *store, req); }});
  t.push_back({"GET", "/api/v1/empowerment/visits/overdue", P::kEmpowermentRead,
               [&s, store](http::Request& req) { return Overdue(s, *store, req); }});
}

}  // namespace sanad::api
