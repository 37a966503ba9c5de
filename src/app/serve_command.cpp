// sanad serve --db URL --port N [--bind ADDR]: the web application and the JSON API.
#include <csignal>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "api/services.h"
#include "app/commands.h"
#include "app/person_name_search.h"
#include "app/platform.h"
#include "dedup/dedup_service.h"
#include "http/server.h"

namespace sanad::app {

namespace {

struct ServeOptions {
  std::string db = "sqlite:var/sanad.db";
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 8;
  std::string web_root = DefaultWebRoot();
  std::string data_dir = DefaultDataDir();
  std::string access_log = "-";
  std::string public_url;  // https://… when a TLS proxy in front serves the application
};

int Serve(const ServeOptions& o) {
  // Block the stop signals before any thread starts so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto platform = OpenPlatform({o.db, o.data_dir, static_cast<std::size_t>(o.threads) + 2, true});
  if (!platform) {
    spdlog::error("{}", platform.error().message);
    return 1;
  }
  Platform& p = **platform;
  http::Metrics metrics;
  api::Services services{*p.db, p.clock, *p.auth, *p.audit, *p.areas, metrics, o.data_dir};
  services.registry = p.registry.get();
  services.changes = p.changes.get();
  services.benefits = p.benefits.get();
  // Deduplication jobs run in background threads owned by `dedup`; it outlives the server (declared
  // before it) and waits for a running job when the server stops.
  dedup::DedupStore dedup_store(*p.db);
  dedup::DedupService dedup(dedup_store, *p.changes, p.clock);
  if (auto st = dedup.RecoverInterrupted(); !st) spdlog::warn("deduplication jobs: {}", st.error().message);
  services.dedup = &dedup;
  PersonNameSearch names(*p.db);
  if (auto n = names.Load(); n) {
    spdlog::info("name index: {} persons", *n);
  } else {
    spdlog::error("name index: {}", n.error().message);
    return 1;
  }
  p.changes->AddListener([&names](const registry::AppliedChange& c) { names.OnApplied(c); });
  services.name_search = [&names](const std::string& q, const registry::Scope& scope, const std::optional<std::string>& area,
                                  std::size_t k) { return names.Search(q, scope, area, k); };

  std::shared_ptr<spdlog::logger> access;
  if (o.access_log == "-") {
    access = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  } else if (o.access_log != "none") {
    access = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::basic_file_sink_mt>(o.access_log));
  }
  if (access) {
    access->set_pattern("%v");
    access->flush_on(spdlog::level::info);
  }
  http::Pipeline pipeline(*p.auth, metrics, access, http::TransportSecurity{.https = o.public_url.starts_with("https://")});

  http::StaticFiles files;
  if (auto loaded = http::StaticFiles::Load(o.web_root)) {
    files = std::move(*loaded);
  } else {
    spdlog::warn("{}; serving the API only", loaded.error().message);
  }
  http::Server server({o.bind, static_cast<std::uint16_t>(o.port), static_cast<std::size_t>(o.threads)},
                      api::BuildRoutes(services), pipeline, &files);
  if (auto st = server.Start(); !st) {
    spdlog::error("{}", st.error().message);
    return 1;
  }
  spdlog::info("Sanad serving http://{}:{}/ (database {}, {} web files)", o.bind, o.port, p.db->url().display,
               files.size());
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, finishing requests in progress", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& root) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = root.add_subcommand("serve", "Serve the web application and the JSON API");
  cmd->add_option("--db", o->db, "Database URL: sqlite:PATH or postgresql://USER@HOST:PORT/DB")->capture_default_str();
  cmd->add_option("--port", o->port, "TCP port")->check(CLI::Range(1, 65535))->capture_default_str();
  cmd->add_option("--bind", o->bind, "Address to listen on")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Request threads")->check(CLI::Range(1, 256))->capture_default_str();
  cmd->add_option("--web-root", o->web_root, "Folder of the built web application")->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->add_option("--access-log", o->access_log, "Access log file; '-' for standard output, 'none' to disable")
      ->capture_default_str();
  cmd->add_option("--public-url", o->public_url,
                  "Address users reach the application at, e.g. https://sanad.example.ma behind a TLS proxy; "
                  "https:// marks session cookies Secure and sends Strict-Transport-Security")
      ->check([](const std::string& v) {
        return v.starts_with("https://") || v.starts_with("http://") ? std::string()
                                                                     : std::string("must start with https:// or http://");
      });
  cmd->callback([o] { std::exit(Serve(*o)); });
}

}  // namespace sanad::app
