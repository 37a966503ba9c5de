// Sanad as a client of civil registries (docs/crvs.md): administrators register a registry (which gets a
// bearer token for its notifications, shown once) and decide whether its exact identifier matches are
// applied without a reviewer; the registry posts SPDCI `notify` messages of births and deaths to
// /dci/crvs/{code}/registry/notify; staff list the events and what became of each.
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "core/tracking_code.h"
#include "crvs/crvs_service.h"
#include "dci/signature.h"
#include "http/json_input.h"

namespace sanad::api {
namespace {

constexpr std::size_t kTokenChars = 40;  // 200 bits

nlohmann::json SourceJson(const crvs::Source& s) {
  return {{"id", s.id},
          {"code", s.code},
          {"name", s.name},
          {"base_url", s.base_url ? nlohmann::json(*s.base_url) : nlohmann::json()},
          {"auto_approve_exact", s.auto_approve_exact},
          {"public_key", s.public_key ? nlohmann::json(*s.public_key) : nlohmann::json()},
          {"must_sign", s.must_sign},
          {"created_at", s.created_at},
          {"created_by", s.created_by}};
}

http::Response AddSource(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(code, r.RequiredString("code", 40));
  TRY_OR_RESPOND(name, r.RequiredString("name", 200));
  TRY_OR_RESPOND(base_url, r.OptionalString("base_url", 500));
  TRY_OR_RESPOND(auto_approve, r.OptionalBool("auto_approve_exact"));
  TRY_OR_RESPOND(public_key, r.OptionalString("public_key", 100));
  TRY_OR_RESPOND(must_sign, r.OptionalBool("must_sign"));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (*public_key && !dci::ValidPublicKey(**public_key))
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "crvs.bad_public_key", {}, "public_key").error());
  if (must_sign->value_or(false) && !*public_key)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "public_key"}}, "public_key").error());
  for (char c : *code) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "crvs.bad_code", {{"value", *code}}, "code").error());
  }
  crvs::Source src;
  src.code = *code;
  src.name = *name;
  src.base_url = *base_url;
  src.auto_approve_exact = auto_approve->value_or(false);
  src.public_key = *public_key;
  src.must_sign = must_sign->value_or(false);
  src.created_at = FormatTimestamp(s.clock.Now());
  src.created_by = req.principal->user.username;
  const std::string token = core::RandomCode(kTokenChars);
  TRY_OR_RESPOND(made, s.crvs->store().AddSource(src, core::CodeHash(token)));
  if (auto st = AuditRequest(s, req, "create", "crvs_source", made->code); !st) return http::ErrorResponse(st.error());
  auto out = SourceJson(*made);
  out["notify_token"] = token;  // shown once: only its hash is kept
  out["notify_path"] = "/dci/crvs/" + made->code + "/registry/notify";
  return http::JsonResponse(201, out.dump());
}

