// What the route files may use, wired once in app/ (composition root).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "affiliation/affiliation_service.h"
#include "api/person_json_cache.h"
#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "audit/verify_jobs.h"
#include "auth/auth_service.h"
#include "cases/case_escalation.h"
#include "cases/case_store.h"
#include "cases/note_cipher.h"
#include "cases/placement_store.h"
#include "core/time.h"
#include "counselling/counselling_store.h"
#include "counselling/notification_delivery.h"
#include "counselling/outbox.h"
#include "crvs/crvs_service.h"
#include "cycles/cycle_service.h"
#include "db/database.h"
#include "dci/dci_store.h"
#include "dci/signature.h"
#include "dedup/dedup_service.h"
#include "empowerment/application_service.h"
#include "empowerment/registration_service.h"
#include "eservices/report_cases.h"
#include "eservices/report_service.h"
#include "grievances/grievance_escalation.h"
#include "grievances/grievance_store.h"
#include "http/json_input.h"
#include "http/metrics.h"
#include "http/rate_limiter.h"
#include "http/route.h"
#include "microcredit/collection.h"
#include "payments/payment_store.h"
#include "programs/programme_catalogue.h"
#include "registry/benefit_ledger.h"
#include "registry/change_service.h"
#include "registry/registry_store.h"
#include "targeting/score_store.h"
#include "targeting/simulation_jobs.h"

// In a route handler: evaluates `expr` (a Result) into `var`, or answers the request with its error.
#define TRY_OR_RESPOND(var, expr) \
  auto var = (expr);              \
  if (!var) return http::ErrorResponse(var.error())

