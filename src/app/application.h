// What `sanad serve` runs over a Platform, wired in one place: the API services, deduplication jobs and
// the job runner, the name index kept current by the change feed, authentication for the pipeline, the
// pipeline and the HTTP server. The serve command and the HTTP tests (tests/http/test_server.h) both
// build it here, so the tests exercise the wiring that ships.
//
// Thread safety: Create, Listen and Stop from one thread; services() is shared with the request threads.
#pragma once

#include <spdlog/logger.h>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "affiliation/affiliation_service.h"
#include "api/services.h"
#include "app/platform.h"
#include "audit/verify_jobs.h"
#include "cases/case_escalation.h"
#include "cases/case_store.h"
#include "cases/note_cipher.h"
#include "cases/placement_store.h"
#include "counselling/counselling_store.h"
#include "counselling/notification_delivery.h"
#include "counselling/outbox.h"
#include "crvs/crvs_service.h"
#include "cycles/cycle_service.h"
#include "dci/dci_store.h"
#include "dci/notifier.h"
#include "dci/outbox_worker.h"
#include "dedup/dedup_service.h"
#include "eservices/report_cases.h"
#include "eservices/report_service.h"
#include "grievances/grievance_escalation.h"
#include "grievances/grievance_store.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/server.h"
#include "http/static_files.h"
#include "jobs/job_runner.h"
#include "jobs/periodic_timer.h"
#include "microcredit/collection.h"
#include "names/person_name_search.h"
#include "registry/change_feed_follower.h"
#include "targeting/model.h"
#include "targeting/rescoring.h"
#include "targeting/simulation_jobs.h"

namespace sanad::app {

struct ApplicationOptions {
  std::string data_dir;
  http::ServerOptions server;
  std::string web_root;                        // empty: the API only
  std::shared_ptr<spdlog::logger> access_log;  // null: no access log
  bool https = false;                          // reached over TLS: Secure cookies, HSTS
  jobs::JobRunnerOptions jobs;
  std::chrono::milliseconds feed_poll{1000};
  payments::Debtor payment_debtor;  // the ministry's paying account (pain.001 Dbtr / DbtrAcct)
  // The active socio-economic index model (`sanad serve --score-model FILE`): approved changes re-score
  // their households with it and the simulator computes a missing index with it. None: neither.
  std::optional<targeting::Model> score_model;
  // Builds the route table instead of api::BuildRoutes (tests of the pipeline's deny-by-default).
  std::function<http::RouteTable(api::Services&)> routes;
  // Computes a cycle's entries inside the generation transaction; empty: the registry's data plane
  // (cycles::RegistryEntries). Tests give a stand-in.
  cycles::EntriesComputer cycle_entries;
  // E-services: how often each server queues an escalation pass (0: never; tests start passes through
  // the API), and the public intake limits per sender address and per phone number.
  std::chrono::milliseconds escalation_period{60'000};
  double report_address_per_hour = 30, report_address_burst = 10;
  double report_phone_per_hour = 6, report_phone_burst = 3;
  // The affiliation funds' parameter sets (`sanad serve --affiliation-funds FILE`); empty: the built-in
  // ones (CASNOS configured, AMO_TNS not).
  std::vector<affiliation::FundRules> affiliation_funds;
  // Delivery of DCI callbacks (poll, timeouts, retry backoff); tests shorten them.
  dci::OutboxOptions dci_outbox;
  // Seals confidential case notes (`case_notes_key_file`); none: confidential notes are refused.
  std::optional<cases::NoteCipher> case_notes;
  // How often this server queues the escalation pass of overdue cases; 0: never (the route only).
  std::chrono::seconds case_escalation_interval{0};
  // How often this server queues a delivery pass of the counselling outbox; 0: never (the route only).
  std::chrono::seconds counselling_delivery_interval{0};
  // How often this server queues the micro-credit collection proposals (a field visit for loans entering
  // 31–60 days of arrears); 0: never (the route only).
  std::chrono::seconds microcredit_collection_interval{0};
  // How long the settled runs of those periodic passes are kept in the jobs table (0: for ever); each
  // timer deletes older ones at most once an hour (jobs::ExclusivePass::PruneHistory).
  std::chrono::hours pass_history{0};
};

// Failures of background work that no request sees, counted for GET /metrics (each is logged too).
struct BackgroundHealth {
  std::atomic<std::uint64_t> name_index_failures{0};   // a change not applied to the name index
  std::atomic<std::uint64_t> change_feed_failures{0};  // a failed pass over the change feed
  std::atomic<std::uint64_t> rescoring_failures{0};    // a failed pass re-scoring changed households
  std::atomic<std::uint64_t> dci_notify_failures{0};   // a failed pass queueing DCI notifications
  std::string MetricsText() const;
};

class Application {
 public:
  // Wires the services over `platform` (which must outlive the application), loads the name index and
  // starts following the change feed. Errors: the database's, while reading the feed or the index.
  static Result<std::unique_ptr<Application>> Create(Platform& platform, ApplicationOptions options);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Starts the HTTP server on options.server (on `port` when given) and the job runner.
  // Errors: kUnavailable when the address cannot be bound.
  Status Listen(std::optional<std::uint16_t> port = std::nullopt);
  // Stops the server (requests in progress finish), the job runner and the feed follower.
  void Stop();

