// The SPDCI social-registry API (spec social_api_v1.0.0.yaml) under /dci/registry/…, for partner
// systems (a social-security fund, a programme MIS), and the registration of partners under
// /api/v1/dci/partners (docs/dci.md).
//
// Envelope: {"signature", "header": {version, message_id, message_ts, action, sender_id, sender_uri,
// total_count, …}, "message": {…}}. An envelope that cannot be read is refused with HTTP 400, a header
// status rjct with the protocol's reason code and a message of the answer's shape, plus the spec's
// HttpErrorResponse `errors` list. The async endpoints (search, subscribe, unsubscribe, txn/status)
// acknowledge at once ({"message": {"ack_status": "ACK", "timestamp", "correlation_id"}}) once the
// answer's callback is durable in the outbox (dci/dci_store.h); the outbox worker sends it to the
// partner's registered callback URL.
//
// Partners: a partner_system account may use the sync search unregistered (its area scope applies);
// the async endpoints need a registration (callback URL). A registered partner that must sign has each
// message's signature verified with its Ed25519 key (dci/signature.h); an unsigned or badly signed
// message is refused (err.signature.missing / err.signature.invalid). Any partner's message that carries
// a signature in the spec's "Signature: …" form is verified too when a key is registered.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <variant>

#include "api/dci_search.h"
#include "api/services.h"
#include "dci/signature.h"
#include "http/json_input.h"
#include "http/pipeline.h"

