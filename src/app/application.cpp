#include "app/application.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/dci_search.h"
#include "app/cli_errors.h"
#include "app/population_reader.h"
#include "core/time.h"
#include "crvs/civil_search.h"
#include "dci/callback_client.h"
#include "empowerment/training_store.h"
#include "programs/templates.h"

namespace sanad::app {

namespace {

// The pipeline's view of accounts: a session secret → its principal, through AuthService.
class ServiceAuthenticator final : public http::Authenticator {
 public:
  explicit ServiceAuthenticator(auth::AuthService& auth) : auth_(auth) {}
  Result<auth::Principal> Authenticate(const std::string& secret, auth::SessionKind expected_kind) override {
    return auth_.Authenticate(secret, expected_kind);
  }

 private:
  auth::AuthService& auth_;
};

// A periodic timer's tick: queues the pass, then deletes its runs older than `keep` (0: none). Neither
// failure is fatal: the next tick tries again; both are logged for the operator.
void Tick(jobs::ExclusivePass& pass, std::string_view what, std::chrono::hours keep) {
  if (auto job = pass.Start(std::nullopt, "system"); !job)
    spdlog::warn("{}: the pass could not be queued: {}", what, job.error().message);
  if (keep.count() <= 0) return;
  const long long days = keep.count() / 24;
  if (auto pruned = pass.PruneHistory(keep); !pruned) {
    spdlog::warn("{}: passes older than {} days could not be deleted: {}", what, days, pruned.error().message);
  } else if (*pruned > 0) {
    spdlog::info("{}: {} passes older than {} days deleted", what, *pruned, days);
  }
}

}  // namespace

std::string BackgroundHealth::MetricsText() const {
  std::string out;
  out += "# HELP sanad_name_index_update_failures_total Registry changes the name index could not apply.\n";
  out += "# TYPE sanad_name_index_update_failures_total counter\n";
  out += fmt::format("sanad_name_index_update_failures_total {}\n", name_index_failures.load());
  out += "# HELP sanad_change_feed_failures_total Failed passes over the registry change feed.\n";
  out += "# TYPE sanad_change_feed_failures_total counter\n";
  out += fmt::format("sanad_change_feed_failures_total {}\n", change_feed_failures.load());
  out += "# HELP sanad_rescoring_failures_total Failed passes re-scoring the households of approved changes.\n";
  out += "# TYPE sanad_rescoring_failures_total counter\n";
  out += fmt::format("sanad_rescoring_failures_total {}\n", rescoring_failures.load());
  out += "# HELP sanad_dci_notify_failures_total Failed passes queueing DCI subscription notifications.\n";
  out += "# TYPE sanad_dci_notify_failures_total counter\n";
  out += fmt::format("sanad_dci_notify_failures_total {}\n", dci_notify_failures.load());
  return out;
}

Application::Application(ApplicationOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<Application>> Application::Create(Platform& p, ApplicationOptions options) {
  std::unique_ptr<Application> a(new Application(std::move(options)));
  a->services_ = std::make_unique<api::Services>(
      api::Services{*p.db, *p.clock, *p.auth, *p.audit, *p.areas, a->metrics_, a->options_.data_dir});
  api::Services& s = *a->services_;
  s.registry = p.registry.get();
  s.changes = p.changes.get();
  s.benefits = p.benefits.get();
  s.scores = p.scores.get();
  s.programmes = p.programmes.get();
  s.payments = p.payments.get();
  s.payment_debtor = a->options_.payment_debtor;
  s.background_metrics = [health = &a->health_] { return health->MetricsText(); };

  // Background jobs: the runner claims queued jobs (from any server of the cluster) and jobs whose
  // server died.
  a->job_store_ = std::make_unique<jobs::JobStore>(*p.db);
  a->dedup_store_ = std::make_unique<dedup::DedupStore>(*p.db);
  a->dedup_ = std::make_unique<dedup::DedupService>(*a->dedup_store_, *p.changes, *a->job_store_, *p.clock);
  s.dedup = a->dedup_.get();
  a->runner_ = std::make_unique<jobs::JobRunner>(*a->job_store_, *p.clock, a->options_.jobs);
  a->runner_->Register(dedup::DedupService::kJobKind, *a->dedup_);
  a->dedup_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  a->audit_verify_ = std::make_unique<audit::AuditVerifyJobs>(*p.audit, *a->job_store_, *p.clock);
  s.audit_verify = a->audit_verify_.get();
  a->runner_->Register(audit::AuditVerifyJobs::kJobKind, *a->audit_verify_);
  a->audit_verify_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  a->cycle_store_ = std::make_unique<cycles::CycleStore>(*p.db);
  a->cycles_ = std::make_unique<cycles::CycleService>(
      *a->cycle_store_, *a->job_store_, *p.clock,
      a->options_.cycle_entries ? a->options_.cycle_entries : cycles::RegistryEntries());
  s.cycles = a->cycles_.get();
  a->runner_->Register(cycles::CycleService::kJobKind, *a->cycles_);
  a->cycles_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  // Cycles and targeting simulations look programmes up in the catalogue: a saved definition, else the
  // built-in template, so a saved change to ASD is what every later computation uses.
  auto programmes = [catalogue = p.programmes.get()](std::string_view code) { return catalogue->Find(code); };
  a->cycles_->SetProgrammes(programmes);
  // Targeting simulations read the registry through the cycles' as-of reader.
  a->simulations_ = std::make_unique<targeting::SimulationJobs>(*a->job_store_, *p.clock, programmes,
                                                                RegistryPopulationReader(*p.db, *p.clock));
  s.simulations = a->simulations_.get();
  a->runner_->Register(targeting::SimulationJobs::kJobKind, *a->simulations_);
  a->simulations_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  // Citizen e-services: reports, units, and the escalation pass of missed acknowledgement deadlines.
  a->report_store_ = std::make_unique<eservices::ReportStore>(*p.db);
  a->reports_ = std::make_unique<eservices::ReportService>(*a->report_store_, *p.areas, *a->job_store_, *p.clock);
  s.eservices = a->reports_.get();
  a->runner_->Register(eservices::ReportService::kJobKind, *a->reports_);
  a->reports_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  a->escalation_ = std::make_unique<eservices::EscalationScheduler>(*a->reports_, a->options_.escalation_period);
  s.report_address_limit =
      std::make_shared<http::RateLimiter>(a->options_.report_address_per_hour / 60.0, a->options_.report_address_burst);
  s.report_phone_limit =
      std::make_shared<http::RateLimiter>(a->options_.report_phone_per_hour / 60.0, a->options_.report_phone_burst);
  // Affiliation lists are matched against the registry by a job (the persons read as deduplication does).
  a->affiliation_store_ = std::make_unique<affiliation::AffiliationStore>(*p.db);
  a->affiliation_ = std::make_unique<affiliation::AffiliationService>(
      *a->affiliation_store_, *a->dedup_store_, *a->job_store_, *p.clock,
      a->options_.affiliation_funds.empty() ? affiliation::BuiltInFunds() : a->options_.affiliation_funds);
  s.affiliation = a->affiliation_.get();
  a->runner_->Register(affiliation::AffiliationService::kJobKind, *a->affiliation_);
  a->affiliation_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });

