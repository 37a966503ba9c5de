// Sanad as a client of civil registries (docs/crvs.md): administrators register a registry (which gets a
// bearer token for its notifications, shown once) and decide whether its exact identifier matches are
// applied without a reviewer; the registry posts SPDCI `notify` messages of births and deaths to
// /dci/crvs/{code}/registry/notify; staff list the events and what became of each.
#include <cctype>
#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "core/tracking_code.h"
#include "crvs/civil_search.h"
#include "crvs/crvs_service.h"
#include "crvs/subscription.h"
#include "dci/callback_client.h"
#include "dci/signature.h"
#include "http/json_input.h"
#include "registry_model/fields.h"

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

// The registry's signature, verified as a DCI partner's (dci/signature.h): required when it must sign,
// checked whenever it signs in the spec's form and a key is registered. Checked before anything is read.
Status CheckSignature(Services& s, const crvs::Source& source, const nlohmann::json& body) {
  const std::string signature =
      body.contains("signature") && body["signature"].is_string() ? body["signature"].get<std::string>() : "";
  if (!source.must_sign && !(signature.starts_with("Signature:") && source.public_key)) return Ok();
  if (signature.empty())
    return Failure(Code::kUnauthenticated, "crvs.signature_missing", {{"reason_code", "err.signature.missing"}},
                   "signature");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(s.clock.Now().time_since_epoch()).count();
  if (auto ok = dci::Verify(body, signature, source.public_key.value_or(""), now); !ok)
    return Failure(Code::kUnauthenticated, "crvs.signature_invalid", {{"reason_code", "err.signature.invalid"}},
                   "signature");
  return Ok();
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
  if (auto st = CheckSignature(s, *source, *body); !st) return http::ErrorResponse(st.error());
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

// --- Subscriptions (docs/crvs.md §Subscribing) ---

std::optional<crvs::Source> SourceByCode(const std::vector<crvs::Source>& all, const std::string& code) {
  for (const auto& src : all) {
    if (src.code == code) return src;
  }
  return std::nullopt;
}

nlohmann::json SubscriptionsJson(const std::vector<crvs::Subscription>& subs) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& x : subs) {
    items.push_back({{"event_type", x.event_type},
                     {"transaction_id", x.transaction_id},
                     {"code", x.code ? nlohmann::json(*x.code) : nlohmann::json()},
                     {"status", x.status},
                     {"requested_at", x.requested_at},
                     {"updated_at", x.updated_at}});
  }
  return items;
}

// The registry reached by its base_url, with Sanad's own address (`sanad_url`: as the registry reaches it,
// through the ministry's gateway; Sanad cannot know it) for the callbacks.
struct Outbound {
  crvs::Source source;
  std::string sanad_url;
};
Result<Outbound> ReadOutbound(Services& s, http::Request& req) {
  auto body = http::ParseJsonObject(req);
  if (!body) return std::unexpected(body.error());
  http::ObjectReader r(*body);
  auto url = r.RequiredString("sanad_url", 500);
  if (!url) return std::unexpected(url.error());
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  if (!url->starts_with("http://") && !url->starts_with("https://"))
    return Failure(Code::kInvalidArgument, "crvs.bad_sanad_url", {}, "sanad_url");
  auto all = s.crvs->store().Sources();
  if (!all) return std::unexpected(all.error());
  auto src = SourceByCode(*all, req.Param("code"));
  if (!src) return Failure(Code::kNotFound, "crvs.no_such_source", {{"code", req.Param("code")}}, "code");
  if (!src->base_url) return Failure(Code::kInvalidArgument, "crvs.no_base_url", {{"code", src->code}}, "code");
  std::string base = *url;
  while (base.ends_with('/')) base.pop_back();
  return Outbound{*src, base};
}