http::Response SetAutoApprove(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(enabled, r.OptionalBool("auto_approve_exact"));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*enabled)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "auto_approve_exact"}}, "auto_approve_exact")
            .error());
  TRY_OR_RESPOND(src, s.crvs->store().SetAutoApprove(req.Param("code"), **enabled));
  if (auto st = AuditRequest(s, req, "update", "crvs_source", src->code,
                             nlohmann::json{{"auto_approve_exact", **enabled}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, SourceJson(*src).dump());
}

// The registry's notification: its bearer token names it; an unknown code or a wrong token is the same
// 401. The answer is the protocol's acknowledgement with what was done with each event.
http::Response Notify(Services& s, http::Request& req) {
  const std::string* auth = req.Header("authorization");
  const std::string prefix = "Bearer ";
  std::optional<crvs::Source> source;
  if (auth && auth->starts_with(prefix)) {
    auto bare = core::NormaliseCode(auth->substr(prefix.size()), kTokenChars);
    if (bare) {
      TRY_OR_RESPOND(found, s.crvs->store().Authenticate(req.Param("code"), core::CodeHash(*bare)));
      source = *found;
    }
  }
  if (!source)
    return http::ErrorResponse(Failure(Code::kUnauthenticated, "crvs.unauthenticated", {}, "Authorization").error());
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  // The registry's signature, verified as a DCI partner's (dci/signature.h): required when it must sign,
  // checked whenever it signs in the spec's form and a key is registered. Refused before anything is read.
  const std::string signature =
      body->contains("signature") && (*body)["signature"].is_string() ? (*body)["signature"].get<std::string>() : "";
  if (source->must_sign || (signature.starts_with("Signature:") && source->public_key)) {
    if (signature.empty())
      return http::ErrorResponse(Failure(Code::kUnauthenticated, "crvs.signature_missing",
                                         {{"reason_code", "err.signature.missing"}}, "signature")
                                     .error());
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(s.clock.Now().time_since_epoch()).count();
    if (auto ok = dci::Verify(*body, signature, source->public_key.value_or(""), now); !ok)
      return http::ErrorResponse(Failure(Code::kUnauthenticated, "crvs.signature_invalid",
                                         {{"reason_code", "err.signature.invalid"}}, "signature")
                                     .error());
  }
  auto header = body->find("header");
  auto message = body->find("message");
  if (header == body->end() || !header->is_object())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "crvs.bad_notify",
                                       {{"position", "header"}, {"expected", "an object"}}, "header")
                                   .error());
  if (auto action = header->find("action"); action == header->end() || *action != "notify")
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "crvs.bad_notify",
                                       {{"position", "header.action"}, {"expected", "notify"}}, "header.action")
                                   .error());
  if (message == body->end())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "crvs.bad_notify",
                                       {{"position", "message"}, {"expected", "an object"}}, "message")
                                   .error());
  TRY_OR_RESPOND(got, s.crvs->Receive(*source, *message, req.request_id));
  return http::JsonResponse(200, nlohmann::json{{"message",
                                                 {{"ack_status", "ACK"},
                                                  {"timestamp", FormatTimestamp(s.clock.Now())},
                                                  {"correlation_id", req.request_id},
                                                  {"events", got->events},
                                                  {"filed", got->filed},
                                                  {"applied", got->applied},
                                                  {"unmatched", got->unmatched},
                                                  {"ignored", got->ignored},
                                                  {"replayed", got->replayed},
                                                  {"refused", got->refused}}}}
                                     .dump());
}

http::Response Events(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(outcome, q.OneOf("outcome", {"filed", "applied", "unmatched", "ignored", "refused", "received"}));
  TRY_OR_RESPOND(limit, q.Int("limit", 50, 1, 500));
  TRY_OR_RESPOND(offset, q.Int("offset", 0, 0, 1000000));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(events, s.crvs->store().Events(*outcome, actor.scope.area, actor.scope.today, *limit, *offset));
  nlohmann::json items = nlohmann::json::array(), ids = nlohmann::json::array();
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  for (const auto& e : *events) {
    items.push_back(
        {{"id", e.id},
         {"source", e.source_code},
         {"reference_id", e.reference_id},
         {"event_type", e.event_type},
         {"kind", e.kind},
         {"record", nlohmann::json::parse(e.record, nullptr, false)},
         {"received_at", e.received_at},
         {"outcome", e.outcome},
         {"reason", opt(e.reason)},
         {"person_id", opt(e.person_id)},
         {"household_id", opt(e.household_id)},
         {"change_request_id", opt(e.change_request_id)},
         {"match_probability", opt(e.match_probability)},
         {"match_candidates", e.candidates ? nlohmann::json::parse(*e.candidates, nullptr, false) : nlohmann::json()}});
    ids.push_back(e.id);
  }
  // The events name persons (identifiers, names): a read of personal data.
  if (!events->empty()) {
    if (auto st = AuditRequest(s, req, "view", "crvs_event", "", nlohmann::json{{"ids", ids}}.dump()); !st)
      return http::ErrorResponse(st.error());
  }
  return http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
}

}  // namespace

void AddCrvsRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/crvs/sources", P::kUsersManage, [&s](http::Request&) {
                 auto all = s.crvs->store().Sources();
                 if (!all) return http::ErrorResponse(all.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& src : *all) items.push_back(SourceJson(src));
                 return http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
               }});
  t.push_back(
      {"POST", "/api/v1/crvs/sources", P::kUsersManage, [&s](http::Request& req) { return AddSource(s, req); }});
  t.push_back({"PUT", "/api/v1/crvs/sources/:code/auto-approve", P::kUsersManage,
               [&s](http::Request& req) { return SetAutoApprove(s, req); }});
  t.push_back({"GET", "/api/v1/crvs/events", P::kRegistryApprove, [&s](http::Request& req) { return Events(s, req); }});
  http::Route notify{"POST", "/dci/crvs/:code/registry/notify", P::kPublic,
                     [&s](http::Request& req) { return Notify(s, req); }};
  notify.max_body = 4 * 1024 * 1024;
  t.push_back(std::move(notify));
}

}  // namespace sanad::api
