// Programme cycles (src/cycles, docs/cycles.md):
//   POST /api/v1/programs/:code/cycles        {period, cut_off?} → 202 {job} while computing, 200 {cycle} if it exists
//   GET  /api/v1/cycle-jobs/:id               a generation job's progress, and its cycle once done
//   GET  /api/v1/cycles?programme=&state=     cycles, newest period first
//   GET  /api/v1/cycles/:id                   state, who/when, counts, totals, totals by region, flags
//   GET  /api/v1/cycles/:id/entries?eligible=&flagged=&region=&limit=&offset=   the frozen rows (audited)
//   POST /api/v1/cycles/:id/approve           {acknowledge_flags?} by another user than the generator
//   POST /api/v1/cycles/:id/discard           a draft only
//   POST /api/v1/cycles/:id/close             a paid cycle
// Generation and decisions are national (cycles.manage, cycles.approve); a regional reader
// (cycles.read) sees the entries and figures of their area only.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api/json_mapping.h"
#include "api/services.h"
#include "cycles/cycle_service.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"

namespace sanad::api {

namespace {

using Json = nlohmann::json;

Json TotalsJson(const cycles::CycleTotals& t) {
  return {{"households_considered", t.considered},
          {"households_eligible", t.eligible},
          {"total_minor", t.total_minor},
          {"one_off_total_minor", t.one_off_total_minor}};
}

Json CycleJson(const cycles::CycleRow& c) {
  Json j{{"id", c.id},
         {"programme", c.programme},
         {"period", c.period},
         {"cut_off", c.cut_off},
         {"state", c.state},
         {"currency", c.currency},
         {"programme_digest", c.programme_digest},
         {"households_flagged", c.households_flagged},
         {"generated_at", c.generated_at},
         {"generated_by", c.generated_by},
         {"approved_at", OrNull(c.approved_at)},
         {"approved_by", OrNull(c.approved_by)},
         {"paid_at", OrNull(c.paid_at)},
         {"closed_at", OrNull(c.closed_at)},
         {"version", c.version},
         {"score_model", c.totals.score_model.empty() ? Json(nullptr) : Json(c.totals.score_model)},
         {"score_model_version", c.totals.score_model.empty() ? Json(nullptr) : Json(c.totals.score_model_version)}};
  j.update(TotalsJson(c.totals));
  return j;
}

// A stored {reason, params} (flags) or {code, params} (reasons) object with its text in `lang`.
Json WithText(Json item, i18n::Lang lang) {
  if (!item.is_object()) return item;
  const char* key = item.contains("reason") ? "reason" : "code";
  if (!item.contains(key) || !item[key].is_string()) return item;
  MessageParams params;
  if (item.contains("params") && item["params"].is_object()) {
    for (const auto& [k, v] : item["params"].items())
      params.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  const std::string reason = item[key].get<std::string>();
  item["text"] = i18n::Render(lang, reason, params).value_or(reason);
  return item;
}

Json EntryJson(const cycles::EntryRow& e, i18n::Lang lang) {
  // Written by the cycle's computation; a row that does not parse is a defect, shown as it is stored.
  Json details = Json::parse(e.details, nullptr, false);
  if (details.is_discarded()) details = e.details;
  if (details.is_object() && details.contains("reasons") && details["reasons"].is_array()) {
    for (auto& r : details["reasons"]) r = WithText(r, lang);
  }
  // A score whose entry names no model is of the cycle's model: shown with it, as the entry was computed.
  if (details.is_object() && details.contains("inputs") && details["inputs"].is_object()) {
    Json& inputs = details["inputs"];
    if (inputs.contains("score") && !inputs.contains("score_model") && !e.score_model.empty()) {
      inputs["score_model"] = e.score_model;
      inputs["score_model_version"] = e.score_model_version;
    }
  }
  Json flags = Json::array();
  if (e.flags) {
    Json stored = Json::parse(*e.flags, nullptr, false);
    if (stored.is_array()) {
      for (const auto& f : stored) flags.push_back(WithText(f, lang));
    }
  }
  return {{"household_id", e.household_id},
          {"household_version", e.household_version},
          {"commune_code", e.commune_code},
          {"payee_person_id", OrNull(e.payee_person_id)},
          {"eligible", e.eligible},
          {"amount_minor", e.amount_minor},
          {"one_off_minor", e.one_off_minor},
          {"details", details},
          {"flags", flags}};
}

Json SummaryJson(const cycles::CycleSummary& s, const registry::Actor& who, i18n::Lang lang) {
  Json j = CycleJson(s.cycle);
  // A regional reader's figures are those of their area's entries.
  j.update(TotalsJson(s.totals));
  j["households_flagged"] = s.flagged;
  j["scope_area"] = OrNull(who.scope.area);
  Json regions = Json::array();
  for (const auto& r : s.regions) {
    Json one{{"region", r.region}, {"households_flagged", r.flagged}};
    one.update(TotalsJson(r.totals));
    regions.push_back(std::move(one));
  }
  j["regions"] = std::move(regions);
  // Why the caller may not approve, for the page to say so next to a disabled button.
  const bool own = (s.cycle.generated_by_id && who.user_id) ? *s.cycle.generated_by_id == *who.user_id
                                                            : s.cycle.generated_by == who.username;
  if (s.cycle.state == cycles::kDraft && own) {
    j["approve_blocked"] =
        WithText(Json{{"reason", MsgCode("cycle.own_cycle")},
                      {"params", {{"id", std::to_string(s.cycle.id)}, {"user", s.cycle.generated_by}}}},
                 lang);
  } else {
    j["approve_blocked"] = nullptr;
  }
  return j;
}

Json JobJson(const jobs::JobRecord& j, i18n::Lang lang) {
  MessageParams stage_params;
  if (j.stage_params.is_object()) {
    for (const auto& [k, v] : j.stage_params.items())
      stage_params.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  Json out{{"id", j.id},
           {"state", jobs::StateName(j.state)},
           {"programme", j.params.value("programme", "")},
           {"period", j.params.value("period", "")},
           {"progress_done", j.progress_done},
           {"progress_total", j.progress_total},
           {"stage", j.stage},
           {"stage_text",
            j.stage.empty() ? Json(nullptr) : Json(i18n::Render(lang, j.stage, stage_params).value_or(j.stage))},
           {"created_at", j.created_at},
           {"finished_at", OrNull(j.finished_at)},
           {"cycle_id", j.result && j.result->contains("cycle_id") ? (*j.result)["cycle_id"] : Json(nullptr)}};
  if (j.state == jobs::JobState::kFailed) {
    // The handler keeps the catalogue code as the message; other failures (attempts exhausted) have none.
    const std::string code = j.error_message.value_or("");
    auto text = code.empty() ? std::nullopt : i18n::Render(lang, code);
    out["error_code"] = text ? Json(code) : OrNull(j.error_code);
    out["error"] = text ? Json(*text) : Json(j.error_code.value_or("failed"));
  } else {
    out["error_code"] = nullptr;
    out["error"] = nullptr;
  }
  return out;
}

Result<std::optional<bool>> OptionalBoolParam(http::QueryReader& q, const std::string& name) {
  auto v = q.OneOf(name, {"true", "false"});
  if (!v) return std::unexpected(v.error());
  if (!*v) return std::optional<bool>();
  return std::optional<bool>(**v == "true");
}

}  // namespace

void AddCycleRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"POST", "/api/v1/programs/:code/cycles", P::kCyclesManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(period, r.RequiredString("period", 7));
                 TRY_OR_RESPOND(cut_off, r.OptionalString("cut_off", 40));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto actor = ActorOf(s, req);
                 const std::string code = req.Param("code");
                 TRY_OR_RESPOND(out, s.cycles->Generate(code, *period, *cut_off, actor));
                 // Cycle and job metadata carry no personal data: a failed audit line is logged, not fatal.
                 (void)AuditRequest(s, req, "generate", "programme_cycle",
                                    out->existing ? std::to_string(out->existing->id) : "",
                                    Json{{"programme", code},
                                         {"period", *period},
                                         {"cut_off", OrNull(*cut_off)},
                                         {"job_id", out->job ? Json(out->job->id) : Json(nullptr)}}
                                        .dump());
                 if (out->existing) return http::JsonResponse(200, Json{{"cycle", CycleJson(*out->existing)}}.dump());
                 return http::JsonResponse(202, Json{{"job", JobJson(*out->job, http::RequestLang(req))}}.dump());
               }});
  t.push_back({"GET", "/api/v1/cycle-jobs/:id", P::kCyclesManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(job, s.cycles->Job(*id));
                 if (!*job) {
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "cycle_job.not_found", {{"id", std::to_string(*id)}}, "id").error());
                 }
                 return http::JsonResponse(200, JobJson(**job, http::RequestLang(req)).dump());
               }});
  t.push_back(
      {"GET", "/api/v1/cycles", P::kCyclesRead, [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(programme, q.String("programme", 40));
         TRY_OR_RESPOND(state, q.OneOf("state", {"draft", "approved", "paid", "closed"}));
         TRY_OR_RESPOND(limit, q.Int("limit", 50, 1, 200));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         auto actor = ActorOf(s, req);
         TRY_OR_RESPOND(rows, s.cycles->List(programme->value_or(""), state->value_or(""), *limit));
         Json items = Json::array();
         for (const auto& c : *rows) {
           if (!actor.scope.area) {
             items.push_back(CycleJson(c));
             continue;
           }
           // A regional reader's figures: their area's entries (one grouped query per cycle listed).
           TRY_OR_RESPOND(summary, s.cycles->Summary(c.id, actor.scope));
           Json j = CycleJson(c);
           j.update(TotalsJson(summary->totals));
           j["households_flagged"] = summary->flagged;
           items.push_back(std::move(j));
         }
         return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(items.size()), {*limit, 0}));
       }});
  t.push_back({"GET", "/api/v1/cycles/:id", P::kCyclesRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 auto actor = ActorOf(s, req);
                 TRY_OR_RESPOND(summary, s.cycles->Summary(*id, actor.scope));
                 return http::JsonResponse(200, SummaryJson(*summary, actor, http::RequestLang(req)).dump());
               }});
  t.push_back({"GET", "/api/v1/cycles/:id/entries", P::kCyclesRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(eligible, OptionalBoolParam(q, "eligible"));
                 TRY_OR_RESPOND(flagged, OptionalBoolParam(q, "flagged"));
                 TRY_OR_RESPOND(region, q.String("region", 40));
                 TRY_OR_RESPOND(paging, http::ReadPaging(q, 500));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto actor = ActorOf(s, req);
                 cycles::EntryFilter filter{.eligible = *eligible, .flagged = *flagged, .region = *region};
                 TRY_OR_RESPOND(page, s.cycles->Entries(*id, filter, actor.scope, paging->limit, paging->offset));
                 Json items = Json::array();
                 Json ids = Json::array();
                 for (const auto& e : page->first) {
                   items.push_back(EntryJson(e, http::RequestLang(req)));
                   ids.push_back(e.household_id);
                 }
                 // The entries name households and their members' data: a read of personal records.
                 if (auto st = AuditRequest(s, req, "search", "cycle_entry", std::to_string(*id),
                                            Json{{"cycle_id", *id},
                                                 {"eligible", eligible->has_value() ? Json(**eligible) : Json(nullptr)},
                                                 {"region", OrNull(*region)},
                                                 {"households", ids}}
                                                .dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
               }});
  t.push_back({"POST", "/api/v1/cycles/:id/approve", P::kCyclesApprove, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 bool acknowledge = false;
                 if (!req.body.empty()) {
                   TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                   http::ObjectReader r(*body);
                   TRY_OR_RESPOND(ack, r.OptionalBool("acknowledge_flags"));
                   if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                   acknowledge = ack->value_or(false);
                 }
                 auto actor = ActorOf(s, req);
                 TRY_OR_RESPOND(cycle, s.cycles->Approve(*id, acknowledge, actor));
                 // The decision is audited, with whether flagged households were acknowledged.
                 if (auto st = AuditRequest(s, req, "approve", "programme_cycle", std::to_string(*id),
                                            Json{{"acknowledge_flags", acknowledge},
                                                 {"households_flagged", cycle->households_flagged},
                                                 {"total_minor", cycle->totals.total_minor}}
                                                .dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 return http::JsonResponse(200, CycleJson(*cycle).dump());
               }});
  t.push_back({"POST", "/api/v1/cycles/:id/discard", P::kCyclesManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(cycle, s.cycles->Discard(*id, ActorOf(s, req)));
                 if (auto st = AuditRequest(s, req, "discard", "programme_cycle", std::to_string(*id),
                                            Json{{"programme", cycle->programme}, {"period", cycle->period}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 Json j = CycleJson(*cycle);
                 j["state"] = "discarded";
                 return http::JsonResponse(200, j.dump());
               }});
  t.push_back({"POST", "/api/v1/cycles/:id/close", P::kCyclesManage, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(cycle, s.cycles->Close(*id, ActorOf(s, req)));
                 if (auto st = AuditRequest(s, req, "close", "programme_cycle", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, CycleJson(*cycle).dump());
               }});
}

}  // namespace sanad::api