// Posts `envelope` to the registry; its message when it acknowledged (ACK), else kUnavailable.
Result<nlohmann::json> CallRegistry(Services& s, const crvs::Source& src, const std::string& path,
                                    nlohmann::json envelope) {
  std::string base = *src.base_url;
  while (base.ends_with('/')) base.pop_back();
  dci::SignEnvelope(envelope, s.dci_key, dci::UnixSeconds(s.clock.Now()));
  auto answer = dci::PostJsonForAnswer(base + path, envelope.dump(), std::chrono::seconds(5));
  if (!answer) return Failure(Code::kUnavailable, "crvs.registry_unavailable", {{"reason", answer.error().message}});
  auto json = nlohmann::json::parse(answer->body, nullptr, false);
  const nlohmann::json message = json.is_object() && json.contains("message") ? json["message"] : nlohmann::json();
  const std::string ack = message.is_object() ? message.value("ack_status", std::string()) : "";
  if (answer->status < 200 || answer->status > 299 ||
      (ack != "ACK" && !message.contains("subscribe_response") && !message.contains("subscription_status"))) {
    std::string why = "HTTP " + std::to_string(answer->status);
    if (message.is_object() && message.contains("error") && message["error"].is_object())
      why = message["error"].value("code", why);
    return Failure(Code::kUnavailable, "crvs.registry_unavailable", {{"reason", why}});
  }
  return message;
}

