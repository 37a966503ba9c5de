// GET /api/v1/audit: the audit log for auditors (filter by user, record, action, date);
// POST /api/v1/audit/verify: starts a job that recomputes the hash chain (202 with the job);
// GET /api/v1/audit/verify/{id}: its status, progress and report; POST …/{id}/cancel.
#include "api/json_mapping.h"
#include "api/services.h"
#include "audit/verify_report.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"

namespace sanad::api {

namespace {

Status NoQuery(const http::Request& req) {
  if (req.query.empty()) return Ok();
  return Failure(Code::kInvalidArgument, "query.none_expected", {{"name", req.query.front().first}},
                 req.query.front().first);
}

// A verification job: its state, progress (entries checked of the log's length) and, once it
// succeeded, the report with its reason rendered in the request's language. A failed job says only
// that it failed: its error is for the server log.
nlohmann::json VerifyJobJson(const jobs::JobRecord& j, i18n::Lang lang) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json out{{"id", j.id},
                     {"status", jobs::StateName(j.state)},
                     {"progress", {{"done", j.progress_done}, {"total", j.progress_total}}},
                     {"started_by", j.owner},
                     {"created_at", j.created_at},
                     {"started_at", opt(j.started_at)},
                     {"finished_at", opt(j.finished_at)},
                     {"report", nullptr},
                     {"error", nullptr}};
  if (j.state == jobs::JobState::kSucceeded && j.result && j.result->is_object()) {
    nlohmann::json report = *j.result;
    audit::VerifyReport r;
    if (report.value("reason", nlohmann::json()).is_string()) r.reason = report["reason"].get<std::string>();
    const nlohmann::json params = report.value("params", nlohmann::json::object());
    for (const auto& [name, value] : params.items()) {
      r.params.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
    }
    report["message"] = r.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(audit::VerifyReasonText(r, lang));
    // The last progress may not have been flushed before the job ended: a finished walk checked all.
    const auto checked = report.value("checked", 0LL);
    out["progress"] = {{"done", checked}, {"total", checked}};
    out["report"] = std::move(report);
  }
  if (j.state == jobs::JobState::kFailed) {
    out["error"] = i18n::Render(lang, MsgCode("audit_verify.failed"), {{"id", std::to_string(j.id)}})
                       .value_or("audit_verify.failed");
  }
  return out;
}

}  // namespace

void AddAuditRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/audit", P::kAuditRead, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 audit::AuditQuery aq;
                 auto user = q.String("user", 64);
                 if (!user) return http::ErrorResponse(user.error());
                 auto record_type = q.String("record_type", 64);
                 if (!record_type) return http::ErrorResponse(record_type.error());
                 auto record_id = q.String("record_id", 64);
                 if (!record_id) return http::ErrorResponse(record_id.error());
                 auto action = q.String("action", 64);
                 if (!action) return http::ErrorResponse(action.error());
                 auto from = q.Date("from");
                 if (!from) return http::ErrorResponse(from.error());
                 auto to = q.Date("to");
                 if (!to) return http::ErrorResponse(to.error());
                 static const auto kSorts = db::SortValues(audit::kAuditSorts);
                 TRY_OR_RESPOND(sort, q.OneOf("sort", kSorts));
                 auto paging = http::ReadPaging(q);
                 if (!paging) return http::ErrorResponse(paging.error());
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 aq.sort = sort->value_or("");
                 aq.username = *user;
                 aq.record_type = *record_type;
                 aq.record_id = *record_id;
                 aq.action = *action;
                 aq.from = *from;
                 // "to" is inclusive for the caller: everything before the next day.
                 if (*to) {
                   auto d = ParseDate(**to);
                   aq.to = FormatTimestamp(TimePoint(
                       std::chrono::sys_days(std::chrono::year_month_day(
                           std::chrono::year(d->year), std::chrono::month(d->month), std::chrono::day(d->day))) +
                       std::chrono::days(1)));
                 }
                 // An area-scoped auditor reads only entries about records of their area (filtered in the query).
                 const auto actor = ActorOf(s, req);
                 aq.scope_area = actor.scope.area;
                 aq.today = actor.scope.today;
                 aq.limit = paging->limit;
                 aq.offset = paging->offset;
                 auto page = s.audit.Query(aq);
                 if (!page) return http::ErrorResponse(page.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& e : page->items) items.push_back(AuditJson(e));
                 if (auto st = AuditRequest(s, req, "view", "audit_log", "",
                                            nlohmann::json{{"returned", page->items.size()}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 return http::JsonResponse(200, http::ListJson(items, page->total, *paging));
               }});
  // The same check as `sanad audit verify` without the checkpoint file (that stays on the server's
  // disk, for the command line): the chain of hashes from the first entry to the last, as a job (the
  // walk outlasts a request on a long log). The chain is global: an area-scoped auditor may verify it.
  t.push_back({"POST", "/api/v1/audit/verify", P::kAuditRead,
               [&s](http::Request& req) {
                 if (!req.body.empty() && req.body.find_first_not_of(" \t\r\n{}") != std::string::npos) {
                   return http::ErrorResponse(Failure(Code::kInvalidArgument, "request.no_body", {}, "body").error());
                 }
                 if (auto st = NoQuery(req); !st) return http::ErrorResponse(st.error());
                 // The job and its audit entry are queued in one transaction.
                 TRY_OR_RESPOND(job, s.audit_verify->Start({req.principal->user.id.value, req.principal->user.username,
                                                            req.remote_ip, req.request_id}));
                 auto resp = http::JsonResponse(202, VerifyJobJson(*job, http::RequestLang(req)).dump());
                 resp.Header("Location", "/api/v1/audit/verify/" + std::to_string(job->id));
                 return resp;
               },
               64});
  t.push_back({"GET", "/api/v1/audit/verify/:id", P::kAuditRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 if (auto st = NoQuery(req); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(job, s.audit_verify->Get(*id));
                 if (!*job) {
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "audit_verify.not_found", {{"id", std::to_string(*id)}}, "id").error());
                 }
                 return http::JsonResponse(200, VerifyJobJson(**job, http::RequestLang(req)).dump());
               }});
  t.push_back({"POST", "/api/v1/audit/verify/:id/cancel", P::kAuditRead,
               [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(cancelled, s.audit_verify->Cancel(*id));
                 TRY_OR_RESPOND(job, s.audit_verify->Get(*id));
                 if (!*job) {
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "audit_verify.not_found", {{"id", std::to_string(*id)}}, "id").error());
                 }
                 return http::JsonResponse(200, VerifyJobJson(**job, http::RequestLang(req)).dump());
               },
               64});
}

}  // namespace sanad::api
