// What authors see of their change requests: their own requests, the withdrawal of a pending one,
// and the notices of decisions (/api/v1/me/change-requests, /api/v1/change-requests/:id/withdraw,
// /api/v1/me/notifications).
#include <memory>

#include "api/registry_json.h"
#include "api/services.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"
#include "registry/author_inbox.h"

namespace sanad::api {

namespace {

// A notice as the reader sees it: its code and parameters, and its text in the request's language.
nlohmann::json NotificationJson(const registry::Notification& n, i18n::Lang lang) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : n.params) params[k] = v;
  return {{"id", n.id},
          {"code", n.code},
          {"params", std::move(params)},
          {"message", i18n::Render(lang, n.code, n.params).value_or(n.code)},
          {"change_request_id", n.change_request_id ? nlohmann::json(*n.change_request_id) : nlohmann::json()},
          {"created_at", n.created_at},
          {"read_at", n.read_at ? nlohmann::json(*n.read_at) : nlohmann::json()}};
}

}  // namespace

void AddAuthorRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  auto inbox = std::make_shared<registry::AuthorInbox>(*s.registry, s.audit, s.clock);
  t.push_back({"GET", "/api/v1/me/change-requests", P::kRegistryPropose, [&s, inbox](http::Request& req) {
                 http::QueryReader q(req);
                 auto status = q.OneOf("status", {"pending", "applied", "rejected", "withdrawn"});
                 if (!status) return http::ErrorResponse(status.error());
                 auto paging = http::ReadPaging(q, 200);
                 if (!paging) return http::ErrorResponse(paging.error());
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto page = inbox->MyRequests(ActorOf(s, req), *status, paging->limit, paging->offset);
                 if (!page) return http::ErrorResponse(page.error());
                 return ChangeRequestPage(s, req, *page, *paging, {{"mine", true}, {"status", status->value_or("")}});
               }});
  t.push_back({"POST", "/api/v1/change-requests/:id/withdraw", P::kRegistryPropose,
               [&s, inbox](http::Request& req) {
                 auto id = http::PathId(req);
                 if (!id) return http::ErrorResponse(id.error());
                 std::string comment;
                 if (!req.body.empty()) {
                   auto body = http::ParseJsonObject(req);
                   if (!body) return http::ErrorResponse(body.error());
                   http::ObjectReader r(*body);
                   auto c = r.OptionalString("comment", 2000);
                   if (!c) return http::ErrorResponse(c.error());
                   if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                   comment = c->value_or("");
                 }
                 auto cr = inbox->Withdraw(*id, ActorOf(s, req), comment);
                 if (!cr) return http::ErrorResponse(cr.error());
                 return http::JsonResponse(200, ChangeRequestJson(*cr, false, http::RequestLang(req)).dump());
               },
               16 * 1024});
  t.push_back({"GET", "/api/v1/me/notifications", P::kAuthenticated, [&s, inbox](http::Request& req) {
                 http::QueryReader q(req);
                 auto unread = q.OneOf("unread", {"true", "false"});
                 if (!unread) return http::ErrorResponse(unread.error());
                 auto paging = http::ReadPaging(q, 100);
                 if (!paging) return http::ErrorResponse(paging.error());
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const bool unread_only = unread->value_or("false") == "true";
                 auto page = inbox->Notifications(ActorOf(s, req), unread_only, paging->limit, paging->offset);
                 if (!page) return http::ErrorResponse(page.error());
                 const auto lang = http::RequestLang(req);
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& n : page->items) items.push_back(NotificationJson(n, lang));
                 auto body = nlohmann::json::parse(http::ListJson(items, page->total, *paging));
                 body["unread"] = page->unread;
                 http::Response resp = http::JsonResponse(200, body.dump());
                 http::SayLanguage(resp, lang);
                 return resp;
               }});
  t.push_back({"POST", "/api/v1/me/notifications/read-all", P::kAuthenticated, [&s, inbox](http::Request& req) {
                 auto n = inbox->MarkAllRead(ActorOf(s, req));
                 if (!n) return http::ErrorResponse(n.error());
                 return http::JsonResponse(200, nlohmann::json{{"marked", *n}, {"unread", 0}}.dump());
               }});
  t.push_back({"POST", "/api/v1/me/notifications/:id/read", P::kAuthenticated, [&s, inbox](http::Request& req) {
                 auto id = http::PathId(req);
                 if (!id) return http::ErrorResponse(id.error());
                 auto n = inbox->MarkRead(ActorOf(s, req), *id);
                 if (!n) return http::ErrorResponse(n.error());
                 return http::JsonResponse(200, NotificationJson(*n, http::RequestLang(req)).dump());
               }});
}

}  // namespace sanad::api
