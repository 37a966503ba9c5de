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

struct Rejection {
  std::string code;
  std::string message;
};

Json HeaderReject(const Json& in_header, const std::string& code, const std::string& message) {
  return {{"signature", ""},
          {"header",
           {{"version", "1.0.0"},
            {"message_id", http::Pipeline::NewRequestId()},
            {"message_ts", FormatTimestamp(std::chrono::system_clock::now())},
            {"action", "on-search"},
            {"status", "rjct"},
            {"status_reason_code", code},
            {"status_reason_message", message},
            {"total_count", in_header.is_object() && in_header.contains("total_count") ? in_header["total_count"] : Json(0)},
            {"completed_count", 0},
            {"sender_id", "sanad"},
            {"receiver_id", in_header.is_object() ? in_header.value("sender_id", "") : ""},
            {"is_msg_encrypted", false}}},
          {"message", Json::object()}};
}

Json PersonRecordJson(const registry::PersonRecord& p, const std::string& locale) {
  Json all = PersonJson(p);
  Json ids = Json::array();
  ids.push_back({{"identifier_type", "record_id"}, {"identifier_value", all["record_id"]}});
  if (!all["national_id"].is_null()) ids.push_back({{"identifier_type", "national_id"}, {"identifier_value", all["national_id"]}});
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

// One search_request → its response object.
Json Answer(Services& s, const registry::Actor& actor, const Json& item) {
  Json out{{"reference_id", item.is_object() && item.contains("reference_id") ? item["reference_id"] : Json("")},
           {"timestamp", FormatTimestamp(s.clock.Now())}};
  auto reject = [&](const std::string& code, const std::string& message) {
    out["status"] = "rjct";
    out["status_reason_code"] = code;
    out["status_reason_message"] = message;
    return out;
  };
  if (!item.is_object()) return reject("rjct.search_criteria.invalid", "each search_request must be an object");
  if (!item.contains("reference_id") || !item["reference_id"].is_string() || item["reference_id"].get<std::string>().empty()) {
    return reject("rjct.reference_id.invalid", "reference_id must be a non-empty string");
  }
  if (item.contains("timestamp") && (!item["timestamp"].is_string())) return reject("rjct.timestamp.invalid", "timestamp must be an ISO 8601 string");
  std::string locale = item.value("locale", "eng");
  out["locale"] = locale;
  auto crit_it = item.find("search_criteria");
  if (crit_it == item.end() || !crit_it->is_object()) return reject("rjct.search_criteria.invalid", "search_criteria is required");
  const Json& crit = *crit_it;
  std::string reg_type = crit.contains("reg_type") && crit["reg_type"].is_string() ? crit["reg_type"].get<std::string>() : "";
  if (!SocialRegType(reg_type)) return reject("rjct.search_criteria.invalid", fmt::format("this registry answers reg_type {}, not '{}'", kRegType, reg_type));
  std::string record_type = crit.contains("reg_record_type") && crit["reg_record_type"].is_string() ? crit["reg_record_type"].get<std::string>() : "Person";
  int page_size = 100, page_number = 1;
  if (crit.contains("pagination")) {
    const Json& pg = crit["pagination"];
    if (!pg.is_object() || !pg.value("page_size", Json(100)).is_number_integer() || !pg.value("page_number", Json(1)).is_number_integer()) {
      return reject("rjct.pagination.invalid", "pagination needs integer page_size and page_number");
    }
    page_size = pg.value("page_size", 100);
    page_number = pg.value("page_number", 1);
    if (page_size < 1 || page_size > 1000 || page_number < 1 || page_number > 100000) {
      return reject("rjct.pagination.invalid", "page_size must be 1–1000 and page_number ≥ 1");
    }
  }
  std::string query_type = crit.value("query_type", "");
  const Json query = crit.value("query", Json());
  registry::SearchFilter f;
  f.limit = page_size;
  f.offset = (page_number - 1) * page_size;
  std::optional<std::string> name_query;
  if (query_type == "idtype-value") {
    if (!query.is_object() || !query.contains("type") || !query.contains("value") || !query["type"].is_string() || !query["value"].is_string()) {
      return reject("rjct.search_criteria.invalid", "idtype-value needs a query {\"type\", \"value\"} of strings");
    }
    std::string type = query["type"].get<std::string>(), value = query["value"].get<std::string>();
    if (type == "national_id" || type == "NIN" || type == "CIN" || type == "UIN") {
      for (auto& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      f.national_id = value;
    } else if (type == "phone" || type == "phone_number") {
      auto spec = registry::kPersonFields[registry::FieldIndex(registry::kPersonFields, "phone")];
      auto norm = registry::NormalizeValue(spec, value, value.starts_with("+213") ? registry::CountryCode::kAlgeria : registry::CountryCode::kMorocco);
      if (!norm || !*norm) return reject("rjct.search_criteria.invalid", "the phone number is not valid");
      f.phone = *norm;
    } else if (type == "record_id") {
      auto spec = registry::kPersonFields[0];
      (void)spec;
      f.person_ids.emplace();
      auto sess = s.db.Acquire();
      long long id = 0;
      sess.sql() << "SELECT id FROM persons WHERE record_id = :r", soci::use(value), soci::into(id);
      if (sess.sql().got_data()) f.person_ids->push_back(id);
    } else {
      return reject("rjct.search_criteria.invalid", fmt::format("unsupported id type '{}': use national_id, phone or record_id", type));
    }
  } else if (query_type == "predicate") {
    // Accept a single predicate object as well as the standard list.
    Json list = query.is_array() ? query : Json::array({query});
    if (list.empty()) return reject("rjct.search_criteria.invalid", "predicate query is empty");
    for (const auto& pred : list) {
      if (!pred.is_object()) return reject("rjct.search_criteria.invalid", "each predicate must be an object");
      for (const char* key : {"expression1", "expression2"}) {
        if (!pred.contains(key)) continue;
        const Json& e = pred[key];
        if (!e.is_object() || !e.contains("attribute_name") || !e["attribute_name"].is_string() || !e.contains("attribute_value")) {
          return reject("rjct.search_criteria.invalid", "an expression needs attribute_name, operator and attribute_value");
        }
        std::string attr = e["attribute_name"].get<std::string>();
        std::string op = e.value("operator", "eq");
        if (!e["attribute_value"].is_string()) return reject("rjct.search_criteria.invalid", fmt::format("'{}' needs a string value", attr));
        std::string v = e["attribute_value"].get<std::string>();
        if (op != "eq" && op != "=" && op != "like") return reject("rjct.search_criteria.invalid", fmt::format("operator '{}' is not supported (eq, like)", op));
        if (attr == "national_id") {
          for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          f.national_id = v;
        } else if (attr == "phone" || attr == "phone_number") {
          f.phone = v;
        } else if (attr == "area" || attr == "area_code" || attr == "commune_code" || attr == "location") {
          f.area = v;
        } else if (attr == "name" || attr == "full_name" || attr == "given_name" || attr == "surname" || attr == "family_name") {
          name_query = name_query ? *name_query + " " + v : v;
        } else {
          return reject("rjct.search_criteria.invalid", fmt::format("unsupported attribute '{}' (national_id, phone, name, area)", attr));
        }
      }
      if (pred.contains("condition") && pred["condition"] != "and") {
        return reject("rjct.search_criteria.invalid", "only the 'and' condition is supported");
      }
    }
  } else {
    return reject("rjct.search_criteria.invalid", fmt::format("unsupported query_type '{}' (idtype-value, predicate)", query_type));
  }

  std::vector<std::pair<std::int64_t, double>> ranked;
  if (name_query) {
    if (!s.name_search) return reject("rjct.search_criteria.invalid", "name search is not available");
    auto hits = s.name_search(*name_query, actor.scope, f.area, std::max<std::size_t>(1000, f.offset + f.limit));
    if (!hits) return reject("rjct.search_criteria.invalid", hits.error().message);
    ranked = *hits;
    f.person_ids.emplace();
    for (std::size_t i = f.offset; i < ranked.size() && i < static_cast<std::size_t>(f.offset + f.limit); ++i) {
      f.person_ids->push_back(ranked[i].first);
    }
  }
  auto found = s.registry->SearchPersons(f, actor.scope);
  if (!found) return reject("rjct.search_criteria.invalid", found.error().message);
  Json records = Json::array();
  if (HouseholdRecordType(record_type)) {
    std::set<std::int64_t> seen;
    for (const auto& p : found->first) {
      if (!seen.insert(p.household_id).second) continue;
      if (auto h = s.registry->GetHousehold(p.household_id, actor.scope); h && *h) {
        Json members = Json::array();
        for (const auto& m : (*h)->members) members.push_back(PersonRecordJson(m, locale));
        Json hj = HouseholdJson(**h);
        records.push_back({{"identifier", {{{"identifier_type", "household_ref"}, {"identifier_value", hj["ref"]}}}},
                           {"area", hj["commune_code"]}, {"address", hj["address"]}, {"status", hj["status"]},
                           {"member_count", members.size()}, {"members", members}});
      }
    }
  } else {
    for (const auto& p : found->first) records.push_back(PersonRecordJson(p, locale));
  }
  out["status"] = "succ";
  out["data"] = {{"version", "1.0.0"}, {"reg_type", kRegType}, {"reg_record_type", HouseholdRecordType(record_type) ? "Group" : "Person"},
                 {"reg_records", records}};
  out["pagination"] = {{"page_size", page_size}, {"page_number", page_number},
                       {"total_count", name_query ? static_cast<long long>(ranked.size()) : found->second}};
  return out;
}

}  // namespace

void AddDciRoutes(http::RouteTable& t, Services& s) {
  t.push_back({"POST", "/dci/registry/sync/search", auth::Permission::kPartnerSearch, [&s](http::Request& req) {
                 auto body = http::ParseJsonObject(req);
                 if (!body) return http::ErrorResponse(body.error());
                 const Json header = body->value("header", Json());
                 auto refuse = [&](const std::string& code, const std::string& message) {
                   return http::JsonResponse(400, HeaderReject(header, code, message).dump());
                 };
                 if (!header.is_object()) return refuse("rjct.action.invalid", "the envelope needs a header object");
                 if (header.contains("version") && (!header["version"].is_string() || !header["version"].get<std::string>().starts_with("1."))) {
                   return refuse("rjct.version.invalid", "only version 1.x of the protocol is supported");
                 }
                 if (!header.contains("message_id") || !header["message_id"].is_string()) return refuse("rjct.message_id.invalid", "header.message_id is required");
                 if (!header.contains("message_ts") || !header["message_ts"].is_string()) return refuse("rjct.message_ts.invalid", "header.message_ts is required (ISO 8601)");
                 if (header.value("action", "") != "search") return refuse("rjct.action.invalid", "header.action must be 'search' on this endpoint");
                 if (header.value("is_msg_encrypted", false)) return refuse("rjct.action.not_supported", "encrypted messages are not supported");
                 const Json message = body->value("message", Json());
                 if (!message.is_object() || !message.contains("transaction_id") || !message["transaction_id"].is_string()) {
                   return refuse("rjct.action.invalid", "message.transaction_id is required");
                 }
                 auto requests = message.find("search_request");
                 if (requests == message.end() || !requests->is_array() || requests->empty()) {
                   return refuse("rjct.total_count.invalid", "message.search_request must be a non-empty list");
                 }
                 if (requests->size() > 100) return refuse("rjct.total_count.limit_exceeded", "at most 100 search requests per message");
                 if (header.contains("total_count") && (!header["total_count"].is_number_integer() ||
                                                        header["total_count"].get<std::size_t>() != requests->size())) {
                   return refuse("rjct.total_count.invalid", "header.total_count must equal the number of search requests");
                 }
                 registry::Actor actor = ActorOf(s, req);
                 Json responses = Json::array();
                 std::set<std::string> references;
                 std::size_t succ = 0;
                 for (const auto& item : *requests) {
                   Json r;
                   std::string ref = item.is_object() && item.contains("reference_id") && item["reference_id"].is_string()
                                         ? item["reference_id"].get<std::string>() : "";
                   if (!ref.empty() && !references.insert(ref).second) {
                     r = {{"reference_id", ref}, {"timestamp", FormatTimestamp(s.clock.Now())}, {"status", "rjct"},
                          {"status_reason_code", "rjct.reference_id.duplicate"}, {"status_reason_message", "reference_id repeats in this message"}};
                   } else {
                     r = Answer(s, actor, item);
                   }
                   succ += r["status"] == "succ";
                   responses.push_back(std::move(r));
                 }
                 if (auto st = AuditRequest(s, req, "search", "person", "",
                                            Json{{"api", "dci"}, {"transaction_id", message["transaction_id"]}, {"requests", requests->size()}}.dump());
                     !st) {
                   return http::ErrorResponse(st.error());
                 }
                 Json out{{"signature", ""},
                          {"header",
                           {{"version", "1.0.0"}, {"message_id", http::Pipeline::NewRequestId()},
                            {"message_ts", FormatTimestamp(s.clock.Now())}, {"action", "on-search"},
                            {"status", succ == responses.size() ? "succ" : (succ == 0 ? "rjct" : "succ")},
                            {"total_count", responses.size()}, {"completed_count", responses.size()},
                            {"sender_id", "sanad"}, {"receiver_id", header.value("sender_id", "")}, {"is_msg_encrypted", false}}},
                          {"message",
                           {{"transaction_id", message["transaction_id"]}, {"correlation_id", req.request_id},
                            {"search_response", responses}}}};
                 return http::JsonResponse(200, out.dump(-1, ' ', false, Json::error_handler_t::replace));
               },
               1 << 20});
}

}  // namespace sanad::api
