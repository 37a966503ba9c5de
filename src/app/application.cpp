#include "app/application.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/cli_errors.h"
#include "app/population_reader.h"
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

  // Case management: the store, the escalation pass of overdue cases on the runner, the notes' key.
  a->case_store_ = std::make_unique<cases::CaseStore>(*p.db);
  s.cases = a->case_store_.get();
  a->case_escalation_ = std::make_unique<cases::CaseEscalation>(*a->case_store_, *a->job_store_, *p.clock);
  s.case_escalation = a->case_escalation_.get();
  a->runner_->Register(cases::CaseEscalation::kJobKind, *a->case_escalation_);
  a->case_escalation_->SetOnQueued([runner = a->runner_.get()] { runner->Poke(); });
  if (a->options_.case_notes) {
    s.case_notes = &*a->options_.case_notes;
  } else {
    spdlog::warn("no case notes key (case_notes_key_file): confidential case notes are refused");
  }

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
  s.name_search = [names = a->names_.get()](const std::string& q, const registry::Scope& scope,
                                            const std::optional<std::string>& area,
                                            std::size_t k) { return names->Search(q, scope, area, k); };

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
    runner_started_ = true;
    if (options_.case_escalation_interval.count() > 0) {
      escalation_timer_ =
          std::make_unique<cases::EscalationTimer>(*case_escalation_, options_.case_escalation_interval);
      escalation_timer_->Start();
    }
  }
  return Ok();
}

void Application::Stop() {
  if (server_) server_->Stop();
  server_.reset();
  if (escalation_timer_) escalation_timer_->Stop();
  escalation_timer_.reset();
  if (runner_started_) runner_->Stop();  // running jobs stop at their next chunk boundary
  runner_started_ = false;
  if (follower_) follower_->Stop();
  if (rescoring_follower_) rescoring_follower_->Stop();
}

}  // namespace sanad::app