  // Case management: the store, the escalation pass of overdue cases on the runner, the notes' key.
  a->case_store_ = std::make_unique<cases::CaseStore>(*p.db);
  a->report_cases_ = std::make_unique<eservices::ReportCases>(*a->report_store_, *a->case_store_);
  a->crvs_store_ = std::make_unique<crvs::CrvsStore>(*p.db);
  a->crvs_ = std::make_unique<crvs::CrvsService>(*a->crvs_store_, *p.changes, *p.clock);
  s.cases = a->case_store_.get();
  s.report_cases = a->report_cases_.get();
  s.crvs = a->crvs_.get();
  a->case_escalation_ = std::make_unique<cases::CaseEscalation>(*a->case_store_, *a->job_store_, *p.clock);
  s.case_escalation = a->case_escalation_.get();
  a->runner_->Register(cases::CaseEscalation::kJobKind, *a->case_escalation_);
  a->case_escalation_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  a->placement_store_ = std::make_unique<cases::PlacementStore>(*p.db);
  s.placements = a->placement_store_.get();
  // Grievances: the store, the escalation pass of missed SLA deadlines on the runner, the public limit.
  a->grievance_store_ = std::make_unique<grievances::GrievanceStore>(*p.db);
  s.grievances = a->grievance_store_.get();
  a->grievance_escalation_ =
      std::make_unique<grievances::GrievanceEscalation>(*a->grievance_store_, *a->job_store_, *p.clock);
  s.grievance_escalation = a->grievance_escalation_.get();
  a->runner_->Register(grievances::GrievanceEscalation::kJobKind, *a->grievance_escalation_);
  a->grievance_escalation_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  s.grievance_address_limit =
      std::make_shared<http::RateLimiter>(a->options_.report_address_per_hour / 60.0, a->options_.report_address_burst);
  // Micro-credit: the nightly collection proposals on the runner.
  a->microcredit_store_ = std::make_unique<microcredit::MicrocreditStore>(*p.db);
  a->collection_ = std::make_unique<microcredit::CollectionProposals>(*a->microcredit_store_, *a->job_store_, *p.clock);
  s.microcredit_collection = a->collection_.get();
  a->runner_->Register(microcredit::CollectionProposals::kJobKind, *a->collection_);
  a->collection_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  if (a->options_.case_notes) {
    s.case_notes = &*a->options_.case_notes;
  } else {
    spdlog::warn("no case notes key (case_notes_key_file): confidential case notes are refused");
  }
  // Family counselling: bookings and sessions, and the outbox delivered by a job through the default
  // adapter (the log) until an SMS or e-mail gateway adapter is configured.
  a->counselling_store_ = std::make_unique<counselling::CounsellingStore>(*p.db);
  s.counselling = a->counselling_store_.get();
  a->counselling_outbox_ = std::make_unique<counselling::OutboxStore>(*p.db);
  s.counselling_outbox = a->counselling_outbox_.get();
  a->counselling_sender_ = std::make_unique<counselling::LogSender>();
  a->counselling_delivery_ = std::make_unique<counselling::NotificationDelivery>(
      *a->counselling_outbox_, *a->counselling_sender_, *a->job_store_, *p.clock);
  s.counselling_delivery = a->counselling_delivery_.get();
  a->runner_->Register(counselling::NotificationDelivery::kJobKind, *a->counselling_delivery_);
  a->counselling_delivery_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });

  // Several app servers may share the database: each follows the registry's change feed to keep its
  // name index current. The feed's position is read before the index is loaded, so that a change
  // committed in between is applied (again: harmless) rather than missed.
  a->feed_ = std::make_unique<registry::ChangeFeedStore>(*p.db);
  auto feed_from = a->feed_->LastSeq();
  if (!feed_from) return std::unexpected(feed_from.error());
  a->name_store_ = std::make_unique<names::PersonNameStore>(*p.db);
  a->names_ = std::make_unique<names::PersonNameSearch>(*a->name_store_);
  auto indexed = a->names_->Load();
  if (!indexed) return std::unexpected(indexed.error());
  spdlog::info("name index: {} persons", *indexed);
  p.changes->AddListener([names = a->names_.get(), health = &a->health_](const registry::AppliedChange& c) {
    // Not fatal: the change feed brings the same change again at its next pass.
    if (auto st = names->Apply(c); !st) {
      ++health->name_index_failures;
      spdlog::warn("name index: change request {} not applied yet (the change feed retries it): {}",
                   c.change_request_id, CliErrorText(st.error()));
    }
  });
  a->follower_ = std::make_unique<registry::ChangeFeedFollower>(
      *a->feed_, registry::FollowerOptions{.poll_interval = a->options_.feed_poll},
      [names = a->names_.get()](const registry::AppliedChange& c) { return names->Apply(c); },
      [health = &a->health_](const Error& e) {
        ++health->change_feed_failures;
        spdlog::warn("change feed: {}", CliErrorText(e));
      });
  a->follower_->Start(*feed_from);
  if (auto st = a->StartRescoring(p); !st) return std::unexpected(st.error());
  if (auto st = a->StartDci(p); !st) return std::unexpected(st.error());
  s.name_search = [names = a->names_.get()](const std::string& q, const registry::Scope& scope,
                                            const std::optional<std::string>& area,
                                            std::size_t k) { return names->Search(q, scope, area, k); };
  // The duplicate check of empowerment registrations looks for her person nationally by name, and so
  // does the civil registries' birth when Sanad does not hold the mother's identifier.
  auto national_name_hits = [names = a->names_.get(), clock = p.clock](const std::string& name) {
    const registry::Scope national{std::nullopt, DateOf(clock->Now()).ToString()};
    auto hits = names->Search(name, national, std::nullopt, 10);
    if (!hits) return Result<std::vector<std::int64_t>>(std::unexpected(hits.error()));
    std::vector<std::int64_t> ids;
    for (const auto& [id, score] : *hits) ids.push_back(id);
    return Result<std::vector<std::int64_t>>(std::move(ids));
  };
  a->empowerment_ = std::make_unique<empowerment::RegistrationService>(*p.empowerment, national_name_hits);
  a->crvs_->SetMotherLinkage(crvs::CrvsService::MotherLinkage{
      [clock = p.clock, svc = &s](const crvs::Source& source,
                                  const std::string& uin) -> Result<std::optional<crvs::CivilPerson>> {
        if (!source.base_url) return std::optional<crvs::CivilPerson>();  // a registry Sanad cannot ask
        auto request = crvs::SearchByIdRequest(uin, http::Pipeline::NewRequestId(), FormatTimestamp(clock->Now()));
        dci::SignEnvelope(request, svc->dci_key, dci::UnixSeconds(clock->Now()));
        auto answer =
            dci::PostJsonForAnswer(*source.base_url + "/registry/sync/search", request.dump(), std::chrono::seconds(5));
        if (!answer) return std::unexpected(answer.error());
        return crvs::ReadSearchAnswer(nlohmann::json::parse(answer->body, nullptr, false));
      },
      national_name_hits});
  s.empowerment = a->empowerment_.get();
  s.empowerment_store = p.empowerment.get();
  a->empowerment_funding_ =
      std::make_unique<empowerment::ApplicationService>(*p.empowerment_calls, *p.empowerment_apps, *p.empowerment);
  // Training completion as an eligibility or tranche-release condition: the trainings' one query.
  a->empowerment_funding_->SetTrainingCheck(
      [trainings = std::make_shared<empowerment::TrainingStore>(*p.db)](
          std::int64_t registration_id, const std::string& topic, const std::string& day) {
        return trainings->HasCompletedTraining(registration_id, topic, day);
      });
  s.empowerment_funding = a->empowerment_funding_.get();
  s.empowerment_calls = p.empowerment_calls.get();

  a->authenticator_ = std::make_unique<ServiceAuthenticator>(*p.auth);
  a->pipeline_ = std::make_unique<http::Pipeline>(*a->authenticator_, a->metrics_, a->options_.access_log,
                                                  http::TransportSecurity{.https = a->options_.https});
  if (!a->options_.web_root.empty()) {
    if (auto loaded = http::StaticFiles::Load(a->options_.web_root)) {
      a->files_ = std::move(*loaded);
    } else {
      spdlog::warn("{}; serving the API only", CliErrorText(loaded.error()));
    }
  }
  return a;
}