http::Response Subscribe(Services& s, http::Request& req) {
  TRY_OR_RESPOND(out, ReadOutbound(s, req));
  const std::string txn = core::RandomCode(kTokenChars);  // unguessable: it authenticates the on-subscribe
  const std::string now = FormatTimestamp(s.clock.Now());
  const std::vector<std::string> events = {crvs::kBirthEvent, crvs::kDeathEvent};
  const auto envelope = crvs::SubscribeRequest(
      txn, now, out->sanad_url + "/dci/crvs/" + out->source.code + "/registry/on-subscribe", events);
  TRY_OR_RESPOND(added, s.crvs->store().AddSubscriptions(out->source.id, txn, events, now));
  auto message = CallRegistry(s, out->source, "/registry/subscribe", envelope);
  if (!message) {
    (void)s.crvs->store().SetRequested(out->source.id, txn, "refused", now);
    return http::ErrorResponse(message.error());
  }
  // A registry answering at once (not the spec's async ACK) is read the same way as its callback.
  if (message->contains("subscribe_response")) {
    auto granted = crvs::ReadSubscribeResponse(*message);
    if (granted) (void)s.crvs->store().Grant(out->source.id, txn, *granted, now);
  }
  if (auto st = AuditRequest(s, req, "create", "crvs_subscription", out->source.code,
                             nlohmann::json{{"transaction_id", txn}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(subs, s.crvs->store().Subscriptions(out->source.id));
  return http::JsonResponse(202, nlohmann::json{{"transaction_id", txn}, {"items", SubscriptionsJson(*subs)}}.dump());
}

http::Response Unsubscribe(Services& s, http::Request& req) {
  TRY_OR_RESPOND(out, ReadOutbound(s, req));
  const std::string txn = core::RandomCode(kTokenChars);
  const std::string now = FormatTimestamp(s.clock.Now());
  TRY_OR_RESPOND(codes, s.crvs->store().Unsubscribing(out->source.id, txn, now));
  if (!codes->empty()) {
    const auto envelope = crvs::UnsubscribeRequest(
        txn, now, out->sanad_url + "/dci/crvs/" + out->source.code + "/registry/on-unsubscribe", *codes);
    auto message = CallRegistry(s, out->source, "/registry/unsubscribe", envelope);
    if (!message) return http::ErrorResponse(message.error());
    if (message->contains("subscription_status")) {
      if (auto done = crvs::ReadUnsubscribeResponse(*message))
        (void)s.crvs->store().Unsubscribed(out->source.id, txn, *done, now);
    }
  }
  if (auto st = AuditRequest(s, req, "delete", "crvs_subscription", out->source.code,
                             nlohmann::json{{"transaction_id", txn}, {"codes", *codes}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(subs, s.crvs->store().Subscriptions(out->source.id));
  return http::JsonResponse(202, nlohmann::json{{"transaction_id", txn}, {"items", SubscriptionsJson(*subs)}}.dump());
}

// The registry's on-subscribe / on-unsubscribe callback: accepted only for a transaction Sanad started
// (its unguessable id; callbacks carry no bearer token) and, for a registry that signs, when its
// signature verifies. An unknown code or transaction is the same 401.
http::Response OnSubscription(Services& s, http::Request& req, bool subscribe) {
  auto unknown = [] {
    return http::ErrorResponse(Failure(Code::kUnauthenticated, "crvs.unauthenticated", {}, "transaction_id").error());
  };
  TRY_OR_RESPOND(all, s.crvs->store().Sources());
  auto src = SourceByCode(*all, req.Param("code"));
  if (!src) return unknown();
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  if (auto st = CheckSignature(s, *src, *body); !st) return http::ErrorResponse(st.error());
  const nlohmann::json message = body->contains("message") ? (*body)["message"] : nlohmann::json();
  if (!message.is_object() || !message.contains("transaction_id") || !message["transaction_id"].is_string())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "crvs.bad_notify",
                                       {{"position", "message.transaction_id"}, {"expected", "a string"}},
                                       "message.transaction_id")
                                   .error());
  const std::string txn = message["transaction_id"].get<std::string>();
  const std::string now = FormatTimestamp(s.clock.Now());
  int rows = 0;
  if (subscribe) {
    TRY_OR_RESPOND(granted, crvs::ReadSubscribeResponse(message));
    TRY_OR_RESPOND(n, s.crvs->store().Grant(src->id, txn, *granted, now));
    rows = *n;
  } else {
    TRY_OR_RESPOND(codes, crvs::ReadUnsubscribeResponse(message));
    TRY_OR_RESPOND(n, s.crvs->store().Unsubscribed(src->id, txn, *codes, now));
    rows = *n;
  }
  if (rows == 0) return unknown();
  return http::JsonResponse(
      200, nlohmann::json{{"message", {{"ack_status", "ACK"}, {"timestamp", now}, {"correlation_id", req.request_id}}}}
               .dump());
}

// --- Confirming an identity (docs/crvs.md §Confirming an identity) ---

std::string PersonField(const registry::PersonRecord& p, std::string_view name) {
  const int i = registry::FieldIndex(registry::PersonFields(), name);
  if (i < 0 || static_cast<std::size_t>(i) >= p.values.size()) return "";
  return p.values[static_cast<std::size_t>(i)].value_or("");
}

// What the civil registry holds for a person of the caller's area (a sync search by the person's
// identifier), next to the social registry's record, with agreement flags. A read of a person: audited.
http::Response ConfirmIdentity(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(person_id, r.OptionalInt("person_id", 1, std::numeric_limits<long long>::max()));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*person_id)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "person_id"}}, "person_id").error());
  TRY_OR_RESPOND(all, s.crvs->store().Sources());
  auto src = SourceByCode(*all, req.Param("code"));
  if (!src)
    return http::ErrorResponse(
        Failure(Code::kNotFound, "crvs.no_such_source", {{"code", req.Param("code")}}, "code").error());
  if (!src->base_url)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "crvs.no_base_url", {{"code", src->code}}, "code").error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(person, s.registry->households.GetPerson(**person_id, actor.scope));
  if (!*person)
    return http::ErrorResponse(
        Failure(Code::kNotFound, "person.not_found", {{"id", std::to_string(**person_id)}}, "person_id").error());
  const auto& p = **person;
  // The identifier the civil registry knows: the national id, else the one a birth notification gave.
  std::string uin = PersonField(p, "national_id");
  if (const std::string ref = PersonField(p, "source_ref"); uin.empty() && ref.starts_with("CRVS:"))
    uin = ref.substr(5);
  if (uin.empty())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "crvs.no_identifier", {}, "person_id").error());
  if (auto st = AuditRequest(s, req, "view", "person", std::to_string(p.id),
                             nlohmann::json{{"crvs_search", src->code}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  std::string base = *src->base_url;
  while (base.ends_with('/')) base.pop_back();
  auto request = crvs::SearchByIdRequest(uin, core::RandomCode(kTokenChars), FormatTimestamp(s.clock.Now()));
  dci::SignEnvelope(request, s.dci_key, dci::UnixSeconds(s.clock.Now()));
  auto answer = dci::PostJsonForAnswer(base + "/registry/sync/search", request.dump(), std::chrono::seconds(5));
  if (!answer)
    return http::ErrorResponse(
        Failure(Code::kUnavailable, "crvs.registry_unavailable", {{"reason", answer.error().message}}).error());
  TRY_OR_RESPOND(civil, crvs::ReadSearchAnswer(nlohmann::json::parse(answer->body, nullptr, false)));
  crvs::RegistryFacts here{PersonField(p, "given_name_ar"),
                           PersonField(p, "family_name_ar"),
                           PersonField(p, "given_name_lat"),
                           PersonField(p, "family_name_lat"),
                           PersonField(p, "sex"),
                           PersonField(p, "birth_date"),
                           PersonField(p, "status")};
  const auto c = crvs::Compare(*civil, here);
  auto flag = [](const std::optional<bool>& b) { return b ? nlohmann::json(*b) : nlohmann::json(); };
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  nlohmann::json out{{"source", src->code},
                     {"identifier", uin},
                     {"found", c.found},
                     {"person",
                      {{"id", p.id},
                       {"given_name_ar", here.given_ar},
                       {"family_name_ar", here.family_ar},
                       {"given_name_lat", here.given_lat},
                       {"family_name_lat", here.family_lat},
                       {"sex", here.sex},
                       {"birth_date", here.birth_date},
                       {"status", here.status}}},
                     {"agreement",
                      {{"given_name", flag(c.given_name)},
                       {"family_name", flag(c.family_name)},
                       {"sex", flag(c.sex)},
                       {"birth_date", flag(c.birth_date)},
                       {"dead_in_civil_registry", c.dead_in_civil_registry},
                       {"alive_here", c.alive_here}}}};
  if (*civil) {
    const auto& cv = **civil;
    out["civil"] = {
        {"uin", opt(cv.uin)},           {"given_name", opt(cv.given_name)}, {"surname", opt(cv.surname)},
        {"sex", opt(cv.sex)},           {"birth_date", opt(cv.birth_date)}, {"death_date", opt(cv.death_date)},
        {"parent_uins", cv.parent_uins}};
  }
  return http::JsonResponse(200, out.dump());
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
  t.push_back({"POST", "/api/v1/crvs/sources/:code/subscribe", P::kUsersManage,
               [&s](http::Request& req) { return Subscribe(s, req); }});
  t.push_back({"POST", "/api/v1/crvs/sources/:code/unsubscribe", P::kUsersManage,
               [&s](http::Request& req) { return Unsubscribe(s, req); }});
  t.push_back({"GET", "/api/v1/crvs/sources/:code/subscriptions", P::kUsersManage, [&s](http::Request& req) {
                 auto all = s.crvs->store().Sources();
                 if (!all) return http::ErrorResponse(all.error());
                 auto src = SourceByCode(*all, req.Param("code"));
                 if (!src)
                   return http::ErrorResponse(
                       Failure(Code::kNotFound, "crvs.no_such_source", {{"code", req.Param("code")}}, "code").error());
                 auto subs = s.crvs->store().Subscriptions(src->id);
                 if (!subs) return http::ErrorResponse(subs.error());
                 return http::JsonResponse(200, nlohmann::json{{"items", SubscriptionsJson(*subs)}}.dump());
               }});
  // The registries a caseworker may ask (those with an API address): code and name only.
  t.push_back({"GET", "/api/v1/crvs/registries", P::kRegistryRead, [&s](http::Request&) {
                 auto all = s.crvs->store().Sources();
                 if (!all) return http::ErrorResponse(all.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& src : *all) {
                   if (src.base_url) items.push_back({{"code", src.code}, {"name", src.name}});
                 }
                 return http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
               }});
  t.push_back({"POST", "/api/v1/crvs/sources/:code/search", P::kRegistryRead,
               [&s](http::Request& req) { return ConfirmIdentity(s, req); }});
  t.push_back({"POST", "/dci/crvs/:code/registry/on-subscribe", P::kPublic,
               [&s](http::Request& req) { return OnSubscription(s, req, true); }});
  t.push_back({"POST", "/dci/crvs/:code/registry/on-unsubscribe", P::kPublic,
               [&s](http::Request& req) { return OnSubscription(s, req, false); }});
}

}  // namespace sanad::api
