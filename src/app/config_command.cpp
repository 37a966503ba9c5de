// sanad config check [--config FILE]: the effective configuration, where each value comes from, and
// whatever is wrong with it (exit 1).
#include <fmt/format.h>
#include <cstdlib>
#include <iostream>

#include "app/cli_errors.h"
#include "app/config.h"
#include "db/database_url.h"

namespace sanad::app {

namespace {

constexpr const char* kMask = "********";

std::string SourceText(const Configuration& config, const Setting& s) {
  switch (s.source) {
    case Source::kFile:
      return "file " + config.file();
    case Source::kEnvironment:
      return "env " + s.env;
    case Source::kDefault:
      break;
  }
  return "default";
}

int Check(const Configuration& config) {
  std::vector<Error> errors = config.errors();
  std::vector<std::string> warnings;
  if (config.file().empty()) {
    std::cout << fmt::format("configuration file: none ({} does not exist)\n", kDefaultConfigFile);
  } else {
    std::cout << fmt::format("configuration file: {} ({})\n", config.file(), config.file_origin());
  }
  std::cout << fmt::format("{:<22} {:<44} {}\n", "KEY", "VALUE", "SOURCE");
  auto row = [](const std::string& key, const std::string& value, const std::string& source) {
    std::cout << fmt::format("{:<22} {:<44} {}\n", key, value.empty() ? "(none)" : value, source);
  };
  bool postgres = false;
  for (const Setting& s : config.settings()) {
    row(s.key, db::RedactPassword(s.value.empty() && s.source == Source::kDefault ? s.default_value : s.value),
        SourceText(config, s));
    const std::string value = s.source == Source::kDefault ? s.default_value : s.value;
    if (s.key == "db") {
      if (auto url = db::ParseDatabaseUrl(value); !url) {
        errors.push_back(Error{Code::kInvalidArgument, "db: " + CliMessage(url.error()), "db", 0});
      } else {
        postgres = url->dialect == db::Dialect::kPostgres;
        if (db::RedactPassword(value) != value) {
          warnings.emplace_back(
              "db: the URL holds a password; move it to a file named by db_password_file or to "
              "SANAD_DB_PASSWORD");
        }
      }
    }
    if (s.secret_file && !value.empty()) {
      if (auto secret = ReadSecretFile(s.key, value); !secret) errors.push_back(secret.error());
    }
    // A `X_file` secret may also come straight from $SANAD_X: show where X itself comes from.
    if (s.secret_file && s.key.ends_with("_file")) {
      const std::string key = s.key.substr(0, s.key.size() - 5);
      const std::string env = EnvNameOf(key);
      const char* direct = std::getenv(env.c_str());
      if (direct != nullptr && *direct != '\0') {
        row(key, kMask, "env " + env);
      } else if (!value.empty()) {
        row(key, kMask, "file named by " + s.key);
      } else {
        row(key, "", "not set");
      }
      if (key == "db_password" && !postgres && (!value.empty() || (direct != nullptr && *direct != '\0'))) {
        warnings.emplace_back("db_password is set but the database is SQLite: it is not used");
      }
    }
  }
  for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";
  for (const auto& e : errors) std::cerr << "error: " << CliMessage(e) << "\n";  // each names its key
  if (!errors.empty()) return 1;
  std::cout << "configuration OK\n";
  return 0;
}

}  // namespace

void RegisterConfigCommand(CLI::App& root, std::shared_ptr<const Configuration> config) {
  auto* cmd = root.add_subcommand("config", "Configuration tools");
  cmd->require_subcommand(1);
  auto* check =
      cmd->add_subcommand("check", "Print the effective configuration and each value's source; exit 1 on an error");
  auto file = std::make_shared<std::string>();
  check->add_option(
      "--config", *file,
      fmt::format("Configuration file (default {} when it exists; env SANAD_CONFIG)", kDefaultConfigFile));
  check->callback([config, file] { std::exit(Check(*config)); });
}

}  // namespace sanad::app
