// sanad migrate, sanad user add, sanad audit keygen, sanad audit verify, sanad dci keygen.
#include <spdlog/spdlog.h>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/checkpoint.h"
#include "audit/verify_report.h"
#include "dci/signature.h"

#include "app/cli_errors.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/platform.h"

namespace sanad::app {

void RegisterMigrateCommand(CLI::App& root) {
  struct Options {
    DatabaseOptions db{"sqlite:var/sanad.db"};
    std::string data_dir = DefaultDataDir();
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand("migrate", "Apply schema migrations and load reference areas");
  AddDatabaseOptions(*cmd, o->db);
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->callback([o] {
    auto p = OpenPlatform({o->db, o->data_dir, 1, true});
    if (!p) {
      spdlog::error("{}", CliErrorText(p.error()));
      std::exit(1);
    }
    std::cout << "database " << (*p)->db->url().display << " is up to date\n";
  });
}

void RegisterUserCommand(CLI::App& root) {
  struct Options {
    DatabaseOptions db{"sqlite:var/sanad.db"};
    std::string data_dir = DefaultDataDir();
    std::string username;
    std::vector<std::string> roles;
    std::string area;
  };
  auto o = std::make_shared<Options>();
  auto* user = root.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create an account; the password is read from standard input");
  AddDatabaseOptions(*add, o->db);
  add->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  add->add_option("--username", o->username, "Login name (a–z, 0–9, . _ -)")->required();
  add->add_option("--role", o->roles, "Role (repeat for several)")->required();
  add->add_option("--area", o->area, "Area scope code, e.g. MA-03 (optional)");
  add->callback([o] {
    std::vector<auth::Role> roles;
    for (const auto& name : o->roles) {
      auto r = auth::ParseRole(name);
      if (!r) {
        std::string all;
        for (auto x : auth::AllRoles()) all += std::string(all.empty() ? "" : ", ") + std::string(auth::RoleName(x));
        spdlog::error("unknown role '{}'; roles are: {}", name, all);
        std::exit(2);
      }
      roles.push_back(*r);
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    auto p = OpenPlatform({o->db, o->data_dir, 1, true});
    if (!p) {
      spdlog::error("{}", CliErrorText(p.error()));
      std::exit(1);
    }
    std::optional<std::string> area;
    if (!o->area.empty()) area = o->area;
    auto u = (*p)->auth->CreateUser(o->username, password, roles, area);
    if (!u) {
      spdlog::error("{}", CliErrorText(u.error()));
      std::exit(1);
    }
    std::cout << "created user " << u->username << " (id " << u->id.value << ")\n";
  });
}

void RegisterAuditCommand(CLI::App& root) {
  struct Options {
    DatabaseOptions db{"sqlite:var/sanad.db"};
    std::string checkpoints;
    std::string public_key;
    std::string signing_key;
    std::string out;
  };
  auto o = std::make_shared<Options>();
  auto* audit_cmd = root.add_subcommand("audit", "Audit log tools");
  audit_cmd->require_subcommand(1);

  auto* keygen = audit_cmd->add_subcommand("keygen", "Create an Ed25519 key for signing audit checkpoints (mode 0600)");
  keygen->add_option("--out", o->out, "Key file to create (must not exist)")->required();
  keygen->callback([o] {
    auto pub = audit::GenerateKeyFile(o->out);
    if (!pub) {
      spdlog::error("{}", CliErrorText(pub.error()));
      std::exit(2);
    }
    std::cout << "created " << o->out << " (mode 0600); public key:\n"
              << *pub << "\n"
              << "keep a copy of the public key away from the server: sanad audit verify --audit-public-key " << *pub
              << "\n";
  });

  auto* verify = audit_cmd->add_subcommand(
      "verify",
      "Recompute the hash chain and check it against the signed checkpoints; exit 1 at the first broken entry");
  AddDatabaseOptions(*verify, o->db);
  verify->add_option("--checkpoints", o->checkpoints, "Checkpoint file written by sanad serve --audit-checkpoints");
  verify->add_option("--audit-public-key", o->public_key,
                     "Public key (64 hex digits) that signed the checkpoints; default: the one in the file's header");
  verify->add_option("--audit-signing-key", o->signing_key, "Take the public key from this signing key file instead");
  verify->callback([o] {
    std::optional<audit::CheckpointFile> file;
    audit::Anchors anchors;
    if (!o->checkpoints.empty()) {
      auto read = audit::ReadCheckpointFile(o->checkpoints);
      if (!read) {
        spdlog::error("{}", CliErrorText(read.error()));
        std::exit(2);
      }
      file = std::move(*read);
      std::string key_hex = file->public_key_hex;
      std::string key_source = "the checkpoint file's header";
      if (!o->public_key.empty()) {
        key_hex = o->public_key;
        key_source = "--audit-public-key";
      } else if (!o->signing_key.empty()) {
        auto key = audit::LoadSigningKey(o->signing_key);
        if (!key) {
          spdlog::error("{}", CliErrorText(key.error()));
          std::exit(2);
        }
        key_hex = key->PublicHex();
        key_source = "--audit-signing-key";
      }
      auto key = audit::ParsePublicKey(key_hex);
      if (!key) {
        spdlog::error("{}: {}", key_source, CliErrorText(key.error()));
        std::exit(2);
      }
      if (key_hex != file->public_key_hex) {
        std::cout << "audit checkpoints BROKEN: the checkpoint file names public key " << file->public_key_hex
                  << ", not the expected " << key_hex << "\n";
        std::exit(1);
      }
      anchors.file = &*file;
      anchors.public_key = *key;
      if (key_source == "the checkpoint file's header") {
        spdlog::warn(
            "the public key comes from the checkpoint file itself; pass --audit-public-key to rule out a re-signed "
            "file");
      }
    } else if (!o->public_key.empty() || !o->signing_key.empty()) {
      spdlog::error("a key needs --checkpoints FILE");
      std::exit(2);
    }
    auto p = OpenPlatform({o->db, DefaultDataDir(), 1, false});
    if (!p) {
      spdlog::error("{}", CliErrorText(p.error()));
      std::exit(2);
    }
    auto report = (*p)->audit->Verify(file ? &anchors : nullptr);
    if (!report) {
      spdlog::error("{}", CliErrorText(report.error()));
      std::exit(2);
    }
    if (report->bad_checkpoint_line) {
      std::cout << "audit checkpoints BROKEN at line " << *report->bad_checkpoint_line << " of " << o->checkpoints
                << ": " << audit::VerifyReasonText(*report, i18n::Lang::kEn) << "\n";
      std::exit(1);
    }
    if (report->first_broken_id) {
      std::cout << "audit chain BROKEN at entry " << *report->first_broken_id << ": "
                << audit::VerifyReasonText(*report, i18n::Lang::kEn) << " (" << report->checked << " entries read)\n";
      std::exit(1);
    }
    std::cout << "audit chain intact: " << report->checked << " entries verified";
    if (file) {
      std::cout << "; " << report->checkpoints << " signed checkpoints checked, entries 1 to "
                << report->anchored_through << " match them";
      if (report->checked > report->anchored_through) {
        std::cout << " (" << report->checked - report->anchored_through << " later entries not yet checkpointed)";
      }
    } else {
      std::cout << " (the chain alone: without --checkpoints a rewritten and rehashed log also passes)";
    }
    std::cout << "\n";
  });
}

void RegisterDciCommand(CLI::App& root) {
  auto out = std::make_shared<std::string>();
  auto* dci_cmd = root.add_subcommand("dci", "SPDCI interoperability tools");
  dci_cmd->require_subcommand(1);
  auto* keygen = dci_cmd->add_subcommand(
      "keygen",
      "Create the deployment's Ed25519 key signing SPDCI messages (mode 0600; sanad serve --dci-signing-key)");
  keygen->add_option("--out", *out, "Key file to create (must not exist)")->required();
  keygen->callback([out] {
    // The same file format as the audit key: one generator and one loader with the same permission checks.
    auto made = audit::GenerateKeyFile(*out);
    auto file = made ? audit::LoadSigningKey(*out, "DCI signing key", "out")
                     : Result<audit::SigningKey>(std::unexpected(made.error()));
    auto key = file ? dci::OwnKeyFromSecret(file->secret) : Result<dci::OwnKey>(std::unexpected(file.error()));
    if (!key) {
      spdlog::error("{}", CliErrorText(key.error()));
      std::exit(2);
    }
    std::cout << "created " << *out << " (mode 0600); copy it to every app server of this deployment\n"
              << "key id " << key->key_id << ", public key (base64, also at GET /dci/public-key):\n"
              << key->pair.public_key << "\n";
  });
}

}  // namespace sanad::app
