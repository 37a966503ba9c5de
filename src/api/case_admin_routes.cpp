// Case administration routes: the protocol checklists per case type, the children the registry suggests
// as school-dropout candidates, and the escalation pass run on demand (docs/cases.md).
#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/case_route_helpers.h"
#include "api/services.h"
#include "cases/case_escalation.h"
#include "cases/case_store.h"

namespace sanad::api {
namespace {

using case_routes::AccessOf;
using case_routes::Bad;
using nlohmann::json;

http::Response DropoutCandidates(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(limit, q.Int("limit", 100, 1, 500));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(found,
                 s.cases->DropoutCandidates(AccessOf(actor), actor.scope.today, static_cast<std::size_t>(*limit)));
  json items = json::array();
  json ids = json::array();
  for (const auto& d : *found) {
    items.push_back({{"person_id", d.person_id},
                     {"household_id", d.household_id},
                     {"given_name_ar", OrNull(d.given_name_ar)},
                     {"family_name_ar", OrNull(d.family_name_ar)},
                     {"given_name_lat", OrNull(d.given_name_lat)},
                     {"family_name_lat", OrNull(d.family_name_lat)},
                     {"birth_date", d.birth_date},
                     {"schooling", d.schooling},
                     {"commune_code", d.commune_code},
                     {"open_case_id", OrNull(d.open_case_id)}});
    ids.push_back(d.person_id);
  }
  if (auto st = AuditRequest(s, req, "search", "dropout_candidates", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, json{{"items", items}}.dump());
}

json ProtocolJson(const cases::Protocol& p) {
  json items = json::array();
  for (const auto& i : p.items) items.push_back({{"code", i.code}, {"required", i.required}});
  return {{"case_type", p.case_type},
          {"items", items},
          {"version", p.version},
          {"updated_at", p.updated_at},
          {"updated_by", p.updated_by}};
}

http::Response SetProtocol(Services& s, http::Request& req) {
  const std::string type = req.Param("type");
  if (!cases::IsCaseType(type)) return http::ErrorResponse(Bad("case.bad_type", type, "type").error());
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(items, r.RequiredArray("items", 50));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  std::vector<cases::ProtocolItem> out;
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const auto& it = (**items)[i];
    const std::string where = fmt::format("items[{}].", i);
    if (!it.is_object())
      return http::ErrorResponse(
          Failure(Code::kInvalidArgument, "field.not_object", {{"field", "items"}}, fmt::format("items[{}]", i))
              .error());
    http::ObjectReader ir(it, where);
    TRY_OR_RESPOND(code, ir.RequiredString("code", 60));
    TRY_OR_RESPOND(required, ir.OptionalBool("required"));
    if (auto st = ir.RejectUnknown(); !st) return http::ErrorResponse(st.error());
    const bool well_formed = !code->empty() && std::all_of(code->begin(), code->end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
    if (!well_formed) return http::ErrorResponse(Bad("case.bad_item", *code, where + "code").error());
    for (const auto& o : out)
      if (o.code == *code) return http::ErrorResponse(Bad("case.duplicate_item", *code, where + "code").error());
    out.push_back({*code, required->value_or(true)});
  }
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(p, s.cases->SetProtocol(type, out, FormatTimestamp(s.clock.Now()), actor.username));
  if (auto st = AuditRequest(s, req, "update", "case_protocol", type, json{{"version", p->version}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, ProtocolJson(*p).dump());
}

json JobJson(const jobs::JobRecord& j) {
  return {{"id", j.id},
          {"kind", j.kind},
          {"status", std::string(jobs::StateName(j.state))},
          {"result", j.result ? *j.result : json()},
          {"created_at", j.created_at}};
}

}  // namespace

void AddCaseAdminRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // Declared before /cases/:id so that "protocols" and "escalation" are never read as case ids.
  t.push_back({"GET", "/api/v1/cases/protocols", P::kCasesRead, [&s](http::Request&) {
                 TRY_OR_RESPOND(all, s.cases->Protocols());
                 json items = json::array();
                 for (const auto& p : *all) items.push_back(ProtocolJson(p));
                 return http::JsonResponse(200, json{{"items", items}}.dump());
               }});
  // Registry persons (names, birth dates): the registry's own permission.
  t.push_back({"GET", "/api/v1/cases/dropout-candidates", P::kRegistryRead,
               [&s](http::Request& req) { return DropoutCandidates(s, req); }});
  t.push_back({"PUT", "/api/v1/cases/protocols/:type", P::kCasesSupervise,
               [&s](http::Request& req) { return SetProtocol(s, req); }});
  if (s.case_escalation) {
    t.push_back({"POST", "/api/v1/cases/escalation", P::kCasesSupervise, [&s](http::Request& req) {
                   const auto actor = ActorOf(s, req);
                   TRY_OR_RESPOND(job, s.case_escalation->Start(actor.user_id, actor.username));
                   return http::JsonResponse(202, JobJson(*job).dump());
                 }});
    t.push_back(
        {"GET", "/api/v1/cases/escalation/:id", P::kCasesSupervise, [&s](http::Request& req) {
           TRY_OR_RESPOND(id, http::PathId(req));
           TRY_OR_RESPOND(job, s.case_escalation->Get(*id));
           if (!*job)
             return http::ErrorResponse(
                 Failure(Code::kNotFound, "case_escalation.not_found", {{"id", std::to_string(*id)}}, "id").error());
           return http::JsonResponse(200, JobJson(**job).dump());
         }});
  }
}

}  // namespace sanad::api
