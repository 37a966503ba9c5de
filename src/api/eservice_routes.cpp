// Citizen e-services (src/eservices, docs/eservices.md). Public, no account: submit a report (answers a
// tracking code), read its status by the code (status and public notes only), find a commune. Staff: a
// call-centre agent enters a phoned report through the same form; units' triage queues and counsellor
// pools, acknowledgement, status, notes; the coordinators' overdue board; units, deadlines and
// escalation passes for administrators. Every read of a report by staff is audited.
#include <fmt/format.h>

#include <algorithm>

#include "api/eservice_json.h"
#include "core/tracking_code.h"
#include "eservices/dispatch.h"
#include "http/rate_limiter.h"

namespace sanad::api {
namespace {

using eservices::Report;

std::unexpected<Error> NoReport(std::int64_t id) {
  return Failure(Code::kNotFound, std::string(MsgCode("eservice.report_not_found")), {{"id", std::to_string(id)}},
                 "id");
}

http::Response Created(const eservices::Submitted& sub) {
  return http::JsonResponse(201, nlohmann::json{{"tracking_code", sub.tracking_code},
                                                {"service_request_id", sub.report.public_id},
                                                {"status", sub.report.status}}
                                     .dump());
}

// The public form: a counselling request over the sender's limits is refused (429); a report of a
// person in danger never is: it is stored and flagged for triage.
http::Response PublicSubmit(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(in, ReadReportInput(*body));
  in->channel = "web";
  if (auto st = eservices::ValidateReport(*in); !st) return http::ErrorResponse(st.error());
  const auto wait = TakeIntakeTokens(s, req, *in);
  if (wait && !eservices::IsLifeSafety(in->service)) {
    auto refused = Failure(Code::kResourceExhausted, "eservice.rate_limited", {{"seconds", std::to_string(*wait)}});
    refused.error().retry_after_seconds = *wait;
    return http::ErrorResponse(refused.error());
  }
  TRY_OR_RESPOND(sub, SubmitDurably(s, req, std::move(*in), wait.has_value()));
  return Created(*sub);
}

http::Response PublicStatus(Services& s, http::Request& req) {
  auto code = core::NormaliseCode(req.Param("code"), eservices::kTrackingCodeChars);
  if (!code) {
    return http::ErrorResponse(
        Failure(Code::kNotFound, std::string(MsgCode("eservice.code_not_found")), {}, "code").error());
  }
  TRY_OR_RESPOND(report, s.eservices->store().ByTrackingHash(core::CodeHash(*code)));
  if (!*report)
    return http::ErrorResponse(
        Failure(Code::kNotFound, std::string(MsgCode("eservice.code_not_found")), {}, "code").error());
  TRY_OR_RESPOND(notes, s.eservices->store().Notes((*report)->id, true));
  TRY_OR_RESPOND(view, s.report_cases->Public(std::move(**report)));
  return http::JsonResponse(200, PublicReportJson(*view, *notes).dump());
}

// Communes for the public form's picker: codes, names and centroids (reference data, no personal data).
// The pickers of the public forms search as the citizen types (debounced): 600 a minute on average, 60
// at once, per client address; past that 429 with Retry-After (no account, and each answer is a search).
http::Response PublicCommunes(Services& s, http::RateLimiter& limiter, http::Request& req) {
  if (auto wait = limiter.Take(req.remote_ip)) {
    auto refused = Failure(Code::kResourceExhausted, "request.rate_limited", {{"seconds", std::to_string(*wait)}});
    refused.error().retry_after_seconds = *wait;
    return http::ErrorResponse(refused.error());
  }
  http::QueryReader q(req);
  TRY_OR_RESPOND(text, q.String("q", 100));
  TRY_OR_RESPOND(country, q.OneOf("country", {"MA", "DZ"}));
  TRY_OR_RESPOND(limit, q.Int("limit", 20, 1, 50));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  areas::AreaFilter f;
  f.country = *country;
  f.level = "commune";
  f.q = *text;
  f.as_of = DateOf(s.clock.Now()).ToString();
  f.limit = *limit;
  TRY_OR_RESPOND(page, s.areas.List(f));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : page->items) {
    items.push_back({{"code", a.code},
                     {"name_ar", a.name_ar},
                     {"name_fr", a.name_fr},
                     {"lat", a.lat ? nlohmann::json(*a.lat) : nlohmann::json()},
                     {"lon", a.lon ? nlohmann::json(*a.lon) : nlohmann::json()}});
  }
  return http::JsonResponse(200, nlohmann::json{{"items", items}, {"total", page->total}}.dump());
}

// A phoned-in report typed by a call-centre agent: the same form, channel phone, the agent recorded.
http::Response AgentSubmit(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(in, ReadReportInput(*body));
  in->channel = "phone";
  TRY_OR_RESPOND(sub, s.eservices->Submit(std::move(*in), false, req.principal->user.username));
  if (auto st = AuditRequest(s, req, "create", "eservice_report", std::to_string(sub->report.id)); !st)
    return http::ErrorResponse(st.error());
  return Created(*sub);
}

// Reports listed to staff: personal data, audited with the ids returned.
http::Response ReportList(Services& s, http::Request& req, const std::vector<Report>& reports, const std::string& what,
                          const std::string& which) {
  nlohmann::json items = nlohmann::json::array(), ids = nlohmann::json::array();
  for (const auto& r : reports) {
    items.push_back(StaffReportJson(r));
    ids.push_back(r.id);
  }
  if (!reports.empty()) {
    if (auto st = AuditRequest(s, req, "view", what, which, nlohmann::json{{"ids", ids}}.dump()); !st)
      return http::ErrorResponse(st.error());
  }
  return http::JsonResponse(200, nlohmann::json{{"items", items}, {"total", reports.size()}}.dump());
}

http::Response UnitQueue(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  http::QueryReader q(req);
  TRY_OR_RESPOND(limit, q.Int("limit", 200, 1, 1000));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(unit, s.eservices->store().GetUnit(*id));
  if (!*unit)
    return http::ErrorResponse(
        Failure(Code::kNotFound, std::string(MsgCode("eservice.unit_not_found")), {{"id", std::to_string(*id)}}, "id")
            .error());
  const auto access = AccessOf(s, req);
  if (!access.area_wide) {
    TRY_OR_RESPOND(mine, s.eservices->store().UnitsOf(access.user_id));
    if (std::find(mine->begin(), mine->end(), *id) == mine->end())
      return http::ErrorResponse(
          Failure(Code::kPermissionDenied, std::string(MsgCode("eservice.not_your_unit")), {}, "id").error());
  }
  TRY_OR_RESPOND(reports, s.eservices->store().UnitQueue(*id, access, *limit));
  return ReportList(s, req, *reports, "eservice_unit_queue", std::to_string(*id));
}

nlohmann::json UnitJson(const eservices::Unit& u, bool mine) {
  nlohmann::json shifts = nlohmann::json::array();
  for (const auto& sh : u.shifts) shifts.push_back({{"weekday", sh.weekday}, {"starts", sh.starts}, {"ends", sh.ends}});
  return {{"id", u.id},
          {"code", u.code},
          {"name", u.name},
          {"base_commune", u.base_commune},
          {"base_lat", u.base_lat},
          {"base_lon", u.base_lon},
          {"communes", u.communes},
          {"shifts", shifts},
          {"active", u.active},
          {"mine", mine}};
}

http::Response CreateUnit(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  eservices::Unit u;
  TRY_OR_RESPOND(code, r.RequiredString("code", 40));
  TRY_OR_RESPOND(name, r.RequiredString("name", 200));
  TRY_OR_RESPOND(base, r.RequiredString("base_commune", 40));
  TRY_OR_RESPOND(communes, r.StringArray("communes", false, 500));
  TRY_OR_RESPOND(members, r.StringArray("members", false, 100));
  const nlohmann::json* shift_items = nullptr;
  if (body->contains("shifts")) {
    TRY_OR_RESPOND(arr, r.RequiredArray("shifts", 100));
    shift_items = *arr;
  }
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  u.code = *code;
  u.name = *name;
  u.base_commune = *base;
  const std::string today = DateOf(s.clock.Now()).ToString();
  auto commune_problem = [&](const std::string& c, const std::string& field) -> std::optional<Error> {
    auto a = s.areas.Get(c, today);
    if (a && a->area.level == "commune") return std::nullopt;
    if (!a && a.error().code != Code::kNotFound) return a.error();
    return Failure(Code::kInvalidArgument, "field.not_a_commune", {{"field", "commune_code"}, {"value", c}}, field)
        .error();
  };
  if (auto e = commune_problem(u.base_commune, "base_commune")) return http::ErrorResponse(*e);
  auto base_area = s.areas.Get(u.base_commune, today);
  if (!base_area->area.lat || !base_area->area.lon)
    return http::ErrorResponse(Failure(Code::kFailedPrecondition, "eservice.commune_without_coordinates",
                                       {{"value", u.base_commune}}, "base_commune")
                                   .error());
  u.base_lat = *base_area->area.lat;
  u.base_lon = *base_area->area.lon;
  for (std::size_t i = 0; i < communes->size(); ++i) {
    if (auto e = commune_problem((*communes)[i], fmt::format("communes/{}", i))) return http::ErrorResponse(*e);
  }
  u.communes = *communes;
  if (shift_items) {
    for (std::size_t i = 0; i < shift_items->size(); ++i) {
      const auto& item = (*shift_items)[i];
      const std::string where = fmt::format("shifts/{}", i);
      if (!item.is_object())
        return http::ErrorResponse(
            Failure(Code::kInvalidArgument, "field.not_object", {{"field", where}}, where).error());
      http::ObjectReader sr(item, where + "/");
      TRY_OR_RESPOND(weekday, sr.OptionalInt("weekday", 0, 6));
      TRY_OR_RESPOND(starts, sr.RequiredString("starts", 5));
      TRY_OR_RESPOND(ends, sr.RequiredString("ends", 5));
      if (auto st = sr.RejectUnknown(); !st) return http::ErrorResponse(st.error());
      if (!*weekday)
        return http::ErrorResponse(
            Failure(Code::kInvalidArgument, "field.required", {{"field", "weekday"}}, where + "/weekday").error());
      for (const auto& [t, f] : {std::pair{*starts, "starts"}, std::pair{*ends, "ends"}}) {
        if (!eservices::ValidTime(t))
          return http::ErrorResponse(
              Failure(Code::kInvalidArgument, "eservice.bad_time", {{"value", t}}, where + "/" + f).error());
      }
      u.shifts.push_back({static_cast<int>(**weekday), *starts, *ends});
    }
  }
  const auto& by = req.principal->user.username;
  TRY_OR_RESPOND(made, s.eservices->store().CreateUnit(u, *members, FormatTimestamp(s.clock.Now()), by));
  if (auto st = AuditRequest(s, req, "create", "mobile_unit", std::to_string(made->id)); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, UnitJson(*made, false).dump());
}

http::Response SetStatus(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(status, r.RequiredString("status", 40));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  // case_opened is set by opening a case from the report (POST /api/v1/cases), never by hand: the report
  // then names a case that exists.
  if (*status != "acknowledged" && *status != "in_progress" && *status != "closed")
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "value.not_allowed",
                {{"field", "status"}, {"allowed", "acknowledged, in_progress, closed"}, {"value", *status}}, "status")
            .error());
  const auto access = AccessOf(s, req);
  TRY_OR_RESPOND(report, s.eservices->store().SetStatus(*id, access, *status, std::nullopt,
                                                        FormatTimestamp(s.clock.Now()), req.principal->user.username));
  if (auto st = AuditRequest(s, req, "update", "eservice_report", std::to_string(*id),
                             nlohmann::json{{"status", *status}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, StaffReportJson(*report).dump());
}

http::Response AddNote(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(text, r.RequiredString("body", 4000));
  TRY_OR_RESPOND(is_public, r.OptionalBool("public"));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (text->empty())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", "body"}}, "body").error());
  TRY_OR_RESPOND(note, s.eservices->store().AddNote(*id, AccessOf(s, req), is_public->value_or(false), *text,
                                                    FormatTimestamp(s.clock.Now()), req.principal->user.username));
  if (auto st = AuditRequest(s, req, "update", "eservice_report", std::to_string(*id),
                             nlohmann::json{{"note", note->id}, {"public", note->is_public}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, nlohmann::json{{"id", note->id},
                                                {"public", note->is_public},
                                                {"body", note->body},
                                                {"author", note->author},
                                                {"created_at", note->created_at}}
                                     .dump());
}

nlohmann::json JobJson(const jobs::JobRecord& j) {
  return {{"id", j.id},
          {"state", jobs::StateName(j.state)},
          {"result", j.result ? *j.result : nlohmann::json()},
          {"created_at", j.created_at},
          {"finished_at", j.finished_at ? nlohmann::json(*j.finished_at) : nlohmann::json()}};
}

}  // namespace

void AddEServiceRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  http::Route submit{"POST", "/api/v1/public/reports", P::kPublic,
                     [&s](http::Request& req) { return PublicSubmit(s, req); }};
  submit.max_body = 16 * 1024;
  t.push_back(std::move(submit));
  t.push_back(
      {"GET", "/api/v1/public/reports/:code", P::kPublic, [&s](http::Request& req) { return PublicStatus(s, req); }});
  t.push_back({"GET", "/api/v1/public/communes", P::kPublic,
               [&s, limit = std::make_shared<http::RateLimiter>(600, 60)](http::Request& req) {
                 return PublicCommunes(s, *limit, req);
               }});

  http::Route agent{"POST", "/api/v1/eservices/reports", P::kReportsIntake,
                    [&s](http::Request& req) { return AgentSubmit(s, req); }};
  agent.max_body = 16 * 1024;
  t.push_back(std::move(agent));
  t.push_back({"GET", "/api/v1/eservices/reports/:id", P::kReportsTriage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(report, s.eservices->store().Get(*id, AccessOf(s, req)));
                 if (!*report) return http::ErrorResponse(NoReport(*id).error());
                 TRY_OR_RESPOND(notes, s.eservices->store().Notes(*id, false));
                 if (auto st = AuditRequest(s, req, "view", "eservice_report", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 auto out = StaffReportJson(**report);
                 out["notes"] = nlohmann::json::array();
                 for (const auto& n : *notes)
                   out["notes"].push_back({{"id", n.id},
                                           {"public", n.is_public},
                                           {"body", n.body},
                                           {"author", n.author},
                                           {"created_at", n.created_at}});
                 return http::JsonResponse(200, out.dump());
               }});
  t.push_back({"POST", "/api/v1/eservices/reports/:id/acknowledge", P::kReportsTriage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 const auto access = AccessOf(s, req);
                 TRY_OR_RESPOND(changed, s.eservices->store().Acknowledge(*id, access, FormatTimestamp(s.clock.Now()),
                                                                          req.principal->user.username));
                 TRY_OR_RESPOND(report, s.eservices->store().Get(*id, access));
                 if (!*report) return http::ErrorResponse(NoReport(*id).error());
                 if (*changed) {
                   if (auto st = AuditRequest(s, req, "acknowledge", "eservice_report", std::to_string(*id)); !st)
                     return http::ErrorResponse(st.error());
                 }
                 return http::JsonResponse(200, StaffReportJson(**report).dump());
               }});
  t.push_back({"POST", "/api/v1/eservices/reports/:id/status", P::kReportsTriage,
               [&s](http::Request& req) { return SetStatus(s, req); }});
  t.push_back({"POST", "/api/v1/eservices/reports/:id/notes", P::kReportsTriage,
               [&s](http::Request& req) { return AddNote(s, req); }});
  t.push_back({"GET", "/api/v1/eservices/units", P::kReportsTriage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(units, s.eservices->store().Units());
                 TRY_OR_RESPOND(mine, s.eservices->store().UnitsOf(req.principal->user.id.value));
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& u : *units)
                   items.push_back(UnitJson(u, std::find(mine->begin(), mine->end(), u.id) != mine->end()));
                 return http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
               }});
  t.push_back({"POST", "/api/v1/eservices/units", P::kEServicesManage,
               [&s](http::Request& req) { return CreateUnit(s, req); }});
  t.push_back({"GET", "/api/v1/eservices/units/:id/queue", P::kReportsTriage,
               [&s](http::Request& req) { return UnitQueue(s, req); }});
  t.push_back({"GET", "/api/v1/eservices/pools/:pool/queue", P::kReportsTriage, [&s](http::Request& req) {
                 const std::string pool = req.Param("pool");
                 if (pool != eservices::kFamilyPool && pool != eservices::kWhiteArmyPool)
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "eservice.pool_not_found", {{"value", pool}}, "pool").error());
                 TRY_OR_RESPOND(reports, s.eservices->store().PoolQueue(pool, AccessOf(s, req), 500));
                 return ReportList(s, req, *reports, "eservice_pool_queue", pool);
               }});
  t.push_back({"GET", "/api/v1/eservices/overdue", P::kReportsOverdue, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(limit, q.Int("limit", 200, 1, 1000));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(reports,
                                s.eservices->store().Overdue(AccessOf(s, req), FormatTimestamp(s.clock.Now()), *limit));
                 return ReportList(s, req, *reports, "eservice_overdue", "");
               }});
  t.push_back({"PUT", "/api/v1/eservices/services/:code/deadlines", P::kEServicesManage, [&s](http::Request& req) {
                 const std::string code = req.Param("code");
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(danger, r.OptionalInt("danger_ack_minutes", 5, 7 * 24 * 60));
                 TRY_OR_RESPOND(normal, r.OptionalInt("ack_minutes", 5, 30 * 24 * 60));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(current, s.eservices->store().Policy(code));
                 eservices::AckPolicy p{static_cast<int>(danger->value_or(current->danger_minutes)),
                                        static_cast<int>(normal->value_or(current->normal_minutes))};
                 TRY_OR_RESPOND(done, s.eservices->store().SetPolicy(code, p, FormatTimestamp(s.clock.Now()),
                                                                     req.principal->user.username));
                 if (auto st = AuditRequest(s, req, "update", "eservice_service", code); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, nlohmann::json{{"service_code", code},
                                                               {"danger_ack_minutes", p.danger_minutes},
                                                               {"ack_minutes", p.normal_minutes}}
                                                    .dump());
               }});
  t.push_back({"POST", "/api/v1/eservices/escalations", P::kEServicesManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(job, s.eservices->Start(req.principal->user.id.value, req.principal->user.username));
                 return http::JsonResponse(202, JobJson(*job).dump());
               }});
  t.push_back(
      {"GET", "/api/v1/eservices/escalations/:id", P::kEServicesManage, [&s](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(job, s.eservices->Get(*id));
         if (!*job)
           return http::ErrorResponse(
               Failure(Code::kNotFound, "eservice.escalation_not_found", {{"id", std::to_string(*id)}}, "id").error());
         return http::JsonResponse(200, JobJson(**job).dump());
       }});
}

}  // namespace sanad::api