namespace sanad::api {

namespace {

using Json = nlohmann::json;
using dci_search::Member;
using dci_search::Str;

// Every envelope answered over the partner's own connection — sync search, sync txn status, the ACK of
// an async request, a refusal — goes out through here: signed with Sanad's key when the deployment has
// one (dci::SignEnvelope, as the outbox signs callbacks; docs/dci.md "Signatures"), so a partner
// verifies an answer exactly as it verifies a callback. A refusal's HttpErrorResponse `errors` list
// lies outside header and message, so outside the signature; an ACK has no header (the spec's
// Response), so its signature covers its message alone.
http::Response SignedAnswer(const Services& s, int status, Json envelope) {
  dci::SignEnvelope(envelope, s.dci_key, dci::UnixSeconds(s.clock.Now()));
  return http::JsonResponse(status, http::JsonText(envelope));
}

// The callback path of each async action (the suite's and the spec's on-… endpoints).
std::string CallbackPath(const std::string& action) {
  if (action == "search") return "/registry/on-search";
  if (action == "subscribe") return "/registry/on-subscribe";
  if (action == "unsubscribe") return "/registry/on-unsubscribe";
  if (action == "txn-status") return "/registry/txn/on-status";
  return "/registry/notify";
}

std::string CallbackAction(const std::string& action) {
  if (action == "txn-status") return "txn-on-status";
  return "on-" + action;
}

// Where a callback goes: the header's sender_uri when it lies under the partner's registered URL (so a
// partner cannot make Sanad post to any address), else the registered URL and the action's path.
std::string CallbackUrl(const dci::Partner& p, const Json& header, const std::string& action) {
  std::string base = p.callback_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto uri = Str(header, "sender_uri");
  if (uri && !uri->empty() && (uri->starts_with(base + "/") || *uri == base)) return *uri;
  return base + CallbackPath(action);
}

struct Rejection {
  int http = 400;
  std::string code;  // rjct.* (header reason) or err.* (communication error)
  std::string message;
};

Json ResponseHeader(const Json& in_header, const std::string& action, const std::string& status, std::size_t total,
                    const Clock& clock) {
  return {{"version", "1.0.0"},
          {"message_id", http::Pipeline::NewRequestId()},
          {"message_ts", FormatTimestamp(clock.Now())},
          {"action", action},
          {"status", status},
          {"total_count", total},
          {"completed_count", total},
          {"sender_id", "sanad"},
          {"receiver_id", Str(in_header, "sender_id").value_or("")},
          {"is_msg_encrypted", false}};
}

// A refused envelope: the header's reason code, a message of the answer's shape (the list empty) and the
// HttpErrorResponse list, so that clients reading either find the code.
http::Response Refuse(const Json& body, const std::string& answer_action, const std::string& list_key,
                      const Rejection& r, const std::string& correlation_id, const Services& s) {
  const Clock& clock = s.clock;
  const Json& header = Member(body, "header");
  const Json& message = Member(body, "message");
  Json h = ResponseHeader(header, answer_action, "rjct", 0, clock);
  h["status_reason_code"] = r.code;
  h["status_reason_message"] = r.message;
  if (header.is_object() && header.contains("total_count") && header["total_count"].is_number_integer())
    h["total_count"] = header["total_count"];
  h["completed_count"] = 0;
  Json m{{"transaction_id", Str(message, "transaction_id").value_or("").substr(0, 99)},
         {"correlation_id", correlation_id}};
  if (!list_key.empty()) m[list_key] = Json::array();
  Json out{{"signature", ""},
           {"header", h},
           {"message", m},
           {"errors", Json::array({{{"code", r.code}, {"message", r.message}}})}};
  return SignedAnswer(s, r.http, std::move(out));
}

// Checks the header of an envelope sent to an endpoint of `action`.
std::optional<Rejection> CheckHeader(const Json& body, const std::string& action) {
  const Json& header = Member(body, "header");
  if (!header.is_object()) return Rejection{400, "rjct.action.invalid", "the envelope needs a header object"};
  auto version = Str(header, "version", "1.0.0");
  if (!version || !version->starts_with("1."))
    return Rejection{400, "rjct.version.invalid", "header.version must be a string 1.x"};
  auto message_id = Str(header, "message_id");
  if (!message_id || message_id->empty())
    return Rejection{400, "err.request.bad", "header.message_id is required (a string)"};
  auto message_ts = Str(header, "message_ts");
  if (!message_ts || message_ts->empty())
    return Rejection{400, "rjct.message_ts.invalid", "header.message_ts is required (an ISO 8601 date-time)"};
  auto got = Str(header, "action");
  if (!got || *got != action)
    return Rejection{400, "rjct.action.invalid", fmt::format("header.action must be '{}' on this endpoint", action)};
  if (!Str(header, "sender_id")) return Rejection{400, "err.sender_id.invalid", "header.sender_id must be a string"};
  if (!Str(header, "receiver_id"))
    return Rejection{400, "err.receiver_id.invalid", "header.receiver_id must be a string"};
  if (header.contains("is_msg_encrypted") && !header["is_msg_encrypted"].is_null()) {
    if (!header["is_msg_encrypted"].is_boolean())
      return Rejection{400, "err.request.bad", "header.is_msg_encrypted must be a boolean"};
    if (header["is_msg_encrypted"].get<bool>())
      return Rejection{400, "rjct.action.not_supported", "encrypted messages are not supported"};
  }
  const Json& message = Member(body, "message");
  auto transaction_id = Str(message, "transaction_id");
  if (!message.is_object() || !transaction_id || transaction_id->empty() || transaction_id->size() > 99)
    return Rejection{400, "err.request.bad", "message.transaction_id is required (a string of at most 99 characters)"};
  return std::nullopt;
}

// The partner's registration and, when it must sign (or signed in the spec's form), the signature.
Result<std::optional<Rejection>> CheckPartner(Services& s, const http::Request& req, const Json& body,
                                              std::optional<dci::Partner>& partner, bool needs_registration) {
  auto found = s.dci->GetPartner(req.principal ? req.principal->user.username : "");
  if (!found) return std::unexpected(found.error());
  partner = *found;
  if (!partner) {
    if (needs_registration)
      return std::optional<Rejection>(
          Rejection{403, "err.sender_id.invalid", "this account is not registered as a DCI partner (callback URL)"});
    return std::optional<Rejection>();
  }
  const std::string signature = Str(body, "signature").value_or("");
  const bool spec_form = signature.starts_with("Signature:");
  if (!partner->must_sign && !spec_form) return std::optional<Rejection>();
  if (signature.empty())
    return std::optional<Rejection>(Rejection{401, "err.signature.missing", "this partner must sign its messages"});
  auto now = std::chrono::duration_cast<std::chrono::seconds>(s.clock.Now().time_since_epoch()).count();
  if (auto ok = dci::Verify(body, signature, partner->public_key.value_or(""), now); !ok)
    return std::optional<Rejection>(Rejection{401, "err.signature.invalid", ok.error().message});
  return std::optional<Rejection>();
}

// Why the partner queries (spec consent / authorize purpose, or header.meta.purpose), for the audit.
Json Purpose(const Json& header, const Json& requests) {
  Json purposes = Json::array();
  auto add = [&](const Json& holder) {
    if (!holder.is_object()) return;
    for (const char* key : {"consent", "authorize"}) {
      if (holder.contains(key) && holder[key].is_object() && holder[key].contains("purpose"))
        purposes.push_back(holder[key]["purpose"]);
    }
  };
  if (header.is_object() && header.contains("meta") && header["meta"].is_object() && header["meta"].contains("purpose"))
    purposes.push_back(header["meta"]["purpose"]);
  if (requests.is_array()) {
    for (const auto& r : requests)
      if (r.is_object() && r.contains("search_criteria")) add(r["search_criteria"]);
  }
  return purposes.empty() ? Json("not stated") : purposes;
}

struct SearchOutcome {
  Json message;  // SearchResponse
  std::size_t total = 0, succ = 0;
};

// Answers the search requests of `body` (already checked); a refusal of the list itself is returned as
// a Rejection.
Result<std::variant<SearchOutcome, Rejection>> RunSearch(Services& s, const http::Request& req, const Json& body,
                                                         const std::optional<dci::Partner>& partner,
                                                         const std::string& correlation_id) {
  const Json& header = body["header"];
  const Json& message = body["message"];
  auto requests = message.find("search_request");
  if (requests == message.end() || !requests->is_array() || requests->empty())
    return Rejection{400, "rjct.total_count.invalid", "message.search_request must be a non-empty list"};
  if (requests->size() > 100)
    return Rejection{400, "rjct.total_count.limit_exceeded", "at most 100 search requests per message"};
  if (header.contains("total_count") && !header["total_count"].is_null() &&
      (!header["total_count"].is_number_integer() ||
       header["total_count"].get<long long>() != static_cast<long long>(requests->size()))) {
    return Rejection{400, "rjct.total_count.invalid", "header.total_count must equal the number of search requests"};
  }
  registry::Actor actor = ActorOf(s, req);
  std::vector<std::string> allowed;
  if (partner) allowed = partner->record_types;
  SearchOutcome out;
  Json responses = Json::array();
  std::set<std::string> references;
  for (const auto& item : *requests) {
    Json r;
    std::string ref = Str(item, "reference_id").value_or("");
    if (!ref.empty() && !references.insert(ref).second) {
      r = {{"reference_id", ref},
           {"timestamp", FormatTimestamp(s.clock.Now())},
           {"status", "rjct"},
           {"status_reason_code", "rjct.reference_id.duplicate"},
           {"status_reason_message", "reference_id repeats in this message"}};
    } else {
      auto answered = dci_search::Answer(s, actor, item, allowed);
      if (!answered) return std::unexpected(answered.error());
      r = std::move(*answered);
    }
    out.succ += r["status"] == "succ";
    responses.push_back(std::move(r));
  }
  if (auto st = AuditRequest(s, req, "search", "person", "",
                             http::JsonText(Json{{"api", "dci"},
                                                 {"transaction_id", message["transaction_id"]},
                                                 {"correlation_id", correlation_id},
                                                 {"requests", requests->size()},
                                                 {"purpose", Purpose(header, *requests)}}));
      !st) {
    return std::unexpected(st.error());
  }
  out.total = responses.size();
  out.message = {{"transaction_id", message["transaction_id"]},
                 {"correlation_id", correlation_id},
                 {"search_response", std::move(responses)}};
  return out;
}

Json Ack(const std::string& correlation_id, const Clock& clock) {
  return {{"signature", ""},
          {"message",
           {{"ack_status", "ACK"}, {"timestamp", FormatTimestamp(clock.Now())}, {"correlation_id", correlation_id}}}};
}

// Queues the callback envelope {header, message} of an async request with its transaction, then ACKs.
http::Response AcceptAsync(Services& s, const dci::Partner& partner, const Json& body, const std::string& action,
                           const std::string& correlation_id, const Json& answer, const std::string& status,
                           std::size_t total, const Json& references) {
  const Json& header = body["header"];
  Json envelope{{"signature", ""},
                {"header", ResponseHeader(header, CallbackAction(action), status, total, s.clock)},
                {"message", answer}};
  const std::string now = FormatTimestamp(s.clock.Now());
  dci::Transaction t{partner.account,
                     body["message"]["transaction_id"].get<std::string>(),
                     correlation_id,
                     action,
                     http::JsonText(references),
                     status,
                     http::JsonText(answer),
                     now};
  dci::OutboxItem item;
  item.partner = partner.account;
  item.url = CallbackUrl(partner, header, action);
  item.action = CallbackAction(action);
  item.body = http::JsonText(envelope);
  if (auto id = s.dci->Accept(t, item, now); !id) return http::ErrorResponse(id.error());
  if (s.dci_poke) s.dci_poke();
  return SignedAnswer(s, 200, Ack(correlation_id, s.clock));
}

// The answer of a txn/status request: the stored answer of the transaction asked about.
std::variant<Json, Rejection> TxnStatusAnswer(Services& s, const dci::Partner* partner, const std::string& account,
                                              const Json& message, const std::string& correlation_id) {
  const Json& q = Member(message, "txnstatus_request");
  auto type = Str(q, "txn_type"), attribute = Str(q, "attribute_type");
  if (!q.is_object() || !type || !attribute || type->empty() || attribute->empty() || !q.contains("attribute_value"))
    return Rejection{400, "err.request.bad",
                     "message.txnstatus_request needs reference_id, txn_type, attribute_type and attribute_value"};
  if (*attribute != "transaction_id" && *attribute != "correlation_id" && *attribute != "reference_id_list")
    return Rejection{400, "err.request.bad",
                     "attribute_type must be transaction_id, correlation_id or reference_id_list"};
  const Json& value = q["attribute_value"];
  std::string key;
  if (value.is_string()) {
    key = value.get<std::string>();
  } else if (value.is_array() && !value.empty() && value[0].is_string()) {
    key = value[0].get<std::string>();
  } else {
    return Rejection{400, "err.request.bad", "attribute_value must be a string or a list of reference ids"};
  }
  (void)partner;
  auto found = s.dci->FindTransaction(account, *attribute, key);
  Json status_answer;
  if (!found) return Rejection{503, "err.service.unavailable", "the transactions cannot be read now"};
  if (*found) {
    auto stored = Json::parse((*found)->response.value_or("{}"), nullptr, false);
    status_answer = stored.is_discarded() ? Json::object() : stored;
  } else {
    // Unknown to this registry: an answer of the search shape with nothing in it (the spec has no reason
    // code for it at this level).
    status_answer = {{"transaction_id", key}, {"correlation_id", ""}, {"search_response", Json::array()}};
  }
  return Json{{"transaction_id", message["transaction_id"]},
              {"correlation_id", correlation_id},
              {"txnstatus_response", {{"txn_type", *type}, {"txn_status", status_answer}}}};
}

// Event types a subscription may name (docs/dci.md): spec's REGISTER / NewHouseHoldMember and
// Sanad's UPDATE, EXIT, DEATH, MERGE; ALL for every one.
std::optional<std::string> EventType(std::string t) {
  if (auto colon = t.rfind(':'); colon != std::string::npos) t = t.substr(colon + 1);
  static const std::set<std::string> kTypes{"REGISTER", "NewHouseHoldMember", "UPDATE", "EXIT", "DEATH", "MERGE",
                                            "ALL"};
  for (const auto& k : kTypes) {
    std::string a = k, b = t;
    for (auto& c : a) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (auto& c : b) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (a == b) return k;
  }
  return std::nullopt;
}

// A parsed request body, or the error answer.

}  // namespace

void AddDciRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // Sanad's public key, for partners and civil registries verifying what Sanad sends (kidId
  // "sanad|{key_id}|ed25519"). Public: a public key is no secret, and a partner fetches it before it has
  // an account. 404 when the deployment has no signing key (its messages are unsigned).
  t.push_back({"GET", "/dci/public-key", P::kPublic, [&s](http::Request&) {
                 if (!s.dci_key) return http::ErrorResponse(Failure(Code::kNotFound, "dci.no_signing_key").error());
                 return http::JsonResponse(200, Json{{"key_id", s.dci_key->key_id},
                                                     {"kid", s.dci_key->Kid()},
                                                     {"algorithm", "ed25519"},
                                                     {"public_key", s.dci_key->pair.public_key}}
                                                    .dump());
               }});
  t.push_back({"POST", "/dci/registry/sync/search", P::kPartnerSearch,
               [&s](http::Request& req) {
                 auto body = http::ParseJsonObject(req);
                 if (!body) return http::ErrorResponse(body.error());
                 const std::string correlation_id = req.request_id;
                 if (auto r = CheckHeader(*body, "search"))
                   return Refuse(*body, "on-search", "search_response", *r, correlation_id, s);
                 std::optional<dci::Partner> partner;
                 auto checked = CheckPartner(s, req, *body, partner, false);
                 if (!checked) return http::ErrorResponse(checked.error());
                 if (*checked) return Refuse(*body, "on-search", "search_response", **checked, correlation_id, s);
                 auto ran = RunSearch(s, req, *body, partner, correlation_id);
                 if (!ran) return http::ErrorResponse(ran.error());
                 if (auto* r = std::get_if<Rejection>(&*ran))
                   return Refuse(*body, "on-search", "search_response", *r, correlation_id, s);
                 auto& outcome = std::get<SearchOutcome>(*ran);
                 Json out{{"signature", ""},
                          {"header", ResponseHeader((*body)["header"], "on-search", outcome.succ == 0 ? "rjct" : "succ",
                                                    outcome.total, s.clock)},
                          {"message", std::move(outcome.message)}};
                 return SignedAnswer(s, 200, std::move(out));
               },
               1 << 20});

