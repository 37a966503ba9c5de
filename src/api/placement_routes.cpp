// Alternative-care placements of children in cases (src/cases/placement_store.h, docs/cases.md#placements):
// a placement added to a case, follow-up visits recorded, a placement ended, and the list of placements
// whose visit is overdue within the caller's cases. Placements are personal data about a child: every
// read is audited before the answer leaves (fail-closed).
#include <nlohmann/json.hpp>

#include "api/case_route_helpers.h"
#include "api/services.h"
#include "cases/placement_schedule.h"
#include "cases/placement_store.h"

namespace sanad::api {
namespace {

using case_routes::AccessOf;
using nlohmann::json;

json PlacementJson(const cases::Placement& p, const std::string& today) {
  json visits = json::array();
  for (const auto& v : p.visits)
    visits.push_back({{"id", v.id},
                      {"visit_date", v.visit_date},
                      {"worker", v.worker},
                      {"note", v.note},
                      {"next_visit", OrNull(v.next_visit)},
                      {"recorded_at", v.recorded_at}});
  const bool overdue = p.status == "active" && p.next_visit_due && *p.next_visit_due < today;
  return {{"id", p.id},
          {"case_id", p.case_id},
          {"person_id", OrNull(p.person_id)},
          {"kind", p.kind},
          {"carer", p.carer},
          {"start_date", p.start_date},
          {"end_date", OrNull(p.end_date)},
          {"status", p.status},
          {"next_visit_due", OrNull(p.next_visit_due)},
          {"overdue", overdue},
          {"commune_code", p.commune_code},
          {"case_owner", p.owner},
          {"created_at", p.created_at},
          {"created_by", p.created_by},
          {"visits", visits}};
}

// A required date field, YYYY-MM-DD, not after today.
Result<std::string> PastDate(http::ObjectReader& r, const char* name, const std::string& today) {
  auto v = r.OptionalString(name, 10);
  if (!v) return std::unexpected(v.error());
  if (!*v) return Failure(Code::kInvalidArgument, "field.required", {{"field", name}}, name);
  auto d = ParseDate(**v, name);
  if (!d) return std::unexpected(d.error());
  if (d->ToString() > today)
    return Failure(Code::kFailedPrecondition, "field.in_future", {{"field", name}, {"value", **v}}, name);
  return **v;
}

http::Response Add(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  const auto actor = ActorOf(s, req);
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(kind, r.RequiredString("kind", 20));
  TRY_OR_RESPOND(carer, r.RequiredString("carer", 200));
  TRY_OR_RESPOND(start, PastDate(r, "start_date", actor.scope.today));
  TRY_OR_RESPOND(person, r.OptionalInt("person_id", 1, std::numeric_limits<std::int64_t>::max()));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!cases::IsPlacementKind(*kind))
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "value.not_allowed",
                {{"field", "kind"}, {"allowed", "foster_family, kafala, institution"}, {"value", *kind}}, "kind")
            .error());
  if (carer->empty())
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "carer"}}, "carer").error());
  cases::NewPlacement p{*person ? std::optional<std::int64_t>(**person) : std::nullopt, *kind, *carer, *start};
  TRY_OR_RESPOND(made, s.placements->Add(*id, AccessOf(actor), p, s.clock.Now()));
  if (auto st = AuditRequest(s, req, "create", "case_placement", std::to_string(*made), json{{"case_id", *id}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(all, s.placements->OfCase(*id, AccessOf(actor)));
  for (const auto& pl : *all)
    if (pl.id == *made) return http::JsonResponse(201, PlacementJson(pl, actor.scope.today).dump());
  return http::ErrorResponse(Failure(Code::kInternal, "placement.not_found", {{"id", std::to_string(*made)}}).error());
}

http::Response OfCase(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(all, s.placements->OfCase(*id, AccessOf(actor)));
  if (auto st = AuditRequest(s, req, "view", "case_placements", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  json items = json::array();
  for (const auto& p : *all) items.push_back(PlacementJson(p, actor.scope.today));
  return http::JsonResponse(200, json{{"items", items}}.dump());
}

http::Response Visit(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  const auto actor = ActorOf(s, req);
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(date, PastDate(r, "visit_date", actor.scope.today));
  TRY_OR_RESPOND(note, r.RequiredString("note", 4000));
  TRY_OR_RESPOND(next, r.OptionalString("next_visit", 10));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (note->empty())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", "note"}}, "note").error());
  TRY_OR_RESPOND(p, s.placements->RecordVisit(*id, AccessOf(actor), *date, *note, *next, s.clock.Now()));
  if (auto st = AuditRequest(s, req, "update", "case_placement", std::to_string(*id), json{{"visit", *date}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, PlacementJson(*p, actor.scope.today).dump());
}

http::Response End(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  const auto actor = ActorOf(s, req);
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(date, PastDate(r, "end_date", actor.scope.today));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(p, s.placements->End(*id, AccessOf(actor), *date, s.clock.Now()));
  if (auto st = AuditRequest(s, req, "update", "case_placement", std::to_string(*id), json{{"ended", *date}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, PlacementJson(*p, actor.scope.today).dump());
}

http::Response Overdue(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(limit, q.Int("limit", 200, 1, 1000));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(all, s.placements->Overdue(AccessOf(actor), actor.scope.today, static_cast<std::size_t>(*limit)));
  json items = json::array(), ids = json::array();
  for (const auto& p : *all) {
    items.push_back(PlacementJson(p, actor.scope.today));
    ids.push_back(p.id);
  }
  if (auto st = AuditRequest(s, req, "search", "case_placement", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"items", items}, {"total", all->size()}}.dump());
}

}  // namespace

void AddPlacementRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back(
      {"GET", "/api/v1/placements/overdue", P::kCasesRead, [&s](http::Request& req) { return Overdue(s, req); }});
  t.push_back(
      {"GET", "/api/v1/cases/:id/placements", P::kCasesRead, [&s](http::Request& req) { return OfCase(s, req); }});
  t.push_back(
      {"POST", "/api/v1/cases/:id/placements", P::kCasesWork, [&s](http::Request& req) { return Add(s, req); }});
  t.push_back(
      {"POST", "/api/v1/placements/:id/visits", P::kCasesWork, [&s](http::Request& req) { return Visit(s, req); }});
  t.push_back({"POST", "/api/v1/placements/:id/end", P::kCasesWork, [&s](http::Request& req) { return End(s, req); }});
}

}  // namespace sanad::api
