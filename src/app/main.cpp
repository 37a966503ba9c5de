// sanad: one binary for the web application, the API, the batch engines and administration.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "app/config.h"
#if __has_include("app/link_command.h") && defined(SANAD_WITH_LINK)
#include "app/link_command.h"
#endif
#if __has_include("app/synth_command.h") && defined(SANAD_WITH_SYNTH)
#include "app/synth_command.h"
#endif

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
  sanad::app::RegisterDemoCommand(app);
  sanad::app::RegisterImportCommand(app);
  sanad::app::RegisterBackupCommands(app);
#if __has_include("app/link_command.h") && defined(SANAD_WITH_LINK)
  sanad::app::RegisterLinkCommand(app);
#endif
#if __has_include("app/synth_command.h") && defined(SANAD_WITH_SYNTH)
  sanad::app::RegisterSynthCommand(app);
#endif
  // Last: the configuration covers every option registered above.
  auto config = std::make_shared<sanad::app::Configuration>();
  sanad::app::RegisterConfigCommand(app, config);
  config->Apply(app, argc, argv);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