  t.push_back({"POST", "/dci/registry/search", P::kPartnerSearch,
               [&s](http::Request& req) {
                 auto body = http::ParseJsonObject(req);
                 if (!body) return http::ErrorResponse(body.error());
                 const std::string correlation_id = req.request_id;
                 if (auto r = CheckHeader(*body, "search"))
                   return Refuse(*body, "on-search", "search_response", *r, correlation_id, s);
                 std::optional<dci::Partner> partner;
                 auto checked = CheckPartner(s, req, *body, partner, true);
                 if (!checked) return http::ErrorResponse(checked.error());
                 if (*checked) return Refuse(*body, "on-search", "search_response", **checked, correlation_id, s);
                 auto ran = RunSearch(s, req, *body, partner, correlation_id);
                 if (!ran) return http::ErrorResponse(ran.error());
                 if (auto* r = std::get_if<Rejection>(&*ran))
                   return Refuse(*body, "on-search", "search_response", *r, correlation_id, s);
                 auto& outcome = std::get<SearchOutcome>(*ran);
                 Json refs = Json::array();
                 for (const auto& r : outcome.message["search_response"]) refs.push_back(r.value("reference_id", ""));
                 return AcceptAsync(s, *partner, *body, "search", correlation_id, outcome.message,
                                    outcome.succ == 0 ? "rjct" : "succ", outcome.total, refs);
               },
               1 << 20});

