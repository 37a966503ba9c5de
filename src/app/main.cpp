// sanad: one binary for the web application, the API, the batch engines and administration.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "app/config.h"
#include "app/link_command.h"
#include "app/synth_command.h"

int main(int argc, char** argv) {
  // Diagnostics go to standard error; standard output carries results (and the access log).
  spdlog::set_default_logger(spdlog::stderr_color_mt("sanad"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  CLI::App app{"Sanad (سند): social protection platform"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sanad " SANAD_VERSION);
  sanad::app::RegisterServeCommand(app);
  sanad::app::RegisterMigrateCommand(app);
  sanad::app::RegisterUserCommand(app);
  sanad::app::RegisterAuditCommand(app);
  sanad::app::RegisterDciCommand(app);
  sanad::app::RegisterDemoCommand(app);
  sanad::app::RegisterImportCommand(app);
  sanad::app::RegisterBackupCommands(app);
  sanad::app::RegisterScoreCommand(app);
  sanad::app::RegisterLinkCommand(app);
  sanad::app::RegisterSynthCommand(app);
  // Last: the configuration covers every option registered above.
  auto config = std::make_shared<sanad::app::Configuration>();
  sanad::app::RegisterConfigCommand(app, config);
  config->Apply(app, argc, argv);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
