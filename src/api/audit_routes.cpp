// GET /api/v1/audit: the audit log for auditors (filter by user, record, action, date);
// POST /api/v1/audit/verify: recomputes the hash chain and returns the report.
#include "api/json_mapping.h"
#include "api/services.h"
#include "http/json_input.h"

namespace sanad::api {

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
  // disk, for the command line): the chain of hashes from the first entry to the last.
  t.push_back(
      {"POST", "/api/v1/audit/verify", P::kAuditRead,
       [&s](http::Request& req) {
         if (!req.body.empty() && req.body.find_first_not_of(" \t\r\n{}") != std::string::npos) {
           return http::ErrorResponse(Failure(Code::kInvalidArgument, "request.no_body", {}, "body").error());
         }
         if (!req.query.empty()) {
           return http::ErrorResponse(Failure(Code::kInvalidArgument, "query.none_expected",
                                              {{"name", req.query.front().first}}, req.query.front().first)
                                          .error());
         }
         auto report = s.audit.Verify();
         if (!report) return http::ErrorResponse(report.error());
         nlohmann::json body{{"ok", !report->broken()},
                             {"checked", report->checked},
                             {"first_broken_id", report->first_broken_id ? nlohmann::json(*report->first_broken_id)
                                                                         : nlohmann::json(nullptr)},
                             {"reason", report->reason}};
         if (auto st = AuditRequest(s, req, "verify", "audit_log", "",
                                    nlohmann::json{{"checked", report->checked}, {"ok", !report->broken()}}.dump());
             !st) {
           return http::ErrorResponse(st.error());
         }
         return http::JsonResponse(200, body.dump());
       },
       64});
}

}  // namespace sanad::api
