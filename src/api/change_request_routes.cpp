// /api/v1/change-requests: file, list, read (with the current records for a diff), approve, reject.
#include <fmt/format.h>
#include <charconv>

#include "api/registry_json.h"
#include "api/services.h"
#include "http/json_input.h"

namespace sanad::api {

namespace {

// The records a request touches as they are now, so a reviewer sees before → after.
nlohmann::json CurrentRecords(Services& s, const registry::ChangeRequestRow& cr, const registry::Scope& scope) {
  nlohmann::json out = nlohmann::json::object();
  out["households"] = nlohmann::json::array();
  out["persons"] = nlohmann::json::array();
  auto payload = nlohmann::json::parse(cr.payload, nullptr, false);
  if (!payload.is_object()) return out;
  for (const char* key : {"household_id", "merged_household_id", "to_household_id"}) {
    if (payload.contains(key) && payload[key].is_number_integer()) {
      if (auto h = s.registry->households.GetHousehold(payload[key].get<std::int64_t>(), scope); h && *h)
        out["households"].push_back(HouseholdJson(**h));
    }
  }
  std::vector<std::int64_t> person_ids;
  for (const char* key : {"person_id", "duplicate_person_id"}) {
    if (payload.contains(key) && payload[key].is_number_integer())
      person_ids.push_back(payload[key].get<std::int64_t>());
  }
  // The other holder of a national ID the request sets, when the reviewer's scope covers them.
  for (const auto& w : cr.warnings) {
    if (w.person_id) person_ids.push_back(*w.person_id);
  }
  for (auto id : person_ids) {
    if (auto p = s.registry->households.GetPerson(id, scope); p && *p) out["persons"].push_back(PersonJson(**p));
  }
  return out;
}

Result<registry::ReviewDecision> ReadReview(const http::Request& req, bool comment_required) {
  registry::ReviewDecision r;
  if (req.body.empty() && !comment_required) return r;
  auto body = http::ParseJsonObject(req);
  if (!body) return std::unexpected(body.error());
  http::ObjectReader reader(*body);
  auto comment = reader.OptionalString("comment", 2000);
  if (!comment) return std::unexpected(comment.error());
  r.comment = comment->value_or("");
  auto acknowledge = reader.OptionalBool("acknowledge_conflicts");
  if (!acknowledge) return std::unexpected(acknowledge.error());
  r.acknowledge_conflicts = acknowledge->value_or(false);
  auto decision = reader.OptionalString("national_id_decision", 40);
  if (!decision) return std::unexpected(decision.error());
  if (*decision) {
    if (**decision != "not_same_person") {
      return Failure(Code::kInvalidArgument, "change_request.national_id_decision", {{"value", **decision}},
                     "national_id_decision");
    }
    r.national_id_not_same_person = true;
  }
  if (auto st = reader.RejectUnknown(); !st) return std::unexpected(st.error());
  if (comment_required && r.comment.empty())
    return Failure(Code::kInvalidArgument, "field.required", {{"field", "comment"}}, "comment");
  return r;
}

}  // namespace

http::Response ChangeRequestPage(Services& s, const http::Request& req,
                                 const std::pair<std::vector<registry::ChangeRequestRow>, long long>& page,
                                 const http::Paging& paging, nlohmann::json asked) {
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json shown = nlohmann::json::array();
  for (const auto& c : page.first) {
    items.push_back(ChangeRequestJson(c, false, http::RequestLang(req)));
    shown.push_back(c.id);
  }
  // Requests carry the names they would write: listing them is a read of personal data.
  asked["returned"] = items.size();
  asked["ids"] = std::move(shown);
  if (auto st = AuditRequest(s, req, "search", "change_request", "", asked.dump()); !st)
    return http::ErrorResponse(st.error());
  auto resp = http::JsonResponse(200, http::ListJson(items, page.second, paging));
  http::SayLanguage(resp, http::RequestLang(req));
  return resp;
}

void AddChangeRequestRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back(
      {"POST", "/api/v1/change-requests", P::kRegistryPropose,
       [&s](http::Request& req) {
         auto body = http::ParseJsonObject(req);
         if (!body) return http::ErrorResponse(body.error());
         http::ObjectReader r(*body);
         auto kind = r.RequiredString("kind", 40);
         if (!kind) return http::ErrorResponse(kind.error());
         auto payload = r.OptionalObject("payload");
         if (!payload) return http::ErrorResponse(payload.error());
         if (!*payload)
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "field.required", {{"field", "payload"}}, "payload").error());
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (*kind == "import_households" || *kind == "import_persons") {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "change_request.import_by_upload", {{"kind", *kind}}, "kind").error());
         }
         auto cr = s.changes->Submit(*kind, **payload, ActorOf(s, req));
         if (!cr) return http::ErrorResponse(cr.error());
         return http::JsonResponse(201, ChangeRequestJson(*cr, true, http::RequestLang(req)).dump());
       },
       256 * 1024});
  t.push_back({"GET", "/api/v1/change-requests", P::kRegistryRead, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 auto status = q.OneOf("status", {"pending", "applied", "rejected", "withdrawn"});
                 if (!status) return http::ErrorResponse(status.error());
                 auto household = q.Int("household_id", 0, 1, INT32_MAX);
                 if (!household) return http::ErrorResponse(household.error());
                 auto paging = http::ReadPaging(q, 200);
                 if (!paging) return http::ErrorResponse(paging.error());
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 std::optional<std::int64_t> household_id;
                 if (*household > 0) household_id = *household;
                 auto page = s.registry->requests.ListChangeRequests(*status, paging->limit, paging->offset,
                                                                     ActorOf(s, req).scope, household_id);
                 if (!page) return http::ErrorResponse(page.error());
                 return ChangeRequestPage(s, req, *page, *paging, {{"status", status->value_or("")}});
               }});
  t.push_back({"GET", "/api/v1/change-requests/:id", P::kRegistryRead, [&s](http::Request& req) {
                 auto id = http::PathId(req);
                 if (!id) return http::ErrorResponse(id.error());
                 auto actor = ActorOf(s, req);
                 // Scoped: a request is visible only when the caller's scope covers every commune it touches.
                 auto cr = s.changes->Review(*id, actor);
                 if (!cr) return http::ErrorResponse(cr.error());
                 auto body = ChangeRequestJson(*cr, true, http::RequestLang(req));
                 body["current"] = CurrentRecords(s, *cr, actor.scope);
                 if (auto st = AuditRequest(s, req, "view", "change_request", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 auto resp = http::JsonResponse(200, body.dump());
                 http::SayLanguage(resp, http::RequestLang(req));
                 return resp;
               }});
  t.push_back({"POST", "/api/v1/change-requests/:id/approve", P::kRegistryApprove,
               [&s](http::Request& req) {
                 auto id = http::PathId(req);
                 if (!id) return http::ErrorResponse(id.error());
                 auto review = ReadReview(req, false);
                 if (!review) return http::ErrorResponse(review.error());
                 auto cr = s.changes->Approve(*id, ActorOf(s, req), *review);
                 if (!cr) return http::ErrorResponse(cr.error());
                 return http::JsonResponse(200, ChangeRequestJson(*cr, false, http::RequestLang(req)).dump());
               },
               16 * 1024});
  t.push_back({"POST", "/api/v1/change-requests/:id/reject", P::kRegistryApprove,
               [&s](http::Request& req) {
                 auto id = http::PathId(req);
                 if (!id) return http::ErrorResponse(id.error());
                 auto review = ReadReview(req, true);
                 if (!review) return http::ErrorResponse(review.error());
                 auto cr = s.changes->Reject(*id, ActorOf(s, req), review->comment);
                 if (!cr) return http::ErrorResponse(cr.error());
                 return http::JsonResponse(200, ChangeRequestJson(*cr, false, http::RequestLang(req)).dump());
               },
               16 * 1024});
}

}  // namespace sanad::api