// Approved changes re-score their households with the active model, from the change feed at the
// position kept in the database (targeting/rescoring.h): this server's follower only wakes it up.
Status Application::StartRescoring(Platform& p) {
  if (!options_.score_model) {
    spdlog::warn("no score model (--score-model): approved changes do not re-score their households");
    return Ok();
  }
  // Its definition is kept under its version (scores are explained from it); a version kept with another
  // definition stops the server here rather than explaining scores wrongly.
  if (auto kept = p.scores->RecordModel(*options_.score_model, FormatTimestamp(p.clock->Now())); !kept)
    return std::unexpected(kept.error());
  services_->score_model = &*options_.score_model;
  rescoring_ = std::make_unique<targeting::Rescoring>(*p.db, *feed_, *p.scores, *options_.score_model, *p.clock);
  auto from = rescoring_->Position();
  if (!from) return std::unexpected(from.error());
  spdlog::info("score model {} {}: approved changes re-score their households (feed position {})",
               options_.score_model->name, options_.score_model->version, *from);
  rescoring_follower_ = std::make_unique<registry::ChangeFeedFollower>(
      *feed_, registry::FollowerOptions{.poll_interval = options_.feed_poll},
      [r = rescoring_.get()](const registry::AppliedChange&) -> Status {
        auto done = r->CatchUp();
        if (!done) return std::unexpected(done.error());
        if (done->whole_registry) spdlog::info("re-scoring: the change feed was pruned; scored every household");
        return Ok();
      },
      [health = &health_](const Error& e) {
        ++health->rescoring_failures;
        spdlog::warn("re-scoring: {}", CliErrorText(e));
      });
  rescoring_follower_->Start(*from);
  return Ok();
}