  t.push_back({"POST", "/dci/registry/subscribe", P::kPartnerSearch,
               [&s](http::Request& req) {
                 auto body = http::ParseJsonObject(req);
                 if (!body) return http::ErrorResponse(body.error());
                 const std::string correlation_id = req.request_id;
                 if (auto r = CheckHeader(*body, "subscribe"))
                   return Refuse(*body, "on-subscribe", "subscribe_response", *r, correlation_id, s);
                 std::optional<dci::Partner> partner;
                 auto checked = CheckPartner(s, req, *body, partner, true);
                 if (!checked) return http::ErrorResponse(checked.error());
                 if (*checked) return Refuse(*body, "on-subscribe", "subscribe_response", **checked, correlation_id, s);
                 const Json& message = (*body)["message"];
                 auto list = message.find("subscribe_request");
                 if (list == message.end() || !list->is_array() || list->empty() || list->size() > 100) {
                   return Refuse(*body, "on-subscribe", "subscribe_response",
                                 {400, "rjct.total_count.invalid", "message.subscribe_request must be a list of 1–100"},
                                 correlation_id, s);
                 }
                 auto from = s.dci_feed_position ? s.dci_feed_position() : Result<std::int64_t>(0);
                 if (!from) return http::ErrorResponse(from.error());
                 registry::Actor actor = ActorOf(s, req);
                 const std::string now = FormatTimestamp(s.clock.Now());
                 Json responses = Json::array(), refs = Json::array();
                 std::vector<dci::Subscription> created;
                 std::set<std::string> references;
                 std::size_t succ = 0;
                 for (const auto& item : *list) {
                   const std::string ref = Str(item, "reference_id").value_or("");
                   Json r{{"reference_id", ref}, {"timestamp", now}};
                   refs.push_back(ref);
                   auto reject = [&](const char* code, const std::string& text) {
                     r["status"] = "rjct";
                     r["status_reason_code"] = code;
                     r["status_reason_message"] = text;
                   };
                   const Json crit =
                       item.is_object() && item.contains("subscribe_criteria") ? item["subscribe_criteria"] : Json();
                   auto event = Str(crit, "reg_event_type");
                   auto record_type = Str(crit, "notify_record_type", "Person");
                   auto locale = Str(item, "locale", "eng");
                   std::optional<std::string> type = event ? EventType(*event) : std::nullopt;
                   if (ref.empty()) {
                     reject("rjct.reference_id.invalid", "reference_id must be a non-empty string");
                   } else if (!references.insert(ref).second) {
                     reject("rjct.reference_id.duplicate", "reference_id repeats in this message");
                   } else if (!crit.is_object() || !type) {
                     reject("rjct.notify_types.invalid",
                            "subscribe_criteria.reg_event_type must be REGISTER, NewHouseHoldMember, UPDATE, EXIT, "
                            "DEATH, MERGE or ALL");
                   } else if (!record_type || !locale) {
                     reject("rjct.notify_details.invalid", "notify_record_type and locale must be strings");
                   } else {
                     const std::string rt = record_type->find("roup") != std::string::npos ||
                                                    record_type->find("ousehold") != std::string::npos
                                                ? "Group"
                                                : "Person";
                     if (!partner->Allows(rt)) {
                       reject("rjct.notify_details.invalid",
                              fmt::format("this partner is not registered to receive {} records", rt));
                     } else {
                       dci::Subscription sub{"SUB-" + http::Pipeline::NewRequestId(),
                                             partner->account,
                                             *type,
                                             rt,
                                             actor.scope.area.value_or(""),
                                             *locale,
                                             "subscribe",
                                             *from,
                                             now};
                       created.push_back(sub);
                       r["status"] = "succ";
                       r["subscriptions"] = Json::array({{{"code", sub.code},
                                                          {"status", "subscribe"},
                                                          {"timestamp", now},
                                                          {"reg_type", dci_search::kRegType},
                                                          {"reg_event_type", *type},
                                                          {"notify_record_type", rt},
                                                          {"locale", *locale}}});
                       ++succ;
                     }
                   }
                   responses.push_back(r);
                 }
                 auto saved = s.db.InTransaction<int>([&](db::Session& session) -> Result<int> {
                   for (const auto& sub : created)
                     if (auto st = s.dci->AddSubscriptionIn(session, sub); !st) return std::unexpected(st.error());
                   return 0;
                 });
                 if (!saved) return http::ErrorResponse(saved.error());
                 Json answer{{"transaction_id", message["transaction_id"]},
                             {"correlation_id", correlation_id},
                             {"subscribe_response", responses}};
                 return AcceptAsync(s, *partner, *body, "subscribe", correlation_id, answer, succ ? "succ" : "rjct",
                                    responses.size(), refs);
               },
               1 << 20});

