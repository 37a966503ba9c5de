// Affiliation of non-salaried workers (src/affiliation, docs/affiliation.md):
//   POST /api/v1/affiliation/contribution-preview           public: a fund's contribution for a year and base
//   POST /api/v1/affiliation/lists?name=&fund=               a list (CSV) to match; 202 with its job
//   GET  /api/v1/affiliation/lists, /lists/:id                lists and their match counts
//   GET  /api/v1/affiliation/proposals?status=               the review queue (list row beside registry person)
//   POST /api/v1/affiliation/proposals/:id/accept | /reject  a reviewer's decision
//   GET  /api/v1/affiliation/workers, /workers/:id            the worker registry, a worker with contributions
//   POST /api/v1/affiliation/workers/:id/declarations         a yearly declaration (contribution computed)
//   POST /api/v1/affiliation/declarations/:id/payments        a payment against a declaration
//   POST /api/v1/affiliation/contacts                          an awareness-campaign contact
//   GET  /api/v1/affiliation/campaign?from=&to=               contacted / affiliated by commune
// Everything but the preview is in the caller's area scope (in the store queries); reads of workers and
// proposals (names) are audited, fail-closed.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "affiliation/affiliation_service.h"
#include "api/json_mapping.h"
#include "api/services.h"
#include "http/rate_limiter.h"
#include "microcredit/microcredit_store.h"

