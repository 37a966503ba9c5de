// sanad migrate, sanad user add, sanad audit verify.
#include <iostream>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/platform.h"

namespace sanad::app {

void RegisterMigrateCommand(CLI::App& root) {
  struct Options {
    std::string db = "sqlite:var/sanad.db";
    std::string data_dir = DefaultDataDir();
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand("migrate", "Apply schema migrations and load reference areas");
  cmd->add_option("--db", o->db, "Database URL")->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->callback([o] {
    auto p = OpenPlatform({o->db, o->data_dir, 1, true});
    if (!p) {
      spdlog::error("{}", p.error().message);
      std::exit(1);
    }
    std::cout << "database " << (*p)->db->url().display << " is up to date\n";
  });
}

void RegisterUserCommand(CLI::App& root) {
  struct Options {
    std::string db = "sqlite:var/sanad.db";
    std::string username;
    std::vector<std::string> roles;
    std::string area;
  };
  auto o = std::make_shared<Options>();
  auto* user = root.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create an account; the password is read from standard input");
  add->add_option("--db", o->db, "Database URL")->capture_default_str();
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
    auto p = OpenPlatform({o->db, DefaultDataDir(), 1, true});
    if (!p) {
      spdlog::error("{}", p.error().message);
      std::exit(1);
    }
    std::optional<std::string> area;
    if (!o->area.empty()) area = o->area;
    auto u = (*p)->auth->CreateUser(o->username, password, roles, area);
    if (!u) {
      const Error& e = u.error();
      spdlog::error("{}{}{}", e.message, e.field.empty() ? "" : " (" + e.field + ")", e.reason.empty() ? "" : " [" + e.reason + "]");
      std::exit(1);
    }
    audit::AuditEntry e;
    e.username = "cli";
    e.action = "create";
    e.record_type = "user";
    e.record_id = std::to_string(u->id.value);
    e.ip = "local";
    e.request_id = "cli";
    e.details = "{\"username\":\"" + u->username + "\"}";
    (void)(*p)->audit->Append(e);
    std::cout << "created user " << u->username << " (id " << u->id.value << ")\n";
  });
}

void RegisterAuditCommand(CLI::App& root) {
  struct Options {
    std::string db = "sqlite:var/sanad.db";
  };
  auto o = std::make_shared<Options>();
  auto* audit_cmd = root.add_subcommand("audit", "Audit log tools");
  audit_cmd->require_subcommand(1);
  auto* verify = audit_cmd->add_subcommand("verify", "Recompute the hash chain; exit 1 at the first broken entry");
  verify->add_option("--db", o->db, "Database URL")->capture_default_str();
  verify->callback([o] {
    auto p = OpenPlatform({o->db, DefaultDataDir(), 1, false});
    if (!p) {
      spdlog::error("{}", p.error().message);
      std::exit(2);
    }
    auto report = (*p)->audit->Verify();
    if (!report) {
      spdlog::error("{}", report.error().message);
      std::exit(2);
    }
    if (report->first_broken_id) {
      std::cout << "audit chain BROKEN at entry " << *report->first_broken_id << ": " << report->reason << " ("
                << report->checked << " entries read)\n";
      std::exit(1);
    }
    std::cout << "audit chain intact: " << report->checked << " entries verified\n";
  });
}

}  // namespace sanad::app