namespace sanad::api {

struct Services {
  db::Database& db;
  const Clock& clock;
  auth::AuthService& auth;
  audit::AuditLog& audit;
  areas::AreaStore& areas;
  http::Metrics& metrics;
  std::string data_dir;
  registry::RegistryStore* registry = nullptr;
  registry::ChangeService* changes = nullptr;
  registry::BenefitLedger* benefits = nullptr;
  dedup::DedupService* dedup = nullptr;                     // deduplication jobs, review queue, cross-programme check
  audit::AuditVerifyJobs* audit_verify = nullptr;           // audit chain verification jobs
  targeting::ScoreStore* scores = nullptr;                  // households' socio-economic scores
  programs::ProgrammeCatalogue* programmes = nullptr;       // stored programmes, else the built-in templates
  cycles::CycleService* cycles = nullptr;                   // programme cycles: generation jobs, approval, entries
  targeting::SimulationJobs* simulations = nullptr;         // targeting simulation jobs
  payments::PaymentStore* payments = nullptr;               // payment accounts, batches, files, reconciliation
  empowerment::RegistrationService* empowerment = nullptr;  // women's registrations (public form)
  empowerment::RegistrationStore* empowerment_store = nullptr;     // the same, read by staff in scope
  empowerment::CallStore* empowerment_calls = nullptr;             // funding calls (lists in scope)
  empowerment::ApplicationService* empowerment_funding = nullptr;  // calls and applications (issue 13 §2)
  payments::Debtor payment_debtor;                                 // the paying account written in pain.001 files
  const targeting::Model* score_model = nullptr;                   // the active model (`--score-model`); null: none
  eservices::ReportService* eservices = nullptr;                   // citizen reports, units, escalation jobs
  // Public report intake per sender address and per phone number (docs/eservices.md#anti-abuse).
  std::shared_ptr<http::RateLimiter> report_address_limit;
  std::shared_ptr<http::RateLimiter> report_phone_limit;
  // Non-salaried workers: contributions, lists matched by a job, the review queue, the campaign.
  affiliation::AffiliationService* affiliation = nullptr;
  dci::DciStore* dci = nullptr;                             // DCI partners, transactions, outbox, subscriptions
  std::function<void()> dci_poke;                           // wakes the outbox worker after a callback is queued
  std::function<Result<std::int64_t>()> dci_feed_position;  // the change feed's end: new subscriptions start there
  const dci::OwnKey* dci_key = nullptr;  // signs what Sanad sends over SPDCI (`--dci-signing-key`); null: unsigned
  cases::CaseStore* cases = nullptr;     // social cases, their timeline, checklist and notes
  eservices::ReportCases* report_cases = nullptr;    // cases opened from citizen reports
  crvs::CrvsService* crvs = nullptr;                 // vital events from civil registries
  cases::CaseEscalation* case_escalation = nullptr;  // the escalation pass of overdue cases (a job)
  const cases::NoteCipher* case_notes = nullptr;     // seals confidential case notes; null: none accepted
  // Family counselling: counsellors, slots, bookings and sessions; the outbox and its delivery job.
  // Session notes are sealed with case_notes' key under their own context.
  counselling::CounsellingStore* counselling = nullptr;
  counselling::OutboxStore* counselling_outbox = nullptr;
  counselling::NotificationDelivery* counselling_delivery = nullptr;
  cases::PlacementStore* placements = nullptr;                      // alternative-care placements of children in cases
  grievances::GrievanceStore* grievances = nullptr;                 // grievances and appeals (docs/grievances.md)
  grievances::GrievanceEscalation* grievance_escalation = nullptr;  // the escalation pass of overdue grievances
  // Public grievance filing and appeals per sender address (docs/grievances.md#abuse).
  std::shared_ptr<http::RateLimiter> grievance_address_limit;
  microcredit::CollectionProposals* microcredit_collection = nullptr;  // nightly collection proposals (a job)
  // Fuzzy name search over the in-memory index: ranked person ids within the scope and area.
  std::function<Result<std::vector<std::pair<std::int64_t, double>>>(
      const std::string& query, const registry::Scope& scope, const std::optional<std::string>& area, std::size_t k)>
      name_search;
  // Persons as search pages write them, reused while their version is current (64 MiB at most).
  std::unique_ptr<PersonJsonCache> person_json = std::make_unique<PersonJsonCache>(std::size_t{64} << 20);
  // Figures of background work (name index, change feed) for GET /metrics, in the text format.
  std::function<std::string()> background_metrics;
};

// The whole route table: every module's routes with their permissions, in one place.
http::RouteTable BuildRoutes(Services& s);

// One function per module's route file.
void AddSystemRoutes(http::RouteTable& t, Services& s);
void AddAuthRoutes(http::RouteTable& t, Services& s);
void AddUserRoutes(http::RouteTable& t, Services& s);
void AddAreaRoutes(http::RouteTable& t, Services& s);
void AddAuditRoutes(http::RouteTable& t, Services& s);
void AddRegistryRoutes(http::RouteTable& t, Services& s);
void AddChangeRequestRoutes(http::RouteTable& t, Services& s);
void AddAuthorRoutes(http::RouteTable& t, Services& s);  // own requests, withdrawal, notices
void AddDciRoutes(http::RouteTable& t, Services& s);
void AddImportRoutes(http::RouteTable& t, Services& s);
void AddLinkageRoutes(http::RouteTable& t, Services& s);
void AddProgramRoutes(http::RouteTable& t, Services& s);        // programmes and their public simulator
void AddScoreRoutes(http::RouteTable& t, Services& s);          // a household's socio-economic index
void AddProgrammeEditRoutes(http::RouteTable& t, Services& s);  // programmes' definitions, saves, history
void AddRuleRoutes(http::RouteTable& t, Services& s);           // checking a rule as it is typed
void AddCycleRoutes(http::RouteTable& t, Services& s);          // programme cycles
// Targeting simulation: coverage, cost and errors of a programme's candidate parameters.
void AddTargetingSimulationRoutes(http::RouteTable& t, Services& s);
void AddPaymentRoutes(http::RouteTable& t, Services& s);  // payment accounts, batches, files, reconciliation
void AddEligibilityRoutes(http::RouteTable& t, Services& s);
void AddEmpowermentRoutes(http::RouteTable& t, Services& s);         // women's registrations, cooperatives
void AddEmpowermentFundingRoutes(http::RouteTable& t, Services& s);  // funding calls and applications
void AddMicrocreditRoutes(http::RouteTable& t, Services& s);         // ANGEM schedules (docs/microcredit.md)
void AddEServiceRoutes(http::RouteTable& t, Services& s);            // citizen reports: public, call centre, triage
void AddOpen311Routes(http::RouteTable& t, Services& s);             // Open311 GeoReport v2 over the same reports
// Affiliation of non-salaried workers: contribution preview, lists, review queue, workers, campaign.
void AddAffiliationRoutes(http::RouteTable& t, Services& s);
void AddCaseRoutes(http::RouteTable& t, Services& s);         // case management of social workers
void AddCrvsRoutes(http::RouteTable& t, Services& s);         // births and deaths from civil registries
void AddCaseAdminRoutes(http::RouteTable& t, Services& s);    // protocols, dropout candidates, escalation pass
void AddCounsellingRoutes(http::RouteTable& t, Services& s);  // counsellors, slots, bookings, sessions, outbox
void AddPlacementRoutes(http::RouteTable& t, Services& s);    // alternative-care placements and their visits
void AddGrievanceRoutes(http::RouteTable& t, Services& s);    // grievances and appeals: public and staff

// The caller as the registry sees them: identity, area scope (today), origin.
registry::Actor ActorOf(const Services& s, const http::Request& req);

// Writes an audit line for the request's principal (reads of personal records, changes) and returns
// once it is durable. On failure it logs the cause and returns kUnavailable with a message fit for the
// client: a route that reads personal data must then answer with that error, not with the data.
[[nodiscard]] Status AuditRequest(Services& s, const http::Request& req, std::string action, std::string record_type,
                                  std::string record_id, std::string details = "{}");

// A page of change requests in the request's language (the requests' own list and an author's),
// audited as a search since requests carry the names they would write: `asked` says what the caller
// asked for, the ids returned are added to it.
http::Response ChangeRequestPage(Services& s, const http::Request& req,
                                 const std::pair<std::vector<registry::ChangeRequestRow>, long long>& page,
                                 const http::Paging& paging, nlohmann::json asked);

}  // namespace sanad::api
