// Grievances and appeals (src/grievances, docs/grievances.md). Public, no account: file a grievance
// (answers a tracking code; rate limited per address), read its status by the code (status and the
// public resolution only), appeal by the code within 30 days of the resolution. Staff: file for a
// citizen with the channel and a validated link, the list within the caller's area (filters, overdue),
// the grievance with its timeline, and one POST per act; the SLA per category; the escalation pass.
// Every read of a grievance by staff is audited before the answer leaves (fail-closed).
#include <nlohmann/json.hpp>

#include "api/json_mapping.h"
#include "api/services.h"
#include "core/tracking_code.h"
#include "grievances/grievance.h"
#include "grievances/grievance_escalation.h"
#include "grievances/grievance_store.h"

namespace sanad::api {
namespace {

using grievances::Grievance;
using nlohmann::json;

grievances::Access AccessOf(const Services& s, const http::Request& req) {
  const auto actor = ActorOf(s, req);
  return {actor.scope.area, actor.scope.today, actor.username};
}

bool Overdue(const Grievance& g, const std::string& now) {
  return grievances::SlaRuns(g.status) && g.due_at && *g.due_at < now;
}

json StaffJson(const Grievance& g, const std::string& now) {
  return {{"id", g.id},
          {"channel", g.channel},
          {"category", g.category},
          {"description", g.description},
          {"complainant_name", OrNull(g.complainant_name)},
          {"complainant_phone", OrNull(g.complainant_phone)},
          {"national_id", OrNull(g.national_id)},
          {"household_ref", OrNull(g.household_ref)},
          {"payment_reference", OrNull(g.payment_reference)},
          {"link_kind", g.link_kind},
          {"programme", OrNull(g.programme)},
          {"cycle_id", OrNull(g.cycle_id)},
          {"household_id", OrNull(g.household_id)},
          {"payment_id", OrNull(g.payment_id)},
          {"case_id", OrNull(g.case_id)},
          {"commune_code", g.commune_code},
          {"status", g.status},
          {"sla_days", g.sla_days},
          {"due_at", OrNull(g.due_at)},
          {"overdue", Overdue(g, now)},
          {"escalated_at", OrNull(g.escalated_at)},
          {"filed_at", g.filed_at},
          {"filed_by", OrNull(g.filed_by)},
          {"reviewer", OrNull(g.reviewer)},
          {"resolved_at", OrNull(g.resolved_at)},
          {"resolved_by", OrNull(g.resolved_by)},
          {"outcome", OrNull(g.outcome)},
          {"resolution", OrNull(g.resolution)},
          {"internal_note", OrNull(g.internal_note)},
          {"appealed_at", OrNull(g.appealed_at)},
          {"appealed_by", OrNull(g.appealed_by)},
          {"appeal_reason", OrNull(g.appeal_reason)},
          {"appeal_decided_at", OrNull(g.appeal_decided_at)},
          {"appeal_decided_by", OrNull(g.appeal_decided_by)},
          {"appeal_outcome", OrNull(g.appeal_outcome)},
          {"appeal_decision", OrNull(g.appeal_decision)},
          {"closed_at", OrNull(g.closed_at)},
          {"closed_by", OrNull(g.closed_by)},
          {"version", g.version}};
}

// What the citizen's status page shows: the status, the deadline, the public resolution and appeal
// decision. Never a staff member's name, a staff note, nor the complainant's own data.
json PublicJson(const Grievance& g, TimePoint now) {
  json out{{"category", g.category},
           {"status", g.status},
           {"received_at", g.filed_at},
           {"due_at", OrNull(g.due_at)},
           {"outcome", OrNull(g.outcome)},
           {"resolution", OrNull(g.resolution)},
           {"resolved_at", OrNull(g.resolved_at)},
           {"appealed_at", OrNull(g.appealed_at)},
           {"appeal_outcome", OrNull(g.appeal_outcome)},
           {"appeal_decision", OrNull(g.appeal_decision)},
           {"can_appeal", false},
           {"appeal_deadline", json()}};
  if (g.status == "resolved" && g.resolved_at) {
    if (auto at = ParseTimestamp(*g.resolved_at)) {
      const auto deadline = grievances::AppealDeadline(*at);
      out["appeal_deadline"] = FormatTimestamp(deadline);
      out["can_appeal"] = now <= deadline;
    }
  }
  return out;
}

std::unexpected<Error> NoCode() {
  return Failure(Code::kNotFound, std::string(MsgCode("grievance.code_not_found")), {}, "code");
}

// The grievance a typed code names, or 404 (a malformed code is the same 404: nothing to probe).
Result<Grievance> ByCode(Services& s, const std::string& typed) {
  auto code = core::NormaliseCode(typed, grievances::kTrackingCodeChars);
  if (!code) return NoCode();
  auto g = s.grievances->ByCodeHash(core::CodeHash(*code));
  if (!g) return std::unexpected(g.error());
  if (!*g) return NoCode();
  return **g;
}

// A token of the sender's address bucket, or the 429 to answer.
std::optional<Error> OverLimit(Services& s, const http::Request& req) {
  if (!s.grievance_address_limit) return std::nullopt;
  auto wait = s.grievance_address_limit->Take(req.remote_ip);
  if (!wait) return std::nullopt;
  auto refused = Failure(Code::kResourceExhausted, "grievance.rate_limited", {{"seconds", std::to_string(*wait)}});
  refused.error().retry_after_seconds = *wait;
  return refused.error();
}

// The fields of a filing; `citizen`: the public form (no record ids, no channel).
Result<grievances::Filing> ReadFiling(const json& body, bool citizen) {
  http::ObjectReader r(body);
  grievances::Filing f;
  auto text = [&](const char* name, std::size_t max, std::optional<std::string>& out) -> Status {
    auto v = r.OptionalString(name, max);
    if (!v) return std::unexpected(v.error());
    out = *v;
    if (out && out->empty()) out.reset();
    return Ok();
  };
  std::optional<std::string> category, description, channel;
  for (auto [name, max, out] :
       {std::tuple{"category", std::size_t{40}, &category}, std::tuple{"description", std::size_t{4000}, &description},
        std::tuple{"commune_code", std::size_t{40}, &f.commune_code},
        std::tuple{"complainant_name", std::size_t{200}, &f.complainant_name},
        std::tuple{"complainant_phone", std::size_t{40}, &f.complainant_phone},
        std::tuple{"national_id", std::size_t{40}, &f.national_id},
        std::tuple{"household_ref", std::size_t{60}, &f.household_ref},
        std::tuple{"payment_reference", std::size_t{60}, &f.payment_reference}}) {
    if (auto st = text(name, max, *out); !st) return std::unexpected(st.error());
  }
  if (!citizen) {
    for (auto [name, max, out] :
         {std::tuple{"channel", std::size_t{20}, &channel}, std::tuple{"programme", std::size_t{40}, &f.programme},
          std::tuple{"end_to_end_id", std::size_t{35}, &f.end_to_end_id}}) {
      if (auto st = text(name, max, *out); !st) return std::unexpected(st.error());
    }
    for (auto [name, out] : {std::pair{"cycle_id", &f.cycle_id}, std::pair{"household_id", &f.household_id},
                             std::pair{"payment_id", &f.payment_id}, std::pair{"case_id", &f.case_id}}) {
      auto v = r.OptionalInt(name, 1, std::numeric_limits<std::int64_t>::max());
      if (!v) return std::unexpected(v.error());
      if (*v) *out = **v;
    }
  }
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  f.category = category.value_or("");
  f.description = description.value_or("");
  f.channel = citizen ? "web" : channel.value_or("");
  return f;
}

// Every problem of a filing at once: the form's (grievances::Validate) and a commune that is not one of
// the reference data's communes (the store checks it again in its transaction).
Status ValidateFiling(Services& s, const grievances::Filing& f, bool citizen) {
  std::vector<Problem> problems;
  if (auto st = grievances::Validate(f, citizen); !st) {
    if (st.error().problems.empty()) return st;
    problems = st.error().problems;
  }
  if (f.commune_code && !f.commune_code->empty()) {
    auto area = s.areas.Get(*f.commune_code, DateOf(s.clock.Now()).ToString());
    if (!area && area.error().code != Code::kNotFound) return std::unexpected(area.error());
    if (!area || area->area.level != "commune")
      problems.push_back(
          {"field.not_a_commune", "commune_code", {{"field", "commune_code"}, {"value", *f.commune_code}}, {}});
  }
  if (problems.empty()) return Ok();
  return Failures(Code::kFailedPrecondition, "form.invalid", std::move(problems));
}

http::Response Created(const Grievance& g, const std::string& code) {
  return http::JsonResponse(201, json{{"tracking_code", core::GroupCode(code)},
                                      {"status", g.status},
                                      {"category", g.category},
                                      {"due_at", OrNull(g.due_at)}}
                                     .dump());
}

http::Response PublicFile(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(filing, ReadFiling(*body, true));
  if (auto st = ValidateFiling(s, *filing, true); !st) return http::ErrorResponse(st.error());
  if (auto refused = OverLimit(s, req)) return http::ErrorResponse(*refused);
  const std::string code = core::RandomCode(grievances::kTrackingCodeChars);
  TRY_OR_RESPOND(g, s.grievances->File(*filing, std::nullopt, core::CodeHash(code), s.clock.Now()));
  return Created(*g, code);
}

http::Response PublicStatus(Services& s, http::Request& req) {
  TRY_OR_RESPOND(g, ByCode(s, req.Param("code")));
  return http::JsonResponse(200, PublicJson(*g, s.clock.Now()).dump());
}

Result<std::optional<std::string>> ReadReason(const json& body, const char* name, bool required) {
  http::ObjectReader r(body);
  auto v = r.OptionalString(name, 4000);
  if (!v) return std::unexpected(v.error());
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  if (required && (!*v || (*v)->empty()))
    return Failure(Code::kFailedPrecondition, "field.required", {{"field", name}}, name);
  return *v;
}

http::Response PublicAppeal(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(reason, ReadReason(*body, "reason", true));
  if (auto refused = OverLimit(s, req)) return http::ErrorResponse(*refused);
  TRY_OR_RESPOND(g, ByCode(s, req.Param("code")));
  const auto now = s.clock.Now();
  TRY_OR_RESPOND(after, s.grievances->Act(g->id, std::nullopt, grievances::Act::kAppeal, {.text = *reason}, now));
  return http::JsonResponse(200, PublicJson(*after, now).dump());
}

http::Response WorkerFile(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(filing, ReadFiling(*body, false));
  if (auto st = ValidateFiling(s, *filing, false); !st) return http::ErrorResponse(st.error());
  const std::string code = core::RandomCode(grievances::kTrackingCodeChars);
  TRY_OR_RESPOND(g, s.grievances->File(*filing, AccessOf(s, req), core::CodeHash(code), s.clock.Now()));
  if (auto st = AuditRequest(s, req, "create", "grievance", std::to_string(g->id)); !st)
    return http::ErrorResponse(st.error());
  auto out = StaffJson(*g, FormatTimestamp(s.clock.Now()));
  out["tracking_code"] = core::GroupCode(code);
  return http::JsonResponse(201, out.dump());
}

http::Response List(Services& s, http::Request& req) {
  http::QueryReader q(req);
  std::vector<std::string> statuses(std::begin(grievances::kStatuses), std::end(grievances::kStatuses));
  std::vector<std::string> categories;
  for (const auto& c : grievances::kDefaultSla) categories.emplace_back(c.category);
  std::vector<std::string> channels(std::begin(grievances::kChannels), std::end(grievances::kChannels));
  TRY_OR_RESPOND(status, q.OneOf("status", statuses));
  TRY_OR_RESPOND(category, q.OneOf("category", categories));
  TRY_OR_RESPOND(channel, q.OneOf("channel", channels));
  TRY_OR_RESPOND(area, q.String("area", 40));
  TRY_OR_RESPOND(overdue, q.OneOf("overdue", {"true", "false"}));
  TRY_OR_RESPOND(paging, http::ReadPaging(q, 500));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  grievances::GrievanceFilter f;
  f.status = *status;
  f.category = *category;
  f.channel = *channel;
  f.area = *area;
  f.overdue = *overdue && **overdue == "true";
  f.limit = static_cast<std::size_t>(paging->limit);
  f.offset = static_cast<std::size_t>(paging->offset);
  const auto now = s.clock.Now();
  TRY_OR_RESPOND(page, s.grievances->List(f, AccessOf(s, req), now));
  const std::string now_text = FormatTimestamp(now);
  json items = json::array(), ids = json::array();
  for (const auto& g : page->first) {
    items.push_back(StaffJson(g, now_text));
    ids.push_back(g.id);
  }
  if (auto st = AuditRequest(s, req, "search", "grievance", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
}

std::unexpected<Error> NotFound(std::int64_t id) {
  return Failure(Code::kNotFound, "grievance.not_found", {{"id", std::to_string(id)}}, "id");
}

http::Response GetOne(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(g, s.grievances->Get(*id, AccessOf(s, req)));
  if (!*g) return http::ErrorResponse(NotFound(*id).error());
  TRY_OR_RESPOND(events, s.grievances->Events(*id));
  if (auto st = AuditRequest(s, req, "view", "grievance", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  auto out = StaffJson(**g, FormatTimestamp(s.clock.Now()));
  out["timeline"] = json::array();
  for (const auto& e : *events) {
    out["timeline"].push_back({{"id", e.id},
                               {"at", e.at},
                               {"by", OrNull(e.by)},
                               {"kind", e.kind},
                               {"details", json::parse(e.details, nullptr, false)}});
  }
  return http::JsonResponse(200, out.dump());
}

// One act on a grievance: reads its body, applies it within the caller's area, audits it.
http::Response Act(Services& s, http::Request& req, grievances::Act act) {
  TRY_OR_RESPOND(id, http::PathId(req));
  grievances::ActInput in;
  if (act == grievances::Act::kResolve || act == grievances::Act::kDecideAppeal) {
    TRY_OR_RESPOND(body, http::ParseJsonObject(req));
    http::ObjectReader r(*body);
    TRY_OR_RESPOND(outcome, r.OptionalString("outcome", 20));
    TRY_OR_RESPOND(text, r.OptionalString(act == grievances::Act::kResolve ? "resolution" : "decision", 4000));
    std::optional<std::string> note;
    if (act == grievances::Act::kResolve) {
      TRY_OR_RESPOND(n, r.OptionalString("internal_note", 4000));
      note = *n;
    }
    if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
    std::vector<Problem> problems;
    if (!*outcome) {
      problems.push_back({"field.required", "outcome", {{"field", "outcome"}}, {}});
    } else if (!grievances::IsOutcome(**outcome)) {
      problems.push_back({"value.not_allowed",
                          "outcome",
                          {{"field", "outcome"}, {"allowed", "upheld, partly_upheld, rejected"}, {"value", **outcome}},
                          {}});
    }
    const char* text_field = act == grievances::Act::kResolve ? "resolution" : "decision";
    if (!*text || (*text)->empty()) problems.push_back({"field.required", text_field, {{"field", text_field}}, {}});
    if (!problems.empty())
      return http::ErrorResponse(Failures(Code::kFailedPrecondition, "form.invalid", std::move(problems)).error());
    in.outcome = *outcome;
    in.text = *text;
    in.internal_note = note;
  } else if (act == grievances::Act::kAppeal) {
    TRY_OR_RESPOND(body, http::ParseJsonObject(req));
    TRY_OR_RESPOND(reason, ReadReason(*body, "reason", true));
    in.text = *reason;
  }
  const auto now = s.clock.Now();
  TRY_OR_RESPOND(g, s.grievances->Act(*id, AccessOf(s, req), act, in, now));
  if (auto st = AuditRequest(s, req, "update", "grievance", std::to_string(*id),
                             json{{"act", grievances::ActName(act)}, {"status", g->status}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, StaffJson(*g, FormatTimestamp(now)).dump());
}

json JobJson(const jobs::JobRecord& j) {
  return {{"id", j.id},
          {"status", jobs::StateName(j.state)},
          {"result", j.result ? *j.result : json()},
          {"created_at", j.created_at},
          {"finished_at", j.finished_at ? json(*j.finished_at) : json()}};
}

}  // namespace

void AddGrievanceRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  http::Route file{"POST", "/api/v1/public/grievances", P::kPublic,
                   [&s](http::Request& req) { return PublicFile(s, req); }};
  file.max_body = 16 * 1024;
  t.push_back(std::move(file));
  t.push_back({"GET", "/api/v1/public/grievances/:code", P::kPublic,
               [&s](http::Request& req) { return PublicStatus(s, req); }});
  t.push_back({"POST", "/api/v1/public/grievances/:code/appeal", P::kPublic,
               [&s](http::Request& req) { return PublicAppeal(s, req); }});

  http::Route worker{"POST", "/api/v1/grievances", P::kGrievancesFile,
                     [&s](http::Request& req) { return WorkerFile(s, req); }};
  worker.max_body = 16 * 1024;
  t.push_back(std::move(worker));
  t.push_back({"GET", "/api/v1/grievances", P::kGrievancesRead, [&s](http::Request& req) { return List(s, req); }});
  t.push_back({"GET", "/api/v1/grievances/categories", P::kGrievancesRead, [&s](http::Request&) {
                 TRY_OR_RESPOND(slas, s.grievances->Slas());
                 json items = json::array();
                 for (const auto& [c, d] : *slas) items.push_back({{"category", c}, {"sla_days", d}});
                 return http::JsonResponse(200, json{{"items", items}}.dump());
               }});
  t.push_back({"PUT", "/api/v1/grievances/categories/:category", P::kGrievancesManage, [&s](http::Request& req) {
                 const std::string category = req.Param("category");
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(days, r.OptionalInt("sla_days", 1, 365));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (!*days)
                   return http::ErrorResponse(
                       Failure(Code::kInvalidArgument, "field.required", {{"field", "sla_days"}}, "sla_days").error());
                 TRY_OR_RESPOND(done,
                                s.grievances->SetSla(category, static_cast<int>(**days), FormatTimestamp(s.clock.Now()),
                                                     req.principal->user.username));
                 if (auto st = AuditRequest(s, req, "update", "grievance_category", category); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, json{{"category", category}, {"sla_days", **days}}.dump());
               }});
  // Declared before /grievances/:id so that "escalation" is never read as an id.
  t.push_back({"POST", "/api/v1/grievances/escalation", P::kGrievancesDecide, [&s](http::Request& req) {
                 TRY_OR_RESPOND(
                     job, s.grievance_escalation->Start(req.principal->user.id.value, req.principal->user.username));
                 return http::JsonResponse(202, JobJson(*job).dump());
               }});
  t.push_back(
      {"GET", "/api/v1/grievances/escalation/:id", P::kGrievancesDecide, [&s](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(job, s.grievance_escalation->Get(*id));
         if (!*job)
           return http::ErrorResponse(
               Failure(Code::kNotFound, "grievance.escalation_not_found", {{"id", std::to_string(*id)}}, "id").error());
         return http::JsonResponse(200, JobJson(**job).dump());
       }});
  t.push_back(
      {"GET", "/api/v1/grievances/:id", P::kGrievancesRead, [&s](http::Request& req) { return GetOne(s, req); }});
  t.push_back({"POST", "/api/v1/grievances/:id/review", P::kGrievancesDecide,
               [&s](http::Request& req) { return Act(s, req, grievances::Act::kReview); }});
  t.push_back({"POST", "/api/v1/grievances/:id/resolve", P::kGrievancesDecide,
               [&s](http::Request& req) { return Act(s, req, grievances::Act::kResolve); }});
  t.push_back({"POST", "/api/v1/grievances/:id/appeal", P::kGrievancesFile,
               [&s](http::Request& req) { return Act(s, req, grievances::Act::kAppeal); }});
  t.push_back({"POST", "/api/v1/grievances/:id/appeal-decision", P::kGrievancesDecide,
               [&s](http::Request& req) { return Act(s, req, grievances::Act::kDecideAppeal); }});
  t.push_back({"POST", "/api/v1/grievances/:id/close", P::kGrievancesDecide,
               [&s](http::Request& req) { return Act(s, req, grievances::Act::kClose); }});
}

}  // namespace sanad::api
