#include "app/config.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/cli_errors.h"
#include "db/database_url.h"

namespace sanad::app {

namespace {

// The command whose every option is a setting: the service.
constexpr std::string_view kServiceCommand = "serve";
// Settings that also configure the other commands having the option (migrate, user add, import…).
const std::set<std::string> kSharedKeys = {"db", "db_password_file", "data_dir"};
// Left out on purpose: `demo` creates demonstration accounts and must never reach the production
// database named by the configuration file.
const std::set<std::string> kUnconfiguredCommands = {"demo"};

std::vector<CLI::App*> Subcommands(CLI::App& app) {
  return app.get_subcommands([](CLI::App*) { return true; });
}

bool HasSpace(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace

std::string KeyOf(const CLI::Option& option) {
  std::string key = option.get_lnames().empty() ? option.get_single_name() : option.get_lnames().front();
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

std::string EnvNameOf(const std::string& key) {
  std::string env = "SANAD_" + key;
  std::transform(env.begin(), env.end(), env.begin(), [](unsigned char c) { return std::toupper(c); });
  return env;
}

const Setting* Configuration::Find(const std::string& key) const {
  for (const auto& s : settings_) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

Setting* Configuration::FindMutable(const std::string& key) { return const_cast<Setting*>(Find(key)); }

void Configuration::AddError(std::string key, std::string message) {
  errors_.push_back(Error{Code::kInvalidArgument, std::move(message), std::move(key), 0});
}

void Configuration::Declare(CLI::App& command, bool all_options) {
  bool any = false;
  for (CLI::Option* opt : command.get_options()) {
    if (opt->get_lnames().empty()) continue;  // positional arguments are not settings
    const std::string key = KeyOf(*opt);
    if (key == "help" || key == "config" || key == "version") continue;
    if (!all_options && !kSharedKeys.contains(key)) continue;
    Setting* s = FindMutable(key);
    if (s == nullptr) {
      Setting fresh;
      fresh.key = key;
      fresh.env = EnvNameOf(key);
      fresh.default_value = opt->get_default_str();
      settings_.push_back(std::move(fresh));
      s = &settings_.back();
    }
    s->secret_file = s->secret_file || opt->get_group() == kSecretGroup;
    s->options.push_back(opt);
    opt->envname(s->env);
    any = true;
  }
  if (!any) return;
  if (command.get_option_no_throw("--config") == nullptr) {
    ignored_config_flags_.push_back(std::make_unique<std::string>());
    command.add_option(
        "--config", *ignored_config_flags_.back(),
        fmt::format("Configuration file (default {} when it exists; env SANAD_CONFIG)", kDefaultConfigFile));
  }
  // A configured command does not run on a configuration with errors (`sanad config check` lists them).
  command.preparse_callback([this](std::size_t) {
    if (errors_.empty()) return;
    // Each text names its key itself ("port: SANAD_PORT=eighty is not a number").
    for (const auto& e : errors_) fmt::print(stderr, "configuration error: {}\n", CliMessage(e));
    fmt::print(stderr, "(`sanad config check` prints the effective configuration)\n");
    std::exit(2);
  });
}

void Configuration::LocateFile(int argc, const char* const* argv) {
  // --config is read before CLI11 parses, because the file supplies the defaults of that parse.
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      file_ = argv[i + 1];
      file_origin_ = "--config";
    } else if (a.starts_with("--config=")) {
      file_ = std::string(a.substr(9));
      file_origin_ = "--config";
    }
  }
  if (file_origin_.empty()) {
    if (const char* env = std::getenv("SANAD_CONFIG")) {
      file_ = env;
      file_origin_ = "SANAD_CONFIG";
    } else if (std::error_code ec; std::filesystem::exists(kDefaultConfigFile, ec)) {
      file_ = kDefaultConfigFile;
      file_origin_ = "default location";
    }
  }
}

void Configuration::ApplyFile() {
  std::vector<CLI::ConfigItem> items;
  {
    std::ifstream in(file_);
    if (!in) {
      AddError("config", fmt::format("config: cannot read configuration file {} ({}): {}", file_, file_origin_,
                                     std::strerror(errno)));
      return;
    }
    try {
      items = CLI::ConfigTOML().from_config(in);
    } catch (const CLI::Error& e) {
      AddError("config", fmt::format("config: {}: {}", file_, e.what()));
      return;
    }
  }
  std::set<std::string> seen;
  for (const auto& item : items) {
    if (item.name == "--") continue;
    if (!item.parents.empty()) {
      if (item.name == "++") {
        AddError(item.parents.front(),
                 fmt::format("[{}] in {}: sections are not used; write `key = value` lines at the top",
                             item.parents.front(), file_));
      }
      continue;
    }
    if (HasSpace(item.name)) {
      AddError(item.name, fmt::format("'{}' in {} is not a `key = value` line", item.name, file_));
      continue;
    }
    std::string key = item.name;
    std::replace(key.begin(), key.end(), '-', '_');
    Setting* s = FindMutable(key);
    if (s == nullptr) {
      if (const Setting* f = Find(key + "_file"); f != nullptr && f->secret_file) {
        AddError(key, fmt::format("{} in {}: secrets are not read from the configuration file; name a file readable "
                                  "by the service user only with {}_file, or set {}",
                                  key, file_, key, EnvNameOf(key)));
      } else {
        std::string known;
        for (const auto& k : settings_) known += (known.empty() ? "" : ", ") + k.key;
        AddError(key, fmt::format("unknown key '{}' in {} (known keys: {})", key, file_, known));
      }
      continue;
    }
    if (!seen.insert(key).second) {
      AddError(key, fmt::format("{} is given twice in {}", key, file_));
      continue;
    }
    if (item.inputs.size() != 1) {
      AddError(key, fmt::format("{} in {}: one value expected (given twice, or a list)", key, file_));
      continue;
    }
    s->value = item.inputs.front();
    s->source = Source::kFile;
    for (CLI::Option* opt : s->options) {
      try {
        opt->run_callback_for_default();
        opt->default_val(s->value);
      } catch (const CLI::Error& e) {
        AddError(key, fmt::format("{} = {} in {}: {}", key, db::RedactPassword(s->value), file_, e.what()));
        break;
      }
    }
  }
}

void Configuration::ApplyEnvironment() {
  for (auto& s : settings_) {
    const char* env = std::getenv(s.env.c_str());
    if (env == nullptr || *env == '\0') continue;
    s.value = env;
    s.source = Source::kEnvironment;
    for (CLI::Option* opt : s.options) {
      try {
        opt->run_callback_for_default();
        opt->default_val(s.value);
      } catch (const CLI::Error& e) {
        AddError(s.key, fmt::format("{}: {}={}: {}", s.key, s.env, db::RedactPassword(s.value), e.what()));
        // Reported here, naming the variable; CLI11 must not trip over the same value while parsing.
        for (CLI::Option* o : s.options) o->envname("");
        break;
      }
    }
  }
}

void Configuration::Apply(CLI::App& root, int argc, const char* const* argv) {
  auto commands = Subcommands(root);
  // The service first: its defaults are the ones `config check` shows.
  std::stable_partition(commands.begin(), commands.end(), [](CLI::App* c) { return c->get_name() == kServiceCommand; });
  std::vector<CLI::App*> pending(commands.begin(), commands.end());
  while (!pending.empty()) {
    CLI::App* c = pending.front();
    pending.erase(pending.begin());
    if (kUnconfiguredCommands.contains(c->get_name())) continue;
    Declare(*c, c->get_name() == kServiceCommand && c->get_parent() == &root);
    for (CLI::App* sub : Subcommands(*c)) pending.push_back(sub);
  }
  if (root.get_option_no_throw("--config") == nullptr) {
    ignored_config_flags_.push_back(std::make_unique<std::string>());
    root.add_option(
        "--config", *ignored_config_flags_.back(),
        fmt::format("Configuration file (default {} when it exists; env SANAD_CONFIG)", kDefaultConfigFile));
  }
  LocateFile(argc, argv);
  if (!file_.empty()) ApplyFile();
  ApplyEnvironment();
  if (const Setting* db = Find("db"); db != nullptr && db->source != Source::kDefault) {
    if (auto url = db::ParseDatabaseUrl(db->value); !url) AddError("db", "db: " + CliMessage(url.error()));
  }
}

Result<std::string> ReadSecretFile(const std::string& key, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Fail(Code::kInvalidArgument,
                fmt::format("{}: cannot read secret file {}: {}", key, path, std::strerror(errno)), key);
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(Code::kInvalidArgument, fmt::format("{}: secret file {} is not a regular file", key, path), key);
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Fail(Code::kInvalidArgument,
                fmt::format("{}: secret file {} is accessible to group or others (mode {:04o}); make the service user "
                            "its owner and chmod 600 it",
                            key, path, st.st_mode & 07777),
                key);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(Code::kInvalidArgument,
                fmt::format("{}: cannot read secret file {}: {}", key, path, std::strerror(errno)), key);
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::string secret = content.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return Fail(Code::kInvalidArgument, fmt::format("{}: secret file {} is empty", key, path), key);
  return secret;
}

Result<std::optional<std::string>> ReadSecret(const std::string& key, const std::string& file_path) {
  if (const char* env = std::getenv(EnvNameOf(key).c_str()); env != nullptr && *env != '\0') return std::string(env);
  if (file_path.empty()) return std::nullopt;
  auto secret = ReadSecretFile(key + "_file", file_path);
  if (!secret) return std::unexpected(secret.error());
  return std::move(*secret);
}

Result<std::string> ResolveDatabaseUrl(const DatabaseOptions& db) {
  auto password = ReadSecret("db_password", db.password_file);
  if (!password) return std::unexpected(password.error());
  if (!*password) return db.url;
  auto parsed = db::ParseDatabaseUrl(db.url);
  if (!parsed) return std::unexpected(parsed.error());
  if (parsed->dialect == db::Dialect::kSqlite) return db.url;  // an SQLite file has no password
  // postgresql://[USER[:PASSWORD]@]HOST…: the parser takes the credentials up to the last '@', so any
  // character is safe in the password.
  const auto scheme_end = db.url.find("://") + 3;
  const std::string rest = db.url.substr(scheme_end);
  const auto at = rest.rfind('@');
  if (at != std::string::npos && rest.substr(0, at).find(':') != std::string::npos) {
    return Fail(Code::kInvalidArgument,
                "db: the URL holds a password and db_password is configured too; keep only db_password", "db");
  }
  const std::string user = at == std::string::npos ? "" : rest.substr(0, at);
  const std::string host = at == std::string::npos ? rest : rest.substr(at + 1);
  return db.url.substr(0, scheme_end) + user + ":" + **password + "@" + host;
}

void AddDatabaseOptions(CLI::App& command, DatabaseOptions& db) {
  command.add_option("--db", db.url, "Database URL: sqlite:PATH or postgresql://USER@HOST:PORT/DB")
      ->capture_default_str();
  command
      .add_option("--db-password-file", db.password_file,
                  "File holding the PostgreSQL password, readable by its owner only (or set SANAD_DB_PASSWORD)")
      ->group(kSecretGroup);
}

}  // namespace sanad::app
