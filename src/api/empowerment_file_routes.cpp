// The woman's staff file beyond her registration (issue 13 §5, docs/empowerment.md#her-file): her
// applications with their stage, amounts and tranches, her training sessions (attendance, completion,
// certificates issued) and her benefit-ledger lines from the empowerment tranches and micro-credit when
// she is linked to a registry person. Her registration is found within the reader's area first (else
// 404), the read is audited before anything is answered (fail-closed), and the ledger lines are shown
// only when her registry person lies within the reader's scope too.
#include <nlohmann/json.hpp>

#include "api/empowerment_training_routes.h"
#include "api/json_mapping.h"
#include "api/registry_json.h"
#include "empowerment/application_store.h"
#include "empowerment/training_store.h"

namespace sanad::api {
namespace {

using nlohmann::json;

struct FileStores {
  explicit FileStores(db::Database& db) : applications(db), trainings(db) {}
  empowerment::ApplicationStore applications;
  empowerment::TrainingStore trainings;
};

Result<json> ApplicationsJson(Services& s, FileStores& st, std::int64_t registration_id) {
  auto apps = st.applications.ForRegistration(registration_id);
  if (!apps) return std::unexpected(apps.error());
  json out = json::array();
  for (const auto& a : *apps) {
    auto call = s.empowerment_calls->Find(a.call_id);
    if (!call) return std::unexpected(call.error());
    auto tranches = st.applications.Tranches(a.id);
    if (!tranches) return std::unexpected(tranches.error());
    json tr = json::array();
    for (const auto& t : *tranches) {
      tr.push_back({{"n", t.n},
                    {"milestone", t.milestone},
                    {"planned_minor", t.planned_minor},
                    {"paid_on", OrNull(t.paid_on)},
                    {"benefit_id", t.benefit_id ? json(*t.benefit_id) : json(nullptr)}});
    }
    json c = nullptr;
    if (*call) {
      const auto& k = **call;
      c = {{"id", k.id},           {"code", k.code},       {"name_ar", k.name_ar},
           {"name_fr", k.name_fr}, {"name_en", k.name_en}, {"currency", k.currency}};
    }
    out.push_back({{"id", a.id},
                   {"call", c},
                   {"state", std::string(empowerment::AppStateName(a.state))},
                   {"requested_minor", a.requested_minor},
                   {"approved_minor", a.approved_minor ? json(*a.approved_minor) : json(nullptr)},
                   {"submitted_at", OrNull(a.submitted_at)},
                   {"tranches", tr}});
  }
  return out;
}

Result<json> TrainingsJson(FileStores& st, std::int64_t registration_id) {
  auto rows = st.trainings.OfRegistration(registration_id);
  if (!rows) return std::unexpected(rows.error());
  json out = json::array();
  for (const auto& t : *rows) {
    out.push_back({{"training_id", t.training_id},
                   {"topic", t.topic},
                   {"title_ar", t.title_ar},
                   {"title_fr", t.title_fr},
                   {"starts_at", t.starts_at},
                   {"ends_at", t.ends_at},
                   {"status", t.status},
                   {"completed_on", OrNull(t.completed_on)},
                   {"days_present", t.days_present},
                   {"certificates", t.certificates}});
  }
  return out;
}

// Her ledger lines of the empowerment tranches and micro-credit; `null` when she is not linked to a
// person or the person lies outside the reader's scope (the registry's own rule for a person's lines).
Result<json> LedgerJson(Services& s, const registry::Actor& actor, std::optional<std::int64_t> person_id) {
  if (!person_id || !s.registry) return json(nullptr);
  auto person = s.registry->households.GetPerson(*person_id, actor.scope);
  if (!person) return std::unexpected(person.error());
  if (!*person) return json(nullptr);
  auto rows = s.registry->benefits.Benefits(*person_id, std::nullopt);
  if (!rows) return std::unexpected(rows.error());
  json out = json::array();
  for (const auto& b : *rows) {
    if (b.source == "empowerment" || b.source == "microcredit") out.push_back(BenefitJson(b));
  }
  return out;
}

http::Response Overview(Services& s, FileStores& st, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  if (auto q = http::QueryReader(req).RejectUnknown(); !q) return http::ErrorResponse(q.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(found, s.empowerment_store->Get(*id, {actor.scope.area, actor.scope.today}));
  if (!*found) {
    return http::ErrorResponse(
        Failure(Code::kNotFound, "empowerment.registration_not_found", {{"id", std::to_string(*id)}}, "id").error());
  }
  TRY_OR_RESPOND(applications, ApplicationsJson(s, st, *id));
  TRY_OR_RESPOND(trainings, TrainingsJson(st, *id));
  TRY_OR_RESPOND(ledger, LedgerJson(s, actor, (*found)->person_id));
  if (auto a = AuditRequest(s, req, "view", "empowerment_file", std::to_string(*id)); !a)
    return http::ErrorResponse(a.error());
  return http::JsonResponse(200, json{{"registration_id", *id},
                                      {"person_id", (*found)->person_id ? json(*(*found)->person_id) : json(nullptr)},
                                      {"applications", *applications},
                                      {"trainings", *trainings},
                                      {"ledger", *ledger}}
                                     .dump());
}

}  // namespace

void AddEmpowermentFileRoutes(http::RouteTable& t, Services& s) {
  if (!s.empowerment_calls) return;
  auto stores = std::make_shared<FileStores>(s.db);
  t.push_back({"GET", "/api/v1/empowerment/registrations/:id/overview", auth::Permission::kEmpowermentRead,
               [&s, stores](http::Request& req) { return Overview(s, *stores, req); }});
}

}  // namespace sanad::api