// The DCI API's outbox worker (callbacks) and the notifier that turns the change feed into `notify`
// callbacks for the partners' subscriptions (dci/notifier.h), woken by this server's feed follower.
Status Application::StartDci(Platform& p) {
  api::Services& s = *services_;
  dci_store_ = std::make_unique<dci::DciStore>(*p.db);
  s.dci = dci_store_.get();
  dci_outbox_ = std::make_unique<dci::OutboxWorker>(*dci_store_, *p.clock, options_.dci_outbox,
                                                    "sanad-" + http::Pipeline::NewRequestId());
  s.dci_poke = [w = dci_outbox_.get()] { w->Poke(); };
  if (options_.dci_outbox.signing_key) {
    s.dci_key = &*options_.dci_outbox.signing_key;
  } else {
    spdlog::warn("no DCI signing key (--dci-signing-key): Sanad's SPDCI callbacks and requests go unsigned");
  }
  s.dci_feed_position = [feed = feed_.get()] { return feed->LastSeq(); };
  auto records = [&s](const dci::Subscription& sub,
                      const registry::FeedEntry& e) -> Result<std::vector<nlohmann::json>> {
    registry::Scope scope;
    if (!sub.area_scope.empty()) scope.area = sub.area_scope;
    scope.today = DateOf(s.clock.Now()).ToString();
    std::vector<nlohmann::json> out;
    if (sub.record_type == "Group") {
      for (auto id : e.change.household_ids) {
        auto h = s.registry->households.GetHousehold(id, scope);
        if (!h) return std::unexpected(h.error());
        if (*h) out.push_back(api::dci_search::GroupRecord(**h, sub.locale));
      }
    } else {
      for (auto id : e.change.person_ids) {
        auto person = s.registry->households.GetPerson(id, scope);
        if (!person) return std::unexpected(person.error());
        if (*person) out.push_back(api::dci_search::PersonRecord(**person, sub.locale, ""));
      }
    }
    return out;
  };
  dci_notifier_ =
      std::make_unique<dci::Notifier>(*dci_store_, *feed_, *p.clock, records, [](const dci::Partner& partner) {
        std::string base = partner.callback_url;
        while (!base.empty() && base.back() == '/') base.pop_back();
        return base + "/registry/notify";
      });
  auto from = dci_notifier_->Position();
  if (!from) return std::unexpected(from.error());
  dci_follower_ = std::make_unique<registry::ChangeFeedFollower>(
      *feed_, registry::FollowerOptions{.poll_interval = options_.feed_poll},
      [n = dci_notifier_.get(), w = dci_outbox_.get()](const registry::AppliedChange&) -> Status {
        auto queued = n->CatchUp();
        if (!queued) return std::unexpected(queued.error());
        if (*queued) w->Poke();
        return Ok();
      },
      [health = &health_](const Error& e) {
        ++health->dci_notify_failures;
        spdlog::warn("dci notifications: {}", CliErrorText(e));
      });
  dci_follower_->Start(*from);
  return Ok();
}

