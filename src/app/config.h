// Configuration of the commands from one file, the environment and the command line.
//
// Every long option of `sanad serve` is a setting, and so are the few options the other commands that
// open the database share with it (kSharedKeys). A setting `web-root` is the key `web_root` in the
// file, the variable SANAD_WEB_ROOT in the environment and the flag --web-root. Precedence: command
// line > environment > file > built-in default. A new option on `serve` is therefore configurable
// without further code.
//
// The file is read with CLI11's own TOML/INI reader: `key = value` lines, '#' comments. It is
// /etc/sanad/sanad.conf when it exists, or --config FILE, or $SANAD_CONFIG (empty: no file).
//
// Secrets are never read from the file (often world-readable) nor from the database, and never
// printed or logged: an option in the group kSecretGroup names a file that must be readable by its
// owner only, and for `X_file` settings the variable SANAD_X may hold the value itself.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/platform.h"
#include "core/error.h"

namespace sanad::app {

inline constexpr const char* kDefaultConfigFile = "/etc/sanad/sanad.conf";
inline constexpr const char* kSecretGroup = "Secrets";

enum class Source { kDefault, kFile, kEnvironment };

struct Setting {
  std::string key;            // web_root
  std::string env;            // SANAD_WEB_ROOT
  std::string value;          // effective value before the command line (a path for a secret file)
  std::string default_value;  // the built-in default
  Source source = Source::kDefault;
  bool secret_file = false;           // the value names a file holding a secret
  std::vector<CLI::Option*> options;  // the same setting on every command that has it
};

class Configuration {
 public:
  // Declares the settings of `root`'s commands, gives each option its environment variable, and
  // applies the file and the environment as the options' defaults so that the command line, parsed
  // afterwards, wins. `args` is argv: --config is looked for before CLI11 parses. Problems (unknown
  // key, bad value, unreadable file) are collected: a configured command refuses to run while there
  // are any, and `sanad config check` lists them.
  void Apply(CLI::App& root, int argc, const char* const* argv);

  const std::string& file() const { return file_; }
  const std::string& file_origin() const { return file_origin_; }
  const std::vector<Setting>& settings() const { return settings_; }
  const std::vector<Error>& errors() const { return errors_; }
  const Setting* Find(const std::string& key) const;

 private:
  Setting* FindMutable(const std::string& key);
  void Declare(CLI::App& command, bool all_options);
  void LocateFile(int argc, const char* const* argv);
  void ApplyFile();
  void ApplyEnvironment();
  void AddError(std::string key, std::string message);

  std::string file_;
  std::string file_origin_;
  std::vector<Setting> settings_;
  std::vector<Error> errors_;
  std::vector<std::unique_ptr<std::string>> ignored_config_flags_;  // targets of the --config options
};

// The key of an option: its first long name with '-' → '_' ("web-root" → "web_root").
std::string KeyOf(const CLI::Option& option);
// SANAD_ + the key in capitals.
std::string EnvNameOf(const std::string& key);

// Reads a secret from `path`: a regular file that neither group nor others may access. The trailing
// line break is dropped. Errors name `key`, never the content.
Result<std::string> ReadSecretFile(const std::string& key, const std::string& path);

// The secret `key` (e.g. "db_password"): $SANAD_DB_PASSWORD if set, else the content of
// `file_path` (the value of the db_password_file setting) if not empty, else nothing.
Result<std::optional<std::string>> ReadSecret(const std::string& key, const std::string& file_path);

// The URL to open: `db.url` with the database password (db_password) put in when one is configured.
// A PostgreSQL URL that already holds a password and a configured password are refused together.
Result<std::string> ResolveDatabaseUrl(const DatabaseOptions& db);

// Adds --db and --db-password-file to a command.
void AddDatabaseOptions(CLI::App& command, DatabaseOptions& db);

// `sanad config check`: prints the effective configuration with each value's source (secrets
// masked); exit 1 naming the key when something is wrong.
void RegisterConfigCommand(CLI::App& root, std::shared_ptr<const Configuration> config);

}  // namespace sanad::app