  t.push_back({"POST", "/dci/registry/unsubscribe", P::kPartnerSearch,
               [&s](http::Request& req) {
                 auto body = http::ParseJsonObject(req);
                 if (!body) return http::ErrorResponse(body.error());
                 const std::string correlation_id = req.request_id;
                 if (auto r = CheckHeader(*body, "unsubscribe"))
                   return Refuse(*body, "on-unsubscribe", "", *r, correlation_id, s);
                 std::optional<dci::Partner> partner;
                 auto checked = CheckPartner(s, req, *body, partner, true);
                 if (!checked) return http::ErrorResponse(checked.error());
                 if (*checked) return Refuse(*body, "on-unsubscribe", "", **checked, correlation_id, s);
                 const Json& message = (*body)["message"];
                 auto codes = message.find("subscription_codes");
                 if (codes == message.end() || !codes->is_array() || codes->empty() || codes->size() > 100) {
                   return Refuse(*body, "on-unsubscribe", "",
                                 {400, "err.request.bad", "message.subscription_codes must be a list of 1–100 codes"},
                                 correlation_id, s);
                 }
                 const std::string now = FormatTimestamp(s.clock.Now());
                 Json statuses = Json::array();
                 std::vector<std::string> to_end;
                 std::string reason;
                 for (const auto& c : *codes) {
                   if (!c.is_string()) {
                     reason = "rjct.subscription_code.invalid";
                     continue;
                   }
                   auto sub = s.dci->GetSubscription(c.get<std::string>());
                   if (!sub) return http::ErrorResponse(sub.error());
                   // Another partner's code is answered like an unknown one.
                   if (!*sub || (*sub)->partner != partner->account) {
                     reason = "rjct.subscription_code.invalid";
                     continue;
                   }
                   if ((*sub)->status == "unsubscribe") {
                     reason = "rjct.event.already_unsubscribed";
                   } else {
                     to_end.push_back((*sub)->code);
                   }
                   statuses.push_back({{"code", (*sub)->code}, {"status", "unsubscribe"}});
                 }
                 auto saved = s.db.InTransaction<int>([&](db::Session& session) -> Result<int> {
                   for (const auto& code : to_end)
                     if (auto st = s.dci->EndSubscriptionIn(session, code, now); !st)
                       return std::unexpected(st.error());
                   return 0;
                 });
                 if (!saved) return http::ErrorResponse(saved.error());
                 Json answer{{"transaction_id", message["transaction_id"]},
                             {"correlation_id", correlation_id},
                             {"timestamp", now},
                             {"status", to_end.empty() ? "rjct" : "succ"},
                             {"subscription_status", statuses}};
                 if (to_end.empty()) {
                   answer["status_reason_code"] = reason.empty() ? "rjct.subscription_code.invalid" : reason;
                   answer["status_reason_message"] = "no subscription of this partner was ended";
                 }
                 return AcceptAsync(s, *partner, *body, "unsubscribe", correlation_id, answer,
                                    to_end.empty() ? "rjct" : "succ", codes->size(), Json::array());
               },
               1 << 20});