Application::~Application() { Stop(); }

Status Application::Listen(std::optional<std::uint16_t> port) {
  http::ServerOptions server_options = options_.server;
  if (port) server_options.port = *port;
  http::RouteTable table = options_.routes ? options_.routes(*services_) : api::BuildRoutes(*services_);
  auto server = std::make_unique<http::Server>(server_options, std::move(table), *pipeline_, &files_);
  if (auto st = server->Start(); !st) return st;
  server_ = std::move(server);
  if (!runner_started_) {
    runner_->Start();
    escalation_->Start();
    dci_outbox_->Start();
    runner_started_ = true;
    const std::chrono::hours keep = options_.pass_history;
    if (options_.case_escalation_interval.count() > 0) {
      escalation_timer_ = std::make_unique<jobs::PeriodicTimer>(
          [pass = case_escalation_.get(), keep] { Tick(*pass, "case escalation", keep); },
          options_.case_escalation_interval);
      escalation_timer_->Start();
      grievance_timer_ = std::make_unique<jobs::PeriodicTimer>(
          [pass = grievance_escalation_.get(), keep] { Tick(*pass, "grievance escalation", keep); },
          options_.case_escalation_interval);
      grievance_timer_->Start();
    }
    if (options_.counselling_delivery_interval.count() > 0) {
      counselling_timer_ = std::make_unique<jobs::PeriodicTimer>(
          [pass = counselling_delivery_.get(), keep] { Tick(*pass, "counselling outbox delivery", keep); },
          options_.counselling_delivery_interval);
      counselling_timer_->Start();
    }
    if (options_.microcredit_collection_interval.count() > 0) {
      collection_timer_ = std::make_unique<jobs::PeriodicTimer>(
          [pass = collection_.get(), keep] { Tick(*pass, "micro-credit collection proposals", keep); },
          options_.microcredit_collection_interval);
      collection_timer_->Start();
    }
  }
  return Ok();
}

void Application::Stop() {
  if (server_) server_->Stop();
  server_.reset();
  if (escalation_) escalation_->Stop();
  if (escalation_timer_) escalation_timer_->Stop();
  escalation_timer_.reset();
  if (counselling_timer_) counselling_timer_->Stop();
  counselling_timer_.reset();
  if (grievance_timer_) grievance_timer_->Stop();
  grievance_timer_.reset();
  if (collection_timer_) collection_timer_->Stop();
  collection_timer_.reset();
  if (runner_started_) runner_->Stop();  // running jobs stop at their next chunk boundary
  if (dci_outbox_) dci_outbox_->Stop();
  runner_started_ = false;
  if (follower_) follower_->Stop();
  if (rescoring_follower_) rescoring_follower_->Stop();
  if (dci_follower_) dci_follower_->Stop();
}

}  // namespace sanad::app