  api::Services& services() { return *services_; }
  http::Metrics& metrics() { return metrics_; }
  jobs::JobRunner& runner() { return *runner_; }
  dedup::DedupService& dedup() { return *dedup_; }
  dci::OutboxWorker& dci_outbox() { return *dci_outbox_; }
  dci::Notifier& dci_notifier() { return *dci_notifier_; }
  const http::StaticFiles& files() const { return files_; }
  const BackgroundHealth& health() const { return health_; }

 private:
  explicit Application(ApplicationOptions options);
  Status StartRescoring(Platform& p);
  Status StartDci(Platform& p);

  ApplicationOptions options_;
  BackgroundHealth health_;
  http::Metrics metrics_;
  std::unique_ptr<api::Services> services_;
  std::unique_ptr<jobs::JobStore> job_store_;
  std::unique_ptr<dedup::DedupStore> dedup_store_;
  std::unique_ptr<dedup::DedupService> dedup_;
  std::unique_ptr<audit::AuditVerifyJobs> audit_verify_;
  std::unique_ptr<cycles::CycleStore> cycle_store_;
  std::unique_ptr<cycles::CycleService> cycles_;            // registered in runner_, declared before it
  std::unique_ptr<targeting::SimulationJobs> simulations_;  // before runner_: the runner uses it
  std::unique_ptr<eservices::ReportStore> report_store_;
  std::unique_ptr<eservices::ReportService> reports_;  // registered in runner_, declared before it
  std::unique_ptr<affiliation::AffiliationStore> affiliation_store_;
  std::unique_ptr<affiliation::AffiliationService> affiliation_;  // before runner_: the runner uses it
  std::unique_ptr<cases::CaseStore> case_store_;
  std::unique_ptr<cases::CaseEscalation> case_escalation_;  // before runner_: the runner uses it
  std::unique_ptr<eservices::ReportCases> report_cases_;
  std::unique_ptr<crvs::CrvsStore> crvs_store_;
  std::unique_ptr<crvs::CrvsService> crvs_;
  std::unique_ptr<counselling::CounsellingStore> counselling_store_;
  std::unique_ptr<counselling::OutboxStore> counselling_outbox_;
  std::unique_ptr<counselling::LogSender> counselling_sender_;               // the default adapter: the log
  std::unique_ptr<counselling::NotificationDelivery> counselling_delivery_;  // before runner_: the runner uses it
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<eservices::EscalationScheduler> escalation_;
  std::unique_ptr<jobs::PeriodicTimer> escalation_timer_;   // queues passes on runner_
  std::unique_ptr<jobs::PeriodicTimer> counselling_timer_;  // queues delivery passes on runner_
  std::unique_ptr<cases::PlacementStore> placement_store_;
  std::unique_ptr<grievances::GrievanceStore> grievance_store_;
  std::unique_ptr<grievances::GrievanceEscalation> grievance_escalation_;  // before runner_: the runner uses it
  std::unique_ptr<jobs::PeriodicTimer> grievance_timer_;                   // the same for overdue grievances
  std::unique_ptr<microcredit::MicrocreditStore> microcredit_store_;
  std::unique_ptr<microcredit::CollectionProposals> collection_;  // before runner_: the runner uses it
  std::unique_ptr<jobs::PeriodicTimer> collection_timer_;         // queues collection proposals on runner_
  std::unique_ptr<registry::ChangeFeedStore> feed_;
  std::unique_ptr<names::PersonNameStore> name_store_;
  std::unique_ptr<names::PersonNameSearch> names_;
  std::unique_ptr<empowerment::RegistrationService> empowerment_;
  std::unique_ptr<empowerment::ApplicationService> empowerment_funding_;
  std::unique_ptr<registry::ChangeFeedFollower> follower_;
  std::unique_ptr<targeting::Rescoring> rescoring_;
  std::unique_ptr<registry::ChangeFeedFollower> rescoring_follower_;  // wakes rescoring_ at each change
  std::unique_ptr<dci::DciStore> dci_store_;
  std::unique_ptr<dci::OutboxWorker> dci_outbox_;
  std::unique_ptr<dci::Notifier> dci_notifier_;
  std::unique_ptr<registry::ChangeFeedFollower> dci_follower_;  // wakes dci_notifier_ at each change
  std::unique_ptr<http::Authenticator> authenticator_;
  std::unique_ptr<http::Pipeline> pipeline_;
  http::StaticFiles files_;
  std::unique_ptr<http::Server> server_;
  bool runner_started_ = false;
};

}  // namespace sanad::app
