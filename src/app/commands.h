// Subcommands of the `sanad` binary. Each Register* adds one subcommand to the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace sanad::app {

void RegisterServeCommand(CLI::App& root);
void RegisterMigrateCommand(CLI::App& root);
void RegisterUserCommand(CLI::App& root);
void RegisterAuditCommand(CLI::App& root);
void RegisterDciCommand(CLI::App& root);
void RegisterDemoCommand(CLI::App& root);
void RegisterImportCommand(CLI::App& root);
void RegisterBackupCommands(CLI::App& root);  // backup, restore, migrate-data
void RegisterScoreCommand(CLI::App& root);

}  // namespace sanad::app
