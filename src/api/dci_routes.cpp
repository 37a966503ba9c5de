// POST /dci/registry/sync/search: the social registry seen through the SPDCI "Digital Convergence
// Initiative" registry API, for partner systems (a social-security fund, a programme MIS).
//
// Envelope: {"signature", "header": {version, message_id, message_ts, action: "search", sender_id,
// total_count, …}, "message": {"transaction_id", "search_request": [{reference_id, timestamp,
// search_criteria: {reg_type, reg_record_type, query_type, query, pagination}, locale}]}}.
// query_type "idtype-value": {"type": national_id|phone|record_id, "value"}; "predicate": a list (or a
// single object) of {"expression1": {attribute_name, operator, attribute_value}, "condition": "and",
// "expression2": {…}}. Each request is answered on its own with status succ or rjct and a reason code;
// an envelope that cannot be read is refused as a whole with the header reason codes of the standard.
// Results are limited to the caller's area scope, like every other read.
#include <fmt/format.h>
#include <set>

#include "api/person_query.h"
#include "api/registry_json.h"
#include "api/services.h"
#include "http/json_input.h"
#include "http/pipeline.h"

namespace sanad::api {

namespace {

using Json = nlohmann::json;

constexpr const char* kRegType = "ns:org:RegistryType:Social";

// Registry type spellings seen in DCI implementations, all meaning this social registry.
bool SocialRegType(const std::string& t) {
  std::string l;
  for (char c : t) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return l.empty() || l == "ns:org:registrytype:social" || l == "social_registry" || l == "social" || l == "sr" ||
         l == "socialregistry" || l == "ns:org:registrytype:socialregistry";
}

// Person unless the caller asks for groups/households.
bool HouseholdRecordType(const std::string& t) {
  std::string l;
  for (char c : t) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return l.find("group") != std::string::npos || l.find("household") != std::string::npos;
}

// A member of an object as text: its value, `fallback` when absent or null, nullopt when it has another
// type (the envelope is refused or the request rejected with the field's reason code).
std::optional<std::string> Str(const Json& obj, const char* key, const std::string& fallback = "") {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Json HeaderReject(const Json& in_header, const std::string& code, const std::string& message) {
  Json total = 0;
  if (in_header.is_object() && in_header.contains("total_count") && in_header["total_count"].is_number_integer()) {
    total = in_header["total_count"];
  }
  return {{"signature", ""},
          {"header",
           {{"version", "1.0.0"},
            {"message_id", http::Pipeline::NewRequestId()},
            {"message_ts", FormatTimestamp(std::chrono::system_clock::now())},
            {"action", "on-search"},
            {"status", "rjct"},
            {"status_reason_code", code},
            {"status_reason_message", message},
            {"total_count", total},
            {"completed_count", 0},
            {"sender_id", "sanad"},
            {"receiver_id", Str(in_header, "sender_id").value_or("")},
            {"is_msg_encrypted", false}}},
          {"message", Json::object()}};
}

Json PersonRecordJson(const registry::PersonRecord& p, const std::string& locale) {
  Json all = PersonJson(p);
  Json ids = Json::array();
  ids.push_back({{"identifier_type", "record_id"}, {"identifier_value", all["record_id"]}});
  if (!all["national_id"].is_null())
    ids.push_back({{"identifier_type", "national_id"}, {"identifier_value", all["national_id"]}});
  bool arabic = locale == "ara" || locale == "ar";
  auto pick = [&](const char* ar, const char* lat) {
    const Json& first = arabic ? all[ar] : all[lat];
    return first.is_null() ? (arabic ? all[lat] : all[ar]) : first;
  };
  return {{"identifier", ids},
          {"name",
           {{"given_name", pick("given_name_ar", "given_name_lat")},
            {"surname", pick("family_name_ar", "family_name_lat")},
            {"given_name_ar", all["given_name_ar"]},
            {"surname_ar", all["family_name_ar"]},
            {"given_name_lat", all["given_name_lat"]},
            {"surname_lat", all["family_name_lat"]}}},
          {"sex", all["sex"]},
          {"birth_date", all["birth_date"]},
          {"phone_number", all["phone"]},
          {"marital_status", all["marital_status"]},
          {"disability_percent", all["disability_percent"]},
          {"relationship_to_head", all["relationship"]},
          {"household_id", p.household_id},
          {"status", all["status"]}};
}

// One search_request → its response object. Errors: only failures of the server itself (the database),
// which the caller answers as an HTTP error; everything about the request is a rjct answer.
Result<Json> Answer(Services& s, const registry::Actor& actor, const Json& item) {
  Json out{{"reference_id", Str(item, "reference_id").value_or("")}, {"timestamp", FormatTimestamp(s.clock.Now())}};
  auto reject = [&](const std::string& code, const std::string& message) {
    out["status"] = "rjct";
    out["status_reason_code"] = code;
    out["status_reason_message"] = message;
    return out;
  };
  if (!item.is_object()) return reject("rjct.search_criteria.invalid", "each search_request must be an object");
  auto ref = Str(item, "reference_id");
  if (!ref || ref->empty()) return reject("rjct.reference_id.invalid", "reference_id must be a non-empty string");
  if (!Str(item, "timestamp")) return reject("rjct.timestamp.invalid", "timestamp must be an ISO 8601 string");
  auto locale = Str(item, "locale", "eng");
  if (!locale) return reject("rjct.locale.invalid", "locale must be a string (eng, fra, ara)");
  out["locale"] = *locale;
  auto crit_it = item.find("search_criteria");
  if (crit_it == item.end() || !crit_it->is_object())
    return reject("rjct.search_criteria.invalid", "search_criteria must be an object");
  const Json& crit = *crit_it;
  auto reg_type = Str(crit, "reg_type");
  if (!reg_type || !SocialRegType(*reg_type)) {
    return reject("rjct.search_criteria.invalid", fmt::format("this registry answers reg_type {}", kRegType));
  }
  auto record_type = Str(crit, "reg_record_type", "Person");
  if (!record_type) return reject("rjct.search_criteria.invalid", "reg_record_type must be a string");
  int page_size = 100, page_number = 1;
  if (crit.contains("pagination") && !crit["pagination"].is_null()) {
    const Json& pg = crit["pagination"];
    auto int_or = [&](const char* key, long long fallback) -> std::optional<long long> {
      if (!pg.contains(key) || pg[key].is_null()) return fallback;
      if (!pg[key].is_number_integer()) return std::nullopt;
      if (pg[key].is_number_unsigned() && pg[key].get<unsigned long long>() > 1'000'000) return 1'000'001;
      return pg[key].get<long long>();
    };
    auto size = pg.is_object() ? int_or("page_size", 100) : std::nullopt;
    auto number = pg.is_object() ? int_or("page_number", 1) : std::nullopt;
    if (!size || !number)
      return reject("rjct.pagination.invalid", "pagination needs integer page_size and page_number");
    if (*size < 1 || *size > 1000 || *number < 1 || *number > 100000) {
      return reject("rjct.pagination.invalid", "page_size must be 1–1000 and page_number 1–100000");
    }
    page_size = static_cast<int>(*size);
    page_number = static_cast<int>(*number);
  }
  auto query_type = Str(crit, "query_type");
  if (!query_type)
    return reject("rjct.search_criteria.invalid", "query_type must be a string (idtype-value, predicate)");
  const Json query = crit.contains("query") ? crit["query"] : Json();
  registry::SearchFilter f;
  f.limit = page_size;
  f.offset = (page_number - 1) * page_size;
  std::optional<std::string> name_query, phone;
  if (*query_type == "idtype-value") {
    auto type = Str(query, "type"), value = Str(query, "value");
    if (!query.is_object() || !type || !value || type->empty() || value->empty()) {
      return reject("rjct.search_criteria.invalid",
                    "idtype-value needs a query {\"type\", \"value\"} of non-empty strings");
    }
    if (*type == "national_id" || *type == "NIN" || *type == "CIN" || *type == "UIN") {
      f.national_id = NationalIdQuery(*value);
    } else if (*type == "phone" || *type == "phone_number") {
      phone = *value;
    } else if (*type == "record_id") {
      auto id = s.registry->households.PersonIdByRecordId(*value);
      if (!id) return std::unexpected(id.error());
      f.person_ids.emplace();
      if (*id) f.person_ids->push_back(**id);
    } else {
      return reject("rjct.search_criteria.invalid",
                    fmt::format("unsupported id type '{}': use national_id, phone or record_id", *type));
    }
  } else if (*query_type == "predicate") {
    // Accept a single predicate object as well as the standard list.
    Json list = query.is_array() ? query : Json::array({query});
    if (list.empty()) return reject("rjct.search_criteria.invalid", "predicate query is empty");
    for (const auto& pred : list) {
      if (!pred.is_object()) return reject("rjct.search_criteria.invalid", "each predicate must be an object");
      for (const char* key : {"expression1", "expression2"}) {
        if (!pred.contains(key)) continue;
        const Json& e = pred[key];
        auto attr = Str(e, "attribute_name"), op = Str(e, "operator", "eq"), v = Str(e, "attribute_value");
        if (!e.is_object() || !attr || attr->empty() || !op || !e.contains("attribute_value")) {
          return reject("rjct.search_criteria.invalid",
                        "an expression needs attribute_name, operator and attribute_value (strings)");
        }
        if (!v) return reject("rjct.search_criteria.invalid", fmt::format("'{}' needs a string value", *attr));
        if (*op != "eq" && *op != "=" && *op != "like") {
          return reject("rjct.search_criteria.invalid", fmt::format("operator '{}' is not supported (eq, like)", *op));
        }
        if (*attr == "national_id") {
          f.national_id = NationalIdQuery(*v);
        } else if (*attr == "phone" || *attr == "phone_number") {
          phone = *v;
        } else if (*attr == "area" || *attr == "area_code" || *attr == "commune_code" || *attr == "location") {
          f.area = *v;
        } else if (*attr == "name" || *attr == "full_name" || *attr == "given_name" || *attr == "surname" ||
                   *attr == "family_name") {
          name_query = name_query ? *name_query + " " + *v : *v;
        } else {
          return reject("rjct.search_criteria.invalid",
                        fmt::format("unsupported attribute '{}' (national_id, phone, name, area)", *attr));
        }
      }
      auto condition = Str(pred, "condition", "and");
      if (!condition || *condition != "and")
        return reject("rjct.search_criteria.invalid", "only the 'and' condition is supported");
    }
  } else {
    return reject("rjct.search_criteria.invalid",
                  fmt::format("unsupported query_type '{}' (idtype-value, predicate)", *query_type));
  }
  if (phone) {
    // The REST search's normalisation: "0612345678" is found as the stored "+212612345678".
    auto norm = PhoneQuery(*phone, f.area);
    if (!norm || !*norm) return reject("rjct.search_criteria.invalid", "the phone number is not valid");
    f.phone = *norm;
  }

  std::vector<std::pair<std::int64_t, double>> ranked;
  if (name_query) {
    if (!s.name_search) return reject("rjct.search_criteria.invalid", "name search is not available");
    if (f.offset + f.limit > 10'000) {
      return reject("rjct.pagination.invalid",
                    "a name search pages through its first 10000 hits: page_number × page_size must not exceed it");
    }
    auto hits = s.name_search(*name_query, actor.scope, f.area, std::max<std::size_t>(1000, f.offset + f.limit));
    if (!hits) {
      if (hits.error().code == Code::kInvalidArgument)
        return reject("rjct.search_criteria.invalid", hits.error().message);
      return std::unexpected(hits.error());
    }
    ranked = *hits;
    f.person_ids.emplace();
    for (std::size_t i = f.offset;
         i < ranked.size() && i < static_cast<std::size_t>(f.offset) + static_cast<std::size_t>(f.limit); ++i) {
      f.person_ids->push_back(ranked[i].first);
    }
  }
  auto found = s.registry->households.SearchPersons(f, actor.scope);
  if (!found) {
    if (found.error().code == Code::kInvalidArgument)
      return reject("rjct.search_criteria.invalid", found.error().message);
    return std::unexpected(found.error());
  }
  Json records = Json::array();
  const bool groups = HouseholdRecordType(*record_type);
  if (groups) {
    std::set<std::int64_t> seen;
    for (const auto& p : found->first) {
      if (!seen.insert(p.household_id).second) continue;
      auto h = s.registry->households.GetHousehold(p.household_id, actor.scope);
      if (!h) return std::unexpected(h.error());
      if (!*h) continue;
      Json members = Json::array();
      for (const auto& m : (*h)->members) members.push_back(PersonRecordJson(m, *locale));
      Json hj = HouseholdJson(**h);
      records.push_back({{"identifier", {{{"identifier_type", "household_ref"}, {"identifier_value", hj["ref"]}}}},
                         {"area", hj["commune_code"]},
                         {"address", hj["address"]},
                         {"status", hj["status"]},
                         {"member_count", members.size()},
                         {"members", members}});
    }
  } else {
    for (const auto& p : found->first) records.push_back(PersonRecordJson(p, *locale));
  }
  out["status"] = "succ";
  out["data"] = {{"version", "1.0.0"},
                 {"reg_type", kRegType},
                 {"reg_record_type", groups ? "Group" : "Person"},
                 {"reg_records", records}};
  out["pagination"] = {{"page_size", page_size},
                       {"page_number", page_number},
                       {"total_count", name_query ? static_cast<long long>(ranked.size()) : found->second}};
  return out;
}

}  // namespace

void AddDciRoutes(http::RouteTable& t, Services& s) {
  t.push_back({"POST", "/dci/registry/sync/search", auth::Permission::kPartnerSearch,
               [&s](http::Request& req) {
                 auto body = http::ParseJsonObject(req);
                 if (!body) return http::ErrorResponse(body.error());
                 const Json header = body->contains("header") ? (*body)["header"] : Json();
                 auto refuse = [&](const std::string& code, const std::string& message) {
                   return http::JsonResponse(
                       400, HeaderReject(header, code, message).dump(-1, ' ', false, Json::error_handler_t::replace));
                 };
                 if (!header.is_object()) return refuse("rjct.action.invalid", "the envelope needs a header object");
                 auto version = Str(header, "version", "1.0.0");
                 if (!version || !version->starts_with("1."))
                   return refuse("rjct.version.invalid", "header.version must be a string 1.x");
                 auto message_id = Str(header, "message_id");
                 if (!message_id || message_id->empty())
                   return refuse("rjct.message_id.invalid", "header.message_id is required (a string)");
                 auto message_ts = Str(header, "message_ts");
                 if (!message_ts || message_ts->empty())
                   return refuse("rjct.message_ts.invalid", "header.message_ts is required (an ISO 8601 string)");
                 auto action = Str(header, "action");
                 if (!action || *action != "search")
                   return refuse("rjct.action.invalid", "header.action must be 'search' on this endpoint");
                 if (!Str(header, "sender_id"))
                   return refuse("rjct.sender_id.invalid", "header.sender_id must be a string");
                 if (!Str(header, "receiver_id"))
                   return refuse("rjct.receiver_id.invalid", "header.receiver_id must be a string");
                 if (header.contains("is_msg_encrypted") && !header["is_msg_encrypted"].is_null()) {
                   if (!header["is_msg_encrypted"].is_boolean())
                     return refuse("rjct.is_msg_encrypted.invalid", "header.is_msg_encrypted must be a boolean");
                   if (header["is_msg_encrypted"].get<bool>())
                     return refuse("rjct.action.not_supported", "encrypted messages are not supported");
                 }
                 const Json message = body->contains("message") ? (*body)["message"] : Json();
                 auto transaction_id = Str(message, "transaction_id");
                 if (!message.is_object() || !transaction_id || transaction_id->empty()) {
                   return refuse("rjct.transaction_id.invalid", "message.transaction_id is required (a string)");
                 }
                 auto requests = message.find("search_request");
                 if (requests == message.end() || !requests->is_array() || requests->empty()) {
                   return refuse("rjct.total_count.invalid", "message.search_request must be a non-empty list");
                 }
                 if (requests->size() > 100)
                   return refuse("rjct.total_count.limit_exceeded", "at most 100 search requests per message");
                 if (header.contains("total_count") && !header["total_count"].is_null() &&
                     (!header["total_count"].is_number_integer() || header["total_count"].is_number_float() ||
                      header["total_count"].get<long long>() != static_cast<long long>(requests->size()))) {
                   return refuse("rjct.total_count.invalid",
                                 "header.total_count must equal the number of search requests");
                 }
                 registry::Actor actor = ActorOf(s, req);
                 Json responses = Json::array();
                 std::set<std::string> references;
                 std::size_t succ = 0;
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
                     auto answered = Answer(s, actor, item);
                     if (!answered) return http::ErrorResponse(answered.error());
                     r = std::move(*answered);
                   }
                   succ += r["status"] == "succ";
                   responses.push_back(std::move(r));
                 }
                 if (auto st = AuditRequest(
                         s, req, "search", "person", "",
                         Json{{"api", "dci"}, {"transaction_id", *transaction_id}, {"requests", requests->size()}}.dump(
                             -1, ' ', false, Json::error_handler_t::replace));
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 Json out{{"signature", ""},
                          {"header",
                           {{"version", "1.0.0"},
                            {"message_id", http::Pipeline::NewRequestId()},
                            {"message_ts", FormatTimestamp(s.clock.Now())},
                            {"action", "on-search"},
                            {"status", succ == 0 ? "rjct" : "succ"},
                            {"total_count", responses.size()},
                            {"completed_count", responses.size()},
                            {"sender_id", "sanad"},
                            {"receiver_id", Str(header, "sender_id").value_or("")},
                            {"is_msg_encrypted", false}}},
                          {"message",
                           {{"transaction_id", *transaction_id},
                            {"correlation_id", req.request_id},
                            {"search_response", responses}}}};
                 return http::JsonResponse(200, out.dump(-1, ' ', false, Json::error_handler_t::replace));
               },
               1 << 20});
}

}  // namespace sanad::api