  auto txn_status = [&s](bool sync) {
    return [&s, sync](http::Request& req) {
      auto body = http::ParseJsonObject(req);
      if (!body) return http::ErrorResponse(body.error());
      const std::string correlation_id = req.request_id;
      if (auto r = CheckHeader(*body, "txn-status")) return Refuse(*body, "txn-on-status", "", *r, correlation_id, s);
      std::optional<dci::Partner> partner;
      auto checked = CheckPartner(s, req, *body, partner, !sync);
      if (!checked) return http::ErrorResponse(checked.error());
      if (*checked) return Refuse(*body, "txn-on-status", "", **checked, correlation_id, s);
      const std::string account = req.principal ? req.principal->user.username : "";
      auto answer = TxnStatusAnswer(s, partner ? &*partner : nullptr, account, (*body)["message"], correlation_id);
      if (auto* r = std::get_if<Rejection>(&answer)) return Refuse(*body, "txn-on-status", "", *r, correlation_id, s);
      const Json& a = std::get<Json>(answer);
      if (auto st =
              AuditRequest(s, req, "search", "dci_transaction", "",
                           http::JsonText(Json{{"api", "dci"}, {"txn_status", (*body)["message"]["transaction_id"]}}));
          !st) {
        return http::ErrorResponse(st.error());
      }
      if (sync) {
        Json out{{"signature", ""},
                 {"header", ResponseHeader((*body)["header"], "txn-on-status", "succ", 1, s.clock)},
                 {"message", a}};
        return SignedAnswer(s, 200, std::move(out));
      }
      return AcceptAsync(s, *partner, *body, "txn-status", correlation_id, a, "succ", 1, Json::array());
    };
  };
  t.push_back({"POST", "/dci/registry/txn/status", P::kPartnerSearch, txn_status(false), 1 << 20});
  t.push_back({"POST", "/dci/registry/sync/txn/status", P::kPartnerSearch, txn_status(true), 1 << 20});
}

}  // namespace sanad::api
