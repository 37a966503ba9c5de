// A citizen's public pre-registration for a micro-credit (docs/microcredit.md "Pre-registration"): the
// public form and status page by tracking code, rate limited per address like the other public forms;
// the officers' list in their area scope (audited: the forms hold names and national ids), the
// conversion into an application (the existing application path) and the rejection with a reason.
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/json_mapping.h"
#include "api/microcredit_json.h"
#include "api/services.h"
#include "http/rate_limiter.h"
#include "microcredit/preregistration.h"
#include "microcredit/product.h"

namespace sanad::api {
namespace {

using nlohmann::json;

// What the citizen sees by code: no name, no national id, no officer.
json PublicJson(const microcredit::PreRegistration& p, const std::vector<microcredit::MicrocreditStore::PreNote>& shown,
                i18n::Lang lang) {
  json notes = json::array();
  for (const auto& n : shown) notes.push_back({{"body", n.body}, {"written_at", n.written_at}});
  if (p.reject_reason) notes.push_back({{"body", *p.reject_reason}, {"written_at", p.updated_at}});
  return {{"status", microcredit::PublicStatus(p)},
          {"product", p.product},
          {"estimated_cost", p.estimated_cost_minor / microcredit::kMinorPerDinar},
          {"preview", MicrocreditReasonsJson(p.preview, lang)},
          {"eligible_on_preview", p.preview.empty()},
          {"public_notes", notes},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

json StaffJson(const microcredit::PreRegistration& p, i18n::Lang lang) {
  return {{"id", p.id},
          {"status", p.status},
          {"public_status", microcredit::PublicStatus(p)},
          {"given_name_ar", OrNull(p.given_name_ar)},
          {"family_name_ar", OrNull(p.family_name_ar)},
          {"given_name_lat", OrNull(p.given_name_lat)},
          {"family_name_lat", OrNull(p.family_name_lat)},
          {"birth_date", p.birth_date},
          {"national_id", p.national_id},
          {"sex", p.sex},
          {"wilaya_code", p.wilaya_code},
          {"commune_code", p.commune_code},
          {"phone", p.phone},
          {"education", OrNull(p.education)},
          {"product", p.product},
          {"project_idea", p.project_idea},
          {"estimated_cost", p.estimated_cost_minor / microcredit::kMinorPerDinar},
          {"estimated_cost_minor", p.estimated_cost_minor},
          {"preview", MicrocreditReasonsJson(p.preview, lang)},
          {"application_id", p.application_id ? json(*p.application_id) : json(nullptr)},
          {"application_state", OrNull(p.application_state)},
          {"reject_reason", OrNull(p.reject_reason)},
          {"decided_by", OrNull(p.decided_by)},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

using Pre = std::shared_ptr<microcredit::PreRegistrations>;

}  // namespace

void AddMicrocreditPreRegistrationRoutes(http::RouteTable& t, Services& s,
                                         std::shared_ptr<microcredit::MicrocreditStore> store,
                                         std::shared_ptr<microcredit::Lifecycle> life) {
  using P = auth::Permission;
  Pre pre(new microcredit::PreRegistrations(*store, *life),
          [store, life](microcredit::PreRegistrations* p) { delete p; });

  // Pre-registrations: 20 a minute per address on average, 10 at once (the women's registrations' limit).
  http::Route reg{"POST", "/api/v1/public/microcredit/pre-registrations", P::kPublic, [&s, pre](http::Request& req) {
                    TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                    TRY_OR_RESPOND(
                        done, pre->Register(*body, FormatTimestamp(s.clock.Now()), DateOf(s.clock.Now()).ToString()));
                    json out = PublicJson(done->pre, {}, http::RequestLang(req));
                    out["tracking_code"] = done->tracking_code;
                    return http::JsonResponse(201, out.dump());
                  }};
  reg.max_body = 16 * 1024;
  reg.limit = std::make_shared<http::RateLimiter>(20, 10);
  t.push_back(std::move(reg));
  // Reads by code have their own limit, so that codes cannot be tried in bulk.
  http::Route status{"GET", "/api/v1/public/microcredit/pre-registrations/:code", P::kPublic,
                     [pre, store](http::Request& req) {
                       TRY_OR_RESPOND(found, pre->ByCode(req.Param("code")));
                       TRY_OR_RESPOND(notes, store->PreRegistrationNotes(found->id, /*public_only=*/true));
                       return http::JsonResponse(200, PublicJson(*found, *notes, http::RequestLang(req)).dump());
                     }};
  status.limit = std::make_shared<http::RateLimiter>(60, 20);
  t.push_back(std::move(status));

  t.push_back({"GET", "/api/v1/microcredit/pre-registrations", P::kMicrocreditRead, [&s, store](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(state, q.OneOf("status", {"received", "converted", "rejected"}));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q, 200));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const auto actor = MicrocreditActorOf(s, req);
                 TRY_OR_RESPOND(page, store->ListPreRegistrations(actor.scope, *state, paging->limit, paging->offset));
                 json items = json::array(), ids = json::array();
                 for (const auto& p : page->first) {
                   items.push_back(StaffJson(p, http::RequestLang(req)));
                   ids.push_back(p.id);
                 }
                 json asked{{"status", OrNull(*state)}, {"ids", ids}};
                 if (auto st = AuditRequest(s, req, "search", "microcredit_preregistration", "", asked.dump()); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
               }});

  t.push_back(
      {"GET", "/api/v1/microcredit/pre-registrations/:id", P::kMicrocreditRead, [&s, store](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
         TRY_OR_RESPOND(found, store->GetPreRegistration(*id, MicrocreditActorOf(s, req).scope));
         if (!*found) {
           return http::ErrorResponse(
               Failure(Code::kNotFound, "microcredit.preregistration_not_found", {{"id", std::to_string(*id)}}, "id")
                   .error());
         }
         TRY_OR_RESPOND(notes, store->PreRegistrationNotes(*id, /*public_only=*/false));
         if (auto st = AuditRequest(s, req, "view", "microcredit_preregistration", std::to_string(*id)); !st)
           return http::ErrorResponse(st.error());
         json out = StaffJson(**found, http::RequestLang(req));
         json all = json::array();
         for (const auto& n : *notes) {
           all.push_back({{"id", n.id},
                          {"public", n.is_public},
                          {"body", n.body},
                          {"written_by", n.written_by},
                          {"written_at", n.written_at}});
         }
         out["notes"] = std::move(all);
         return http::JsonResponse(200, out.dump());
       }});

  t.push_back({"POST", "/api/v1/microcredit/pre-registrations/:id/notes", P::kMicrocreditManage,
               [&s, store](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(text, r.RequiredString("body", 2000));
                 TRY_OR_RESPOND(is_public, r.OptionalBool("public"));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (text->find_first_not_of(" \t\n") == std::string::npos) {
                   return http::ErrorResponse(
                       Failure(Code::kInvalidArgument, "field.required", {{"field", "body"}}, "body").error());
                 }
                 const auto actor = MicrocreditActorOf(s, req);
                 TRY_OR_RESPOND(added, store->AddPreRegistrationNote(*id, actor.scope, is_public->value_or(false),
                                                                     *text, actor.username, actor.now));
                 if (!*added) {
                   return http::ErrorResponse(Failure(Code::kNotFound, "microcredit.preregistration_not_found",
                                                      {{"id", std::to_string(*id)}}, "id")
                                                  .error());
                 }
                 if (auto st = AuditRequest(s, req, "note", "microcredit_preregistration", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(201, json{{"public", is_public->value_or(false)},
                                                     {"body", *text},
                                                     {"written_by", actor.username},
                                                     {"written_at", actor.now}}
                                                    .dump());
               }});

  t.push_back(
      {"POST", "/api/v1/microcredit/pre-registrations/:id/convert", P::kMicrocreditManage,
       [&s, pre](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(person, r.OptionalInt("person_id", 1, std::numeric_limits<long long>::max()));
         TRY_OR_RESPOND(training, r.OptionalBool("training_required"));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*person) {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "field.required", {{"field", "person_id"}}, "person_id").error());
         }
         TRY_OR_RESPOND(done, pre->Convert(*id, **person, training->value_or(false), MicrocreditActorOf(s, req)));
         if (auto st = AuditRequest(s, req, "convert", "microcredit_preregistration", std::to_string(*id),
                                    json{{"application_id", *done->application_id}}.dump());
             !st)
           return http::ErrorResponse(st.error());
         return http::JsonResponse(200, StaffJson(*done, http::RequestLang(req)).dump());
       }});

  t.push_back({"POST", "/api/v1/microcredit/pre-registrations/:id/reject", P::kMicrocreditManage,
               [&s, pre](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(reason, r.RequiredString("reason", 2000));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (reason->find_first_not_of(" \t\n") == std::string::npos) {
                   return http::ErrorResponse(
                       Failure(Code::kInvalidArgument, "field.required", {{"field", "reason"}}, "reason").error());
                 }
                 TRY_OR_RESPOND(done, pre->Reject(*id, *reason, MicrocreditActorOf(s, req)));
                 if (auto st = AuditRequest(s, req, "reject", "microcredit_preregistration", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, StaffJson(*done, http::RequestLang(req)).dump());
               }});
}

}  // namespace sanad::api
