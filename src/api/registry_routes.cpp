// Households, persons and the benefit ledger: /api/v1/persons, /api/v1/households, /api/v1/benefits.
// Every read of a personal record is audited; every query is limited to the caller's area scope by
// the store.
#include <fmt/format.h>
#include <array>
#include <charconv>
#include <tuple>

#include "api/person_page.h"
#include "api/person_query.h"
#include "api/record_json_writer.h"
#include "api/registry_json.h"
#include "api/services.h"
#include "http/json_input.h"

namespace sanad::api {

namespace {

// The name index ranks at most this many hits for one query (its cost grows with them).
constexpr int kMaxRankedHits = 10'000;

// 404 for a record that does not exist or lies outside the caller's area (the two are not told apart).
http::Response NotInScope(std::string_view reason, std::int64_t id) {
  return http::ErrorResponse(Failure(Code::kNotFound, std::string(reason), {{"id", std::to_string(id)}}, "id").error());
}

}  // namespace

void AddRegistryRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back(
      {"GET", "/api/v1/persons", P::kRegistryRead, [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(text, q.String("q", 200));
         TRY_OR_RESPOND(national_id, q.String("national_id", 32));
         TRY_OR_RESPOND(phone, q.String("phone", 32));
         TRY_OR_RESPOND(area, q.String("area", 32));
         TRY_OR_RESPOND(inactive, q.OneOf("include_inactive", {"0", "1", "true", "false"}));
         TRY_OR_RESPOND(sort, q.OneOf("sort", kPersonSorts));
         TRY_OR_RESPOND(paging, http::ReadPaging(q, 200));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         registry::Actor actor = ActorOf(s, req);
         registry::SearchFilter f;
         std::tie(f.sort, f.descending) = PersonSortOf(sort->value_or(""));
         const bool sorted = f.sort != registry::PersonSort::kNone;
         f.area = *area;
         f.include_inactive = *inactive && (**inactive == "1" || **inactive == "true");
         f.limit = paging->limit;
         f.offset = paging->offset;
         // Identifiers are matched exactly in their canonical form (CIN upper-case, phone E.164).
         if (*national_id) f.national_id = NationalIdQuery(**national_id);
         if (*phone) {
           TRY_OR_RESPOND(norm, PhoneQuery(**phone, *area));
           f.phone = *norm;
         }
         std::vector<std::pair<std::int64_t, double>> ranked;
         std::size_t ranked_cap = 0;
         if (*text && !(*text)->empty()) {
           if (!s.name_search)
             return http::ErrorResponse(Failure(Code::kUnavailable, "search.index_not_loaded", {}, "q").error());
           if (paging->offset + paging->limit > kMaxRankedHits) {
             return http::ErrorResponse(Failure(Code::kInvalidArgument, "search.beyond_ranked_hits",
                                                {{"max", std::to_string(kMaxRankedHits)}}, "offset")
                                            .error());
           }
           // Up to 1,000 ranked hits: enough to page through and to report how many matched.
           ranked_cap = std::max<std::size_t>(1000, paging->limit + paging->offset);
           auto hits = s.name_search(**text, actor.scope, *area, ranked_cap);
           if (!hits) return http::ErrorResponse(hits.error());
           ranked = std::move(*hits);
           // Sorted: every ranked hit goes to the store, which orders the whole set and cuts the page.
           std::vector<std::int64_t> ids;
           const std::size_t page_end =
               sorted ? ranked.size()
                      : std::min(ranked.size(), static_cast<std::size_t>(paging->offset + paging->limit));
           for (std::size_t i = sorted ? 0 : paging->offset; i < page_end; ++i) ids.push_back(ranked[i].first);
           f.person_ids = ids;
         }
         // {"items":[…],"limit":…,"offset":…,"total":…,"total_exact":…}, written without a JSON tree
         // (record_json_writer.h); each person carries where it lives, so that a result list needs
         // no further (audited) household reads.
         std::string body = R"({"items":[)";
         auto page = LoadPersonPage(s.registry->households, *s.person_json, f, actor.scope, ranked, sorted, body);
         if (!page) return http::ErrorResponse(page.error());
         long long total = f.person_ids ? static_cast<long long>(ranked.size()) : page->store_total;
         // The ids shown are part of the record of who saw whom.
         if (auto st = AuditRequest(s, req, "search", "person", "",
                                    nlohmann::json{{"q", text->value_or("")},
                                                   {"national_id", national_id->has_value()},
                                                   {"phone", phone->has_value()},
                                                   {"returned", page->ids.size()},
                                                   {"ids", page->ids}}
                                        .dump());
             !st) {
           return http::ErrorResponse(st.error());
         }
         // A name search counts its ranked hits only up to the cap: at the cap there may be more.
         const bool total_exact = !f.person_ids || ranked.size() < ranked_cap;
         RecordJsonWriter w(body, nlohmann::json::error_handler_t::replace);
         w.Raw(R"(],"limit":)");
         w.Integer(paging->limit);
         w.Raw(R"(,"offset":)");
         w.Integer(paging->offset);
         w.Raw(R"(,"total":)");
         w.Integer(total);
         w.Raw(total_exact ? R"(,"total_exact":true})" : R"(,"total_exact":false})");
         return http::JsonResponse(200, std::move(body));
       }});
  t.push_back({"GET", "/api/v1/persons/:id", P::kRegistryRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 auto actor = ActorOf(s, req);
                 auto p = s.registry->households.GetPerson(*id, actor.scope);
                 if (!p) return http::ErrorResponse(p.error());
                 if (!*p) return NotInScope(MsgCode("person.not_found"), *id);
                 if (auto st = AuditRequest(s, req, "view", "person", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, PersonJson(**p).dump());
               }});
  t.push_back({"GET", "/api/v1/persons/:id/benefits", P::kRegistryRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 auto actor = ActorOf(s, req);
                 auto p = s.registry->households.GetPerson(*id, actor.scope);
                 if (!p) return http::ErrorResponse(p.error());
                 if (!*p) return NotInScope(MsgCode("person.not_found"), *id);
                 auto rows = s.registry->benefits.Benefits(*id, std::nullopt);
                 if (!rows) return http::ErrorResponse(rows.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& b : *rows) items.push_back(BenefitJson(b));
                 if (auto st = AuditRequest(s, req, "view", "person_benefits", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(rows->size()),
                                                               {static_cast<int>(rows->size()), 0}));
               }});
  t.push_back(
      {"GET", "/api/v1/households", P::kRegistryRead, [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(area, q.String("area", 32));
         TRY_OR_RESPOND(paging, http::ReadPaging(q, 200));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         auto actor = ActorOf(s, req);
         auto page = s.registry->households.ListHouseholds(*area, paging->limit, paging->offset, actor.scope);
         if (!page) return http::ErrorResponse(page.error());
         nlohmann::json items = nlohmann::json::array();
         for (const auto& h : page->first) items.push_back(HouseholdJson(h));
         nlohmann::json shown = nlohmann::json::array();
         for (const auto& h : page->first) shown.push_back(h.id);
         if (auto st = AuditRequest(
                 s, req, "search", "household", "",
                 nlohmann::json{{"area", area->value_or("")}, {"returned", items.size()}, {"ids", shown}}.dump());
             !st) {
           return http::ErrorResponse(st.error());
         }
         return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
       }});
  t.push_back(
      {"GET", "/api/v1/households/:id", P::kRegistryRead, [&s](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         http::QueryReader q(req);
         TRY_OR_RESPOND(as_of, q.Date("as_of"));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         auto actor = ActorOf(s, req);
         auto h = *as_of ? s.registry->households.GetHouseholdAsOf(*id, **as_of, actor.scope)
                         : s.registry->households.GetHousehold(*id, actor.scope);
         if (!h) return http::ErrorResponse(h.error());
         if (!*h) {
           if (*as_of)
             return http::ErrorResponse(Failure(Code::kNotFound, "household.not_found_on",
                                                {{"id", std::to_string(*id)}, {"date", **as_of}}, "id")
                                            .error());
           return NotInScope(MsgCode("household.not_found"), *id);
         }
         if (auto st = AuditRequest(s, req, "view", "household", std::to_string(*id),
                                    nlohmann::json{{"as_of", as_of->value_or("")}}.dump());
             !st) {
           return http::ErrorResponse(st.error());
         }
         // HouseholdJson(**h) (+ "as_of"), written without a JSON tree (record_json_writer.h).
         std::string body;
         body.reserve(1024 * (1 + (*h)->members.size()));
         RecordJsonWriter(body, nlohmann::json::error_handler_t::strict).Household(**h, *as_of ? &**as_of : nullptr);
         return http::JsonResponse(200, std::move(body));
       }});
  t.push_back({"GET", "/api/v1/households/:id/history", P::kRegistryRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 auto actor = ActorOf(s, req);
                 auto h = s.registry->households.GetHousehold(*id, actor.scope);
                 if (!h) return http::ErrorResponse(h.error());
                 if (!*h) return NotInScope(MsgCode("household.not_found"), *id);
                 auto events = s.registry->history.HouseholdHistory(*id, actor.scope);
                 if (!events) return http::ErrorResponse(events.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& e : *events) items.push_back(HistoryJson(e, http::RequestLang(req)));
                 if (auto st = AuditRequest(s, req, "view", "household_history", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(events->size()),
                                                               {static_cast<int>(events->size()), 0}));
               }});
  t.push_back({"GET", "/api/v1/households/:id/benefits", P::kRegistryRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 auto actor = ActorOf(s, req);
                 auto h = s.registry->households.GetHousehold(*id, actor.scope);
                 if (!h) return http::ErrorResponse(h.error());
                 if (!*h) return NotInScope(MsgCode("household.not_found"), *id);
                 auto rows = s.registry->benefits.Benefits(std::nullopt, *id);
                 if (!rows) return http::ErrorResponse(rows.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (const auto& b : *rows) items.push_back(BenefitJson(b));
                 if (auto st = AuditRequest(s, req, "view", "household_benefits", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, http::ListJson(items, static_cast<long long>(rows->size()),
                                                               {static_cast<int>(rows->size()), 0}));
               }});
  t.push_back({"POST", "/api/v1/benefits", P::kBenefitsRecord,
               [&s](http::Request& req) {
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 registry::BenefitInput in;
                 TRY_OR_RESPOND(person, r.OptionalInt("person_id", 1, INT64_MAX));
                 TRY_OR_RESPOND(household, r.OptionalInt("household_id", 1, INT64_MAX));
                 TRY_OR_RESPOND(programme, r.RequiredString("programme", 40));
                 TRY_OR_RESPOND(kind, r.RequiredString("kind", 20));
                 TRY_OR_RESPOND(date, r.RequiredString("date", 10));
                 TRY_OR_RESPOND(amount, r.OptionalInt("amount_minor", 0, 100'000'000'000));
                 TRY_OR_RESPOND(currency, r.OptionalString("currency", 3));
                 TRY_OR_RESPOND(unit, r.OptionalString("unit", 40));
                 TRY_OR_RESPOND(reference, r.RequiredString("reference", 100));
                 TRY_OR_RESPOND(quantity, r.OptionalNumber("quantity", 0, 1e12));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 in.person_id = *person;
                 in.household_id = *household;
                 in.programme = *programme;
                 in.kind = *kind;
                 in.date = *date;
                 in.amount_minor = *amount;
                 in.currency = *currency;
                 in.quantity = *quantity;
                 in.unit = *unit;
                 in.reference = *reference;
                 in.source = "manual";
                 auto row = s.benefits->Record(in, ActorOf(s, req));
                 if (!row) return http::ErrorResponse(row.error());
                 return http::JsonResponse(201, BenefitJson(*row).dump());
               },
               8192});
}

}  // namespace sanad::api