namespace sanad::api {
namespace {

using affiliation::ScopeOf;
using nlohmann::json;

constexpr std::size_t kMaxListBody = 32u << 20;  // 32 MiB of CSV
constexpr long long kMinor = 100;                // DZD and MAD: 100 minor units

json PersonJson(const affiliation::PersonSummary& p) {
  return {{"id", p.id},
          {"given_name_ar", OrNull(p.given_name_ar)},
          {"family_name_ar", OrNull(p.family_name_ar)},
          {"given_name_lat", OrNull(p.given_name_lat)},
          {"family_name_lat", OrNull(p.family_name_lat)},
          {"father_name_ar", OrNull(p.father_name_ar)},
          {"sex", OrNull(p.sex)},
          {"birth_date", OrNull(p.birth_date)},
          {"national_id", OrNull(p.national_id)},
          {"birth_commune_code", OrNull(p.birth_commune_code)},
          {"phone", OrNull(p.phone)}};
}

json ContributionJson(const affiliation::Contribution& c) {
  // Whole units as the brief's example shows them, and the exact minor units beside.
  return {{"fund", c.fund},
          {"year", c.year},
          {"currency", c.currency},
          {"declared_base", c.declared_base_minor / kMinor},
          {"base", c.base_minor / kMinor},
          {"contribution", c.contribution_minor / kMinor},
          {"contribution_minor", c.contribution_minor},
          {"floor_base", c.floor_base_minor / kMinor},
          {"ceiling_base", c.ceiling_base_minor / kMinor},
          {"monthly_reference_wage", c.monthly_wage_minor / kMinor},
          {"clamped", c.clamped.empty() ? json() : json(c.clamped)},
          {"declare_by", c.declare_by},
          {"due_from", c.due_from},
          {"due_by", c.due_by}};
}

json ListJson(const affiliation::AffiliationList& l) {
  return {{"id", l.id},
          {"name", l.name},
          {"fund", l.fund},
          {"status", l.status},
          {"area_code", OrNull(l.area_code)},
          {"job_id", OrNull(l.job_id)},
          {"rows_total", l.rows_total},
          {"matched", l.matched},
          {"proposed", l.proposed},
          {"already_affiliated", l.already_affiliated},
          {"previously_rejected", l.previously_rejected},
          {"uploaded_at", l.uploaded_at},
          {"uploaded_by", l.uploaded_by}};
}

json ProposalJson(const affiliation::Proposal& p) {
  return {{"id", p.id},
          {"list_id", p.list_id},
          {"list_name", p.list_name},
          {"record_id", p.record_id},
          {"commune_code", p.commune_code},
          {"fund", p.fund},
          {"activity", p.activity},
          {"registration_number", OrNull(p.registration_number)},
          {"weight", p.weight},
          {"status", p.status},
          {"decided_at", OrNull(p.decided_at)},
          {"decided_by", OrNull(p.decided_by)},
          {"comment", OrNull(p.comment)},
          {"worker_id", OrNull(p.worker_id)},
          {"list_person", json::parse(p.list_person_json)},
          {"person", PersonJson(p.person)}};
}

json WorkerJson(const affiliation::Worker& w) {
  return {{"id", w.id},
          {"person", PersonJson(w.person)},
          {"commune_code", w.commune_code},
          {"fund", w.fund},
          {"activity", w.activity},
          {"status", w.status},
          {"registration_number", OrNull(w.registration_number)},
          {"affiliation_number", OrNull(w.affiliation_number)},
          {"affiliated_on", w.affiliated_on},
          {"proposal_id", OrNull(w.proposal_id)},
          {"created_at", w.created_at},
          {"created_by", w.created_by}};
}

// A declaration with where it stands on `as_of` (paid, not_due, due, arrears).
json DeclarationJson(Services& s, const affiliation::Declaration& d, const std::string& fund,
                     const std::string& as_of) {
  json out{{"id", d.id},
           {"worker_id", d.worker_id},
           {"year", d.year},
           {"currency", d.currency},
           {"declared_base_minor", d.declared_base_minor},
           {"base_minor", d.base_minor},
           {"contribution_minor", d.contribution_minor},
           {"paid_minor", d.paid_minor},
           {"outstanding_minor", std::max<std::int64_t>(0, d.contribution_minor - d.paid_minor)},
           {"declared_on", d.declared_on},
           {"last_paid_on", OrNull(d.last_paid_on)},
           {"recorded_at", d.recorded_at},
           {"recorded_by", d.recorded_by}};
  // The calendar of the year (the amounts stay those recorded with the declaration).
  if (auto c = s.affiliation->Preview(fund, d.year, d.declared_base_minor)) {
    affiliation::Contribution recorded = *c;
    recorded.contribution_minor = d.contribution_minor;
    out["declare_by"] = c->declare_by;
    out["due_from"] = c->due_from;
    out["due_by"] = c->due_by;
    out["declared_late"] = affiliation::DeclaredLate(*c, d.declared_on);
    out["status"] = affiliation::PaymentStatus(recorded, d.paid_minor, as_of);
  }
  return out;
}

std::unexpected<Error> Required(const std::string& field) {
  return Failure(Code::kInvalidArgument, "field.required", {{"field", field}}, field);
}

http::Response Preview(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(fund, r.RequiredString("fund", 20));
  TRY_OR_RESPOND(year, r.OptionalInt("year", 1990, 2100));
  TRY_OR_RESPOND(base, r.OptionalInt("declared_base", 0, 1'000'000'000'000LL));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*year) return http::ErrorResponse(Required("year").error());
  if (!*base) return http::ErrorResponse(Required("declared_base").error());
  TRY_OR_RESPOND(c, s.affiliation->Preview(*fund, static_cast<int>(**year), **base * kMinor));
  return http::JsonResponse(200, ContributionJson(*c).dump());
}

http::Response ImportList(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(name, q.String("name", 200));
  TRY_OR_RESPOND(fund, q.String("fund", 20));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*name || (*name)->empty()) return http::ErrorResponse(Required("name").error());
  if (!*fund) return http::ErrorResponse(Required("fund").error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(list, s.affiliation->ImportList(**name, **fund, req.body, actor));
  if (auto st = AuditRequest(s, req, "create", "affiliation_list", std::to_string(list->id),
                             json{{"rows", list->rows_total}, {"fund", list->fund}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(202, ListJson(*list).dump());
}

// The micro-credit borrowers whose business is active (MicrocreditStore::ActiveBorrowers) of the caller's
// scope as a list: one row per person (record id `angem-borrower-<person id>`, so that a rejection is
// remembered across lists), activity `artisan` (micro-credit records the project, not the worker's
// category: the reviewer sees it), matched by the same job and reviewed in the same queue as a file.
http::Response ListFromMicrocredit(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(fund, q.String("fund", 20));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*fund) return http::ErrorResponse(Required("fund").error());
  const auto actor = ActorOf(s, req);
  microcredit::MicrocreditStore store(s.db);
  TRY_OR_RESPOND(borrowers, store.ActiveBorrowers({actor.scope.area, actor.scope.today}));
  if (borrowers->empty()) {
    return http::ErrorResponse(Failure(Code::kFailedPrecondition, "affiliation.no_active_borrowers", {}, "").error());
  }
  std::vector<affiliation::ListEntry> rows;
  rows.reserve(borrowers->size());
  for (const auto& b : *borrowers) {
    affiliation::ListEntry e;
    e.line = static_cast<std::int64_t>(rows.size()) + 1;
    e.record_id = "angem-borrower-" + std::to_string(b.person.person_id);
    e.activity = "artisan";
    json person = json::object();
    for (const auto& [k, v] : {std::pair<const char*, const std::string*>{"given_name_ar", &b.person.given_name_ar},
                               {"family_name_ar", &b.person.family_name_ar},
                               {"given_name_lat", &b.person.given_name_lat},
                               {"family_name_lat", &b.person.family_name_lat},
                               {"father_name_ar", &b.person.father_name_ar},
                               {"sex", &b.person.sex},
                               {"birth_date", &b.person.birth_date},
                               {"national_id", &b.person.national_id},
                               {"phone", &b.phone}}) {
      if (!v->empty()) person[k] = *v;
    }
    e.person_json = person.dump();
    rows.push_back(std::move(e));
  }
  TRY_OR_RESPOND(list,
                 s.affiliation->ImportEntries("ANGEM borrowers " + actor.scope.today, **fund, std::move(rows), actor));
  if (auto st = AuditRequest(s, req, "create", "affiliation_list", std::to_string(list->id),
                             json{{"rows", list->rows_total}, {"fund", list->fund}, {"source", "microcredit"}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(202, ListJson(*list).dump());
}

// The list, when the caller's scope covers it (a national list: national callers only).
Result<affiliation::AffiliationList> VisibleList(Services& s, std::int64_t id, const registry::Actor& a) {
  auto list = s.affiliation->store().GetList(id);
  if (!list) return std::unexpected(list.error());
  auto lists = s.affiliation->store().Lists(ScopeOf(a), 1'000);
  if (!lists) return std::unexpected(lists.error());
  for (const auto& l : *lists) {
    if (l.id == id) return l;
  }
  return Failure(Code::kNotFound, "affiliation.list_not_found", {{"id", std::to_string(id)}}, "id");
}

http::Response Decide(Services& s, http::Request& req, bool accept) {
  TRY_OR_RESPOND(id, http::PathId(req));
  std::string comment;
  if (!req.body.empty()) {
    TRY_OR_RESPOND(body, http::ParseJsonObject(req));
    http::ObjectReader r(*body);
    TRY_OR_RESPOND(c, r.OptionalString("comment", 2000));
    if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
    comment = c->value_or("");
  }
  const auto actor = ActorOf(s, req);
  const auto scope = ScopeOf(actor);
  const std::string now = FormatTimestamp(s.clock.Now());
  std::optional<std::int64_t> worker;
  if (accept) {
    TRY_OR_RESPOND(w, s.affiliation->store().Accept(*id, scope, actor.scope.today, now, actor.username));
    worker = *w;
  } else {
    if (comment.empty()) return http::ErrorResponse(Required("comment").error());
    if (auto st = s.affiliation->store().Reject(*id, scope, comment, now, actor.username); !st)
      return http::ErrorResponse(st.error());
  }
  if (auto st = AuditRequest(s, req, accept ? "accept" : "reject", "affiliation_proposal", std::to_string(*id),
                             json{{"worker_id", OrNull(worker)}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(p, s.affiliation->store().GetProposal(*id, scope));
  return http::JsonResponse(200, ProposalJson(**p).dump());
}

http::Response WorkerPage(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  http::QueryReader q(req);
  TRY_OR_RESPOND(as_of, q.Date("as_of"));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(w, s.affiliation->store().GetWorker(*id, ScopeOf(actor)));
  if (!*w)
    return http::ErrorResponse(
        Failure(Code::kNotFound, "affiliation.worker_not_found", {{"id", std::to_string(*id)}}, "id").error());
  TRY_OR_RESPOND(decls, s.affiliation->store().Declarations(*id));
  if (auto st = AuditRequest(s, req, "view", "affiliation_worker", std::to_string(*id)); !st)
    return http::ErrorResponse(st.error());
  const std::string day = as_of->value_or(actor.scope.today);
  json out = WorkerJson(**w);
  out["as_of"] = day;
  json items = json::array();
  std::int64_t arrears = 0;
  for (const auto& d : *decls) {
    json dj = DeclarationJson(s, d, (*w)->fund, day);
    if (dj.value("status", "") == "arrears") arrears += d.contribution_minor - d.paid_minor;
    items.push_back(std::move(dj));
  }
  out["declarations"] = std::move(items);
  out["arrears_minor"] = arrears;
  return http::JsonResponse(200, out.dump());
}

}  // namespace

void AddAffiliationRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // Citizens and partner systems preview a contribution before anything is recorded: 60 a minute per
  // address on average, 20 at once.
  auto limit = std::make_shared<http::RateLimiter>(60, 20);
  http::Route preview{"POST", "/api/v1/affiliation/contribution-preview", P::kPublic,
                      [&s](http::Request& req) { return Preview(s, req); }};
  preview.max_body = 4 * 1024;
  preview.limit = std::move(limit);
  t.push_back(std::move(preview));

  http::Route import{"POST", "/api/v1/affiliation/lists", P::kAffiliationReview,
                     [&s](http::Request& req) { return ImportList(s, req); }};
  import.max_body = kMaxListBody;
  t.push_back(std::move(import));
  t.push_back({"POST", "/api/v1/affiliation/lists/from-microcredit", P::kAffiliationReview,
               [&s](http::Request& req) { return ListFromMicrocredit(s, req); }});
  t.push_back({"GET", "/api/v1/affiliation/lists", P::kAffiliationReview, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(limit, q.Int("limit", 50, 1, 500));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(lists, s.affiliation->store().Lists(ScopeOf(ActorOf(s, req)), *limit));
                 json items = json::array();
                 for (const auto& l : *lists) items.push_back(ListJson(l));
                 return http::JsonResponse(200, json{{"items", items}}.dump());
               }});
  t.push_back({"GET", "/api/v1/affiliation/lists/:id", P::kAffiliationReview, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(list, VisibleList(s, *id, ActorOf(s, req)));
                 return http::JsonResponse(200, ListJson(*list).dump());
               }});
  t.push_back(
      {"GET", "/api/v1/affiliation/proposals", P::kAffiliationRead, [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(status, q.OneOf("status", {"pending", "accepted", "rejected", "all"}));
         TRY_OR_RESPOND(paging, http::ReadPaging(q, 200));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         TRY_OR_RESPOND(page, s.affiliation->store().Proposals(status->value_or("pending"), ScopeOf(ActorOf(s, req)),
                                                               paging->limit, paging->offset));
         json items = json::array(), ids = json::array();
         for (const auto& p : page->first) {
           items.push_back(ProposalJson(p));
           ids.push_back(p.id);
         }
         // Names of the list and of the registry side by side: a read of personal data.
         if (auto st = AuditRequest(s, req, "search", "affiliation_proposal", "", json{{"ids", ids}}.dump()); !st)
           return http::ErrorResponse(st.error());
         return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
       }});
  t.push_back({"POST", "/api/v1/affiliation/proposals/:id/accept", P::kAffiliationReview,
               [&s](http::Request& req) { return Decide(s, req, true); }});
  t.push_back({"POST", "/api/v1/affiliation/proposals/:id/reject", P::kAffiliationReview,
               [&s](http::Request& req) { return Decide(s, req, false); }});
  t.push_back({"GET", "/api/v1/affiliation/workers", P::kAffiliationRead, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(paging, http::ReadPaging(q, 500));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(
                     page, s.affiliation->store().Workers(ScopeOf(ActorOf(s, req)), paging->limit, paging->offset));
                 json items = json::array(), ids = json::array();
                 for (const auto& w : page->first) {
                   items.push_back(WorkerJson(w));
                   ids.push_back(w.id);
                 }
                 if (auto st = AuditRequest(s, req, "search", "affiliation_worker", "", json{{"ids", ids}}.dump()); !st)
                   return http::ErrorResponse(st.error());
                 return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
               }});
  t.push_back({"GET", "/api/v1/affiliation/workers/:id", P::kAffiliationRead,
               [&s](http::Request& req) { return WorkerPage(s, req); }});
  t.push_back({"POST", "/api/v1/affiliation/workers/:id/declarations", P::kAffiliationRecord, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 TRY_OR_RESPOND(body, http::ParseJsonObject(req));
                 http::ObjectReader r(*body);
                 TRY_OR_RESPOND(year, r.OptionalInt("year", 1990, 2100));
                 TRY_OR_RESPOND(base, r.OptionalInt("declared_base", 0, 1'000'000'000'000LL));
                 TRY_OR_RESPOND(on, r.OptionalString("declared_on", 10));
                 if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (!*year) return http::ErrorResponse(Required("year").error());
                 if (!*base) return http::ErrorResponse(Required("declared_base").error());
                 const auto actor = ActorOf(s, req);
                 const std::string declared_on = on->value_or(actor.scope.today);
                 TRY_OR_RESPOND(date, ParseDate(declared_on, "declared_on"));
                 TRY_OR_RESPOND(
                     d, s.affiliation->Declare(*id, static_cast<int>(**year), **base * kMinor, declared_on, actor));
                 if (auto st = AuditRequest(s, req, "create", "affiliation_declaration", std::to_string(d->id)); !st)
                   return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(w, s.affiliation->store().GetWorker(*id, ScopeOf(actor)));
                 return http::JsonResponse(201, DeclarationJson(s, *d, (*w)->fund, actor.scope.today).dump());
               }});
  t.push_back(
      {"POST", "/api/v1/affiliation/declarations/:id/payments", P::kAffiliationRecord, [&s](http::Request& req) {
         TRY_OR_RESPOND(id, http::PathId(req));
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(amount, r.OptionalInt("amount_minor", 1, 1'000'000'000'000'00LL));
         TRY_OR_RESPOND(on, r.OptionalString("paid_on", 10));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*amount) return http::ErrorResponse(Required("amount_minor").error());
         const auto actor = ActorOf(s, req);
         const std::string paid_on = on->value_or(actor.scope.today);
         TRY_OR_RESPOND(date, ParseDate(paid_on, "paid_on"));
         TRY_OR_RESPOND(d, s.affiliation->store().AddPayment(*id, ScopeOf(actor), **amount, paid_on));
         if (auto st = AuditRequest(s, req, "update", "affiliation_declaration", std::to_string(*id),
                                    json{{"amount_minor", **amount}}.dump());
             !st)
           return http::ErrorResponse(st.error());
         TRY_OR_RESPOND(w, s.affiliation->store().GetWorker(d->worker_id, ScopeOf(actor)));
         return http::JsonResponse(200, DeclarationJson(s, *d, (*w)->fund, actor.scope.today).dump());
       }});
  t.push_back(
      {"POST", "/api/v1/affiliation/contacts", P::kAffiliationRecord, [&s](http::Request& req) {
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         http::ObjectReader r(*body);
         TRY_OR_RESPOND(person, r.OptionalInt("person_id", 1, std::numeric_limits<long long>::max()));
         TRY_OR_RESPOND(on, r.OptionalString("contacted_on", 10));
         TRY_OR_RESPOND(channel, r.RequiredString("channel", 20));
         if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*person) return http::ErrorResponse(Required("person_id").error());
         static const std::vector<std::string> kChannels{"visit", "phone", "sms", "meeting"};
         if (std::find(kChannels.begin(), kChannels.end(), *channel) == kChannels.end())
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "affiliation.bad_channel", {{"value", *channel}}, "channel").error());
         const auto actor = ActorOf(s, req);
         const std::string day = on->value_or(actor.scope.today);
         TRY_OR_RESPOND(date, ParseDate(day, "contacted_on"));
         TRY_OR_RESPOND(id, s.affiliation->store().AddContact(**person, ScopeOf(actor), day, *channel,
                                                              FormatTimestamp(s.clock.Now()), actor.username));
         if (auto st = AuditRequest(s, req, "create", "affiliation_contact", std::to_string(*id),
                                    json{{"person_id", **person}}.dump());
             !st)
           return http::ErrorResponse(st.error());
         return http::JsonResponse(
             201, json{{"id", *id}, {"person_id", **person}, {"contacted_on", day}, {"channel", *channel}}.dump());
       }});
  t.push_back({"GET", "/api/v1/affiliation/campaign", P::kAffiliationRead, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(from, q.Date("from"));
                 TRY_OR_RESPOND(to, q.Date("to"));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(rows, s.affiliation->store().Campaign(ScopeOf(ActorOf(s, req)), from->value_or(""),
                                                                      to->value_or("")));
                 json items = json::array();
                 json totals{{"contacted", 0}, {"affiliated_after_contact", 0}, {"affiliated", 0}};
                 for (const auto& r : *rows) {
                   items.push_back({{"commune_code", r.commune_code},
                                    {"contacted", r.contacted},
                                    {"affiliated_after_contact", r.affiliated_after_contact},
                                    {"affiliated", r.affiliated}});
                   totals["contacted"] = totals["contacted"].get<std::int64_t>() + r.contacted;
                   totals["affiliated_after_contact"] =
                       totals["affiliated_after_contact"].get<std::int64_t>() + r.affiliated_after_contact;
                   totals["affiliated"] = totals["affiliated"].get<std::int64_t>() + r.affiliated;
                 }
                 return http::JsonResponse(200, json{{"communes", items}, {"totals", totals}}.dump());
               }});
}

}  // namespace sanad::api
