// The SPDCI search (dci_search.h). Queries: idtype-value {type: national_id|phone|record_id, value};
// predicate: a list of {expression1: {attribute_name, operator, attribute_value}, condition, expression2};
// expression: {type: ns:org:QueryType:expression, value: {expression: {collection, query}}} with the
// spec's $and / $eq / … document form. Results are limited to the caller's area scope.
#include "api/dci_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "api/person_query.h"
#include "api/registry_json.h"
#include "dci/person_predicate.h"
#include "http/pipeline.h"
#include "registry/values.h"
#include "registry_model/fields.h"

namespace sanad::api::dci_search {

using Json = nlohmann::json;

namespace {

using Json = nlohmann::json;

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

// Text of a field of ValuesJson, absent when null.
void Put(Json& out, const char* key, const Json& v) {
  if (!v.is_null()) out[key] = v.is_string() ? v : Json(v.dump());
}

Json Identifier(const char* type, const Json& value) {
  return {{"@type", "Identifier"}, {"identifier_type", type}, {"identifier_value", value}};
}

// Terms of a predicate or an expression, all joined by "and": what the registry's search filter takes.
struct Term {
  std::string attribute, op;
  Json value;
};

// Whether a predicate names a person's name or phone, which the name index and the phone normalisation
// of the REST search answer (eq / like, joined by and).
bool UsesNameOrPhone(const Json& query) {
  static const std::set<std::string> kNamed{"name",        "full_name", "given_name",  "surname",
                                            "family_name", "phone",     "phone_number"};
  const Json list = query.is_array() ? query : Json::array({query});
  for (const auto& pred : list) {
    if (!pred.is_object()) continue;
    for (const char* key : {"expression1", "expression2"}) {
      if (pred.contains(key) && pred[key].is_object() && pred[key].contains("attribute_name") &&
          pred[key]["attribute_name"].is_string() && kNamed.contains(pred[key]["attribute_name"].get<std::string>()))
        return true;
    }
  }
  return false;
}

}  // namespace

// A member of an object as text: its value, `fallback` when absent or null, nullopt when it has another
// type (the envelope is refused or the request rejected with the field's reason code).
std::optional<std::string> Str(const Json& obj, const char* key, const std::string& fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

const Json& Member(const Json& obj, const char* key) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

Json PersonRecord(const registry::PersonRecord& p, const std::string& locale, const std::string& commune) {
  // Only the fields of the schema's shape, each rendered as the REST person renders it
  // (registry::ValueJson): building the whole REST person first (PersonJson, 30 fields) to read 12 of
  // them was a tenth of a sync search's time (docs/dci.md "Benchmarks").
  static constexpr auto kFields = registry::PersonFields();
  auto field = [&](int i) -> Json {
    if (i < 0 || static_cast<std::size_t>(i) >= p.values.size()) return Json();
    return registry::ValueJson(kFields[static_cast<std::size_t>(i)], p.values[static_cast<std::size_t>(i)]);
  };
  static constexpr int kRecordId = registry::FieldIndex(kFields, "record_id"),
                       kGivenAr = registry::FieldIndex(kFields, "given_name_ar"),
                       kFamilyAr = registry::FieldIndex(kFields, "family_name_ar"),
                       kGivenLat = registry::FieldIndex(kFields, "given_name_lat"),
                       kFamilyLat = registry::FieldIndex(kFields, "family_name_lat"),
                       kSex = registry::FieldIndex(kFields, "sex"),
                       kBirthDate = registry::FieldIndex(kFields, "birth_date"),
                       kNationalId = registry::FieldIndex(kFields, "national_id"),
                       kPhone = registry::FieldIndex(kFields, "phone"),
                       kMarital = registry::FieldIndex(kFields, "marital_status"),
                       kRelationship = registry::FieldIndex(kFields, "relationship"),
                       kStatus = registry::FieldIndex(kFields, "status"),
                       kDisability = registry::FieldIndex(kFields, "disability_percent");
  static_assert(kRecordId >= 0 && kGivenAr >= 0 && kFamilyAr >= 0 && kGivenLat >= 0 && kFamilyLat >= 0 && kSex >= 0 &&
                kBirthDate >= 0 && kNationalId >= 0 && kPhone >= 0 && kMarital >= 0 && kRelationship >= 0 &&
                kStatus >= 0 && kDisability >= 0);
  const bool arabic = locale == "ara" || locale == "ar";
  const Json given_ar = field(kGivenAr), family_ar = field(kFamilyAr), given_lat = field(kGivenLat),
             family_lat = field(kFamilyLat);
  auto pick = [&](const Json& ar, const Json& lat) -> const Json& {
    const Json& first = arabic ? ar : lat;
    return first.is_null() ? (arabic ? lat : ar) : first;
  };
  // The schema's object form: the national ID when there is one, else the registry's record id; the
  // other identifiers follow in additional_identifiers.
  const Json national_id = field(kNationalId);
  Json out{{"@type", "SRPerson"}};
  if (!national_id.is_null()) {
    out["identifier"] = Identifier("NIN", national_id);
    out["additional_identifiers"] = Json::array({Identifier("RECORD_ID", field(kRecordId))});
  } else {
    out["identifier"] = Identifier("RECORD_ID", field(kRecordId));
  }
  Json name{{"@type", "Name"}};
  Put(name, "given_name", pick(given_ar, given_lat));
  Put(name, "surname", pick(family_ar, family_lat));
  Put(name, "given_name_ar", given_ar);
  Put(name, "surname_ar", family_ar);
  Put(name, "given_name_lat", given_lat);
  Put(name, "surname_lat", family_lat);
  out["name"] = std::move(name);
  Put(out, "sex", field(kSex));
  Put(out, "birth_date", field(kBirthDate));
  Put(out, "phone_number", field(kPhone));
  Put(out, "marital_status", field(kMarital));
  Put(out, "relationship_to_head", field(kRelationship));
  Put(out, "status", field(kStatus));
  if (Json disability = field(kDisability); !disability.is_null()) {
    out["is_disabled"] = disability.is_number() && disability.get<double>() > 0;
    out["disability_percent"] = std::move(disability);
  }
  if (!commune.empty()) out["address"] = {{"@type", "Address"}, {"admin_area_code", commune}};
  // The household's registry reference, as the Group record writes it (H + nine digits).
  out["group_identifier"] = Identifier("HOUSEHOLD_ID", fmt::format("H{:09d}", p.household_id));
  return out;
}

Json GroupRecord(const registry::HouseholdRecord& h, const std::string& locale) {
  Json hj = HouseholdJson(h);
  const std::string commune = hj.value("commune_code", "");
  Json members = Json::array();
  for (const auto& m : h.members) {
    Json person = PersonRecord(m, locale, commune);
    members.push_back({{"@type", "Member"},
                       {"member_identifier", person["identifier"]},
                       {"demographic_info", person},
                       {"relationship_head", person.value("relationship_to_head", "")}});
  }
  Json out{{"@type", "Group"},
           {"group_identifier", Identifier("HOUSEHOLD_ID", hj.value("ref", std::to_string(h.id)))},
           {"group_type", "household"},
           {"group_size", members.size()},
           {"member_list", members},
           {"registration_date", h.created_at},
           {"last_updated", h.updated_at}};
  Json address{{"@type", "Address"}, {"admin_area_code", commune}};
  Put(address, "street_address", hj["address"]);
  out["place"] = {{"@type", "Place"}, {"address", address}};
  Put(out, "status", hj["status"]);
  return out;
}

// One search_request → its response object. Errors: only failures of the server itself (the database),
// which the caller answers as an HTTP error; everything about the request is a rjct answer.
Result<Json> Answer(Services& s, const registry::Actor& actor, const Json& item,
                    const std::vector<std::string>& allowed) {
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
  if (!locale) return reject("rjct.search_criteria.invalid", "locale must be a string (eng, fra, ara)");
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
  const bool groups = HouseholdRecordType(*record_type);
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), groups ? "Group" : "Person") == allowed.end()) {
    return reject("rjct.search_criteria.invalid",
                  fmt::format("this partner is not registered to receive {} records", groups ? "Group" : "Person"));
  }
  int page_size = 100, page_number = 1;
  registry::PersonSort sort_by = registry::PersonSort::kNone;
  bool descending = false;
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
  if (crit.contains("sort") && !crit["sort"].is_null()) {
    const Json& sort = crit["sort"];
    if (!sort.is_array() || sort.size() > 1 || (sort.size() == 1 && !sort[0].is_object()))
      return reject("rjct.sort.invalid", "sort must be a list of one {attribute_name, sort_order}");
    if (sort.size() == 1) {
      auto attr = Str(sort[0], "attribute_name"), order = Str(sort[0], "sort_order", "asc");
      if (!attr || !order || (*order != "asc" && *order != "desc"))
        return reject("rjct.sort.invalid", "sort_order must be asc or desc");
      const bool arabic_names = *locale == "ara" || *locale == "ar";
      if (*attr == "national_id" || *attr == "NIN") {
        sort_by = registry::PersonSort::kNationalId;
      } else if (*attr == "birth_date") {
        sort_by = registry::PersonSort::kBirthDate;
      } else if (*attr == "record_id") {
        sort_by = registry::PersonSort::kRecordId;
      } else if (*attr == "name" || *attr == "given_name") {
        sort_by = arabic_names ? registry::PersonSort::kNameAr : registry::PersonSort::kNameLat;
      } else {
        return reject("rjct.sort.invalid",
                      fmt::format("cannot sort by '{}' (national_id, birth_date, record_id, name)", *attr));
      }
      descending = *order == "desc";
    }
  }
  auto query_type = Str(crit, "query_type");
  if (!query_type)
    return reject("rjct.search_criteria.invalid", "query_type must be a string (idtype-value, predicate)");
  const Json& query = Member(crit, "query");
  registry::SearchFilter f;
  f.limit = page_size;
  f.sort = sort_by;
  f.descending = descending;
  f.offset = (page_number - 1) * page_size;
  std::optional<std::string> name_query, phone;
  std::optional<long long> condition_total;
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
  } else if (*query_type == "expression" || (*query_type == "predicate" && !UsesNameOrPhone(query))) {
    // The spec's operators and conditions over the registry's columns (dci/person_predicate.h).
    auto where = *query_type == "expression" ? dci::FromExpression(query, actor.scope.today)
                                             : dci::FromPredicate(query, actor.scope.today);
    if (!where) return reject("rjct.search_criteria.invalid", where.error().message);
    if (!s.dci) return std::unexpected(Error{Code::kInternal, "the DCI store is not wired", ""});  // a wiring bug
    auto page = s.dci->SearchPersonIds(*where, actor.scope, sort_by, descending, page_size, f.offset);
    if (!page) return std::unexpected(page.error());
    f.person_ids = page->first;
    f.sort = registry::PersonSort::kNone;
    condition_total = page->second;
  } else if (*query_type == "predicate") {
    // Names (the fuzzy name index) and phones (normalised): eq / like joined by and.
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
                  fmt::format("unsupported query_type '{}' (idtype-value, expression, predicate)", *query_type));
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
  if (condition_total) {
    // The page in the order the condition search gave.
    std::vector<registry::PersonRecord> ordered;
    for (auto id : *f.person_ids)
      for (auto& p : found->first)
        if (p.id == id) ordered.push_back(std::move(p));
    found->first = std::move(ordered);
    found->second = *condition_total;
  }
  Json records = Json::array();
  if (groups) {
    std::set<std::int64_t> seen;
    for (const auto& p : found->first) {
      if (!seen.insert(p.household_id).second) continue;
      auto h = s.registry->households.GetHousehold(p.household_id, actor.scope);
      if (!h) return std::unexpected(h.error());
      if (*h) records.push_back(GroupRecord(**h, *locale));
    }
  } else {
    for (const auto& p : found->first) records.push_back(PersonRecord(p, *locale, ""));
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

}  // namespace sanad::api::dci_search
