// Women's economic empowerment (src/empowerment, docs/empowerment.md). Public, no account: a woman (or a
// partner system) registers and gets a tracking code, reads her file's status by that code and
// completes her file; rate limited per address. Staff: registrations and cooperatives in the reader's
// area scope, each read of a woman's file audited, and notes (public ones shown on her status page).
#include <nlohmann/json.hpp>

#include "api/empowerment_route_helpers.h"
#include "api/json_mapping.h"
#include "api/services.h"
#include "empowerment/registration_service.h"

namespace sanad::api {
namespace {

using nlohmann::json;

json NotesJson(const std::vector<empowerment::Note>& notes, bool staff) {
  json out = json::array();
  for (const auto& n : notes) {
    json j{{"body", n.body}, {"written_at", n.written_at}};
    if (staff) {
      j["id"] = n.id;
      j["public"] = n.is_public;
      j["written_by"] = n.written_by;
    }
    out.push_back(std::move(j));
  }
  return out;
}

json StatusJson(const empowerment::StatusView& v) {
  return {{"status", v.status},
          {"kind", v.kind},
          {"missing", v.missing},
          {"public_notes", NotesJson(v.public_notes, false)},
          {"created_at", v.created_at},
          {"updated_at", v.updated_at},
          {"completed_at", OrNull(v.completed_at)}};
}

json RegistrationJson(const empowerment::StoredRegistration& s) {
  const auto& r = s.registration;
  json j{{"id", s.id},
         {"status", s.status},
         {"kind", r.kind},
         {"auto_entrepreneur_number", OrNull(r.ae_number)},
         {"given_name_ar", OrNull(r.given_name_ar)},
         {"family_name_ar", OrNull(r.family_name_ar)},
         {"given_name_lat", OrNull(r.given_name_lat)},
         {"family_name_lat", OrNull(r.family_name_lat)},
         {"birth_date", r.birth_date},
         {"national_id", OrNull(r.national_id)},
         {"phone", r.phone},
         {"commune_code", r.commune_code},
         {"education", OrNull(r.education)},
         {"situations", r.situations},
         {"skills", r.skills},
         {"project_idea", OrNull(r.project_idea)},
         {"missing", empowerment::MissingForCompletion(r)},
         {"person_id", s.person_id ? json(*s.person_id) : json(nullptr)},
         {"person_probability", s.person_probability ? json(*s.person_probability) : json(nullptr)},
         {"created_at", s.created_at},
         {"updated_at", s.updated_at},
         {"completed_at", OrNull(s.completed_at)},
         {"version", s.version}};
  j["cooperative"] = r.cooperative ? json{{"id", s.cooperative_id ? json(*s.cooperative_id) : json(nullptr)},
                                          {"name", r.cooperative->name},
                                          {"registration_number", r.cooperative->registration_number},
                                          {"sector", OrNull(r.cooperative->sector)}}
                                   : json(nullptr);
  return j;
}

std::string Today(const Services& s) { return DateOf(s.clock.Now()).ToString(); }

// Group-committed (registration_service.h): the 201 with her tracking code waits on the request's Deferred
// until the batch holding her registration has committed, while the request thread serves others.
Result<empowerment::Registered> RegisterDurably(Services& s, http::Request& req, const json& body) {
  const std::string now = FormatTimestamp(s.clock.Now()), today = Today(s);
  if (!req.deferred) return s.empowerment->Register(body, now, today);
  auto complete = req.deferred->Add();
  auto done =
      s.empowerment->RegisterAsync(body, now, today, [complete](Result<empowerment::RegistrationService::Stored> r) {
        complete(r ? Ok() : Status(std::unexpected(r.error())));
      });
  if (!done) complete(Ok());  // nothing was queued: the handler answers with the error itself
  return done;
}

http::Response Register(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(done, RegisterDurably(s, req, *body));
  json out = StatusJson(done->status);
  out["tracking_code"] = done->tracking_code;
  return http::JsonResponse(201, out.dump());
}

http::Response Complete(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(view, s.empowerment->Complete(req.Param("code"), *body, FormatTimestamp(s.clock.Now()), Today(s)));
  return http::JsonResponse(200, StatusJson(*view).dump());
}

http::Response List(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(status, q.OneOf("status", {"incomplete", "complete"}));
  TRY_OR_RESPOND(duplicates, q.OneOf("duplicates", {"true", "false"}));
  TRY_OR_RESPOND(paging, http::ReadPaging(q, 500));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  empowerment::ListFilter filter{*status, *duplicates == std::optional<std::string>("true"), paging->limit,
                                 paging->offset};
  TRY_OR_RESPOND(page, s.empowerment_store->List(ScopeOf(ActorOf(s, req)), filter));
  json items = json::array(), ids = json::array();
  for (const auto& r : page->first) {
    items.push_back(RegistrationJson(r));
    ids.push_back(r.id);
  }
  json asked{{"status", OrNull(*status)}, {"duplicates", OrNull(*duplicates)}, {"ids", ids}};
  if (auto st = AuditRequest(s, req, "search", "empowerment_registration", "", asked.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
}

http::Response Read(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto scope = ScopeOf(ActorOf(s, req));
  TRY_OR_RESPOND(found, s.empowerment_store->Get(*id, scope));
  if (!*found) {
    return http::ErrorResponse(
        Failure(Code::kNotFound, "empowerment.registration_not_found", {{"id", std::to_string(*id)}}, "id").error());
  }
  TRY_OR_RESPOND(duplicates, s.empowerment_store->Duplicates(*id, scope));
  TRY_OR_RESPOND(notes, s.empowerment_store->Notes(*id, /*public_only=*/false));
  if (auto st = AuditRequest(s, req, "view", "empowerment_registration", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  json out = RegistrationJson(**found);
  json dups = json::array();
  for (const auto& d : *duplicates)
    dups.push_back({{"id", d.other_id}, {"probability", d.probability}, {"found_at", d.found_at}});
  out["probable_duplicates"] = std::move(dups);
  out["notes"] = NotesJson(*notes, true);
  return http::JsonResponse(200, out.dump());
}

http::Response AddNote(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(text, r.RequiredString("body", 2000));
  TRY_OR_RESPOND(is_public, r.OptionalBool("public"));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  if (text->find_first_not_of(" \t\n") == std::string::npos) {
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", "body"}}, "body").error());
  }
  TRY_OR_RESPOND(note, s.empowerment_store->AddNote(*id, ScopeOf(actor), is_public->value_or(false), *text,
                                                    FormatTimestamp(s.clock.Now()), actor.username));
  if (auto st = AuditRequest(s, req, "note", "empowerment_registration", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, NotesJson({*note}, true)[0].dump());
}

}  // namespace

void AddEmpowermentRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // Registrations: 20 a minute per address on average, 10 at once (a partner system sending many
  // registrations from one address is given a higher limit by configuration, not by this default).
  http::Route reg{"POST", "/api/v1/public/empowerment/registrations", P::kPublic,
                  [&s](http::Request& req) { return Register(s, req); }};
  reg.max_body = 32 * 1024;
  reg.limit = std::make_shared<http::RateLimiter>(20, 10);
  t.push_back(std::move(reg));
  // Reads and completions by code share one limit, so that codes cannot be tried in bulk.
  auto by_code = std::make_shared<http::RateLimiter>(60, 20);
  http::Route status{"GET", "/api/v1/public/empowerment/registrations/:code", P::kPublic, [&s](http::Request& req) {
                       TRY_OR_RESPOND(view, s.empowerment->StatusOf(req.Param("code")));
                       return http::JsonResponse(200, StatusJson(*view).dump());
                     }};
  status.limit = by_code;
  t.push_back(std::move(status));
  http::Route complete{"PATCH", "/api/v1/public/empowerment/registrations/:code", P::kPublic,
                       [&s](http::Request& req) { return Complete(s, req); }};
  complete.max_body = 32 * 1024;
  complete.limit = by_code;
  t.push_back(std::move(complete));

  t.push_back({"GET", "/api/v1/empowerment/registrations", P::kEmpowermentRead,
               [&s](http::Request& req) { return List(s, req); }});
  t.push_back({"GET", "/api/v1/empowerment/registrations/:id", P::kEmpowermentRead,
               [&s](http::Request& req) { return Read(s, req); }});
  t.push_back({"POST", "/api/v1/empowerment/registrations/:id/notes", P::kEmpowermentManage,
               [&s](http::Request& req) { return AddNote(s, req); }});
  t.push_back({"GET", "/api/v1/empowerment/cooperatives", P::kEmpowermentRead, [&s](http::Request& req) {
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(rows, s.empowerment_store->Cooperatives(ScopeOf(ActorOf(s, req))));
                 json items = json::array();
                 for (const auto& c : *rows) {
                   items.push_back({{"id", c.id},
                                    {"registration_number", c.registration_number},
                                    {"name", c.name},
                                    {"sector", OrNull(c.sector)},
                                    {"commune_code", c.commune_code},
                                    {"members", c.members}});
                 }
                 return http::JsonResponse(200, json{{"items", items}}.dump());
               }});
}

}  // namespace sanad::api
