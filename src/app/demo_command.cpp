// sanad demo --db URL: a demonstration database with the reference areas and one account per role,
// printed with fresh passwords each run (demo databases only; never use these accounts in production).
#include <fmt/format.h>
#include <iostream>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/platform.h"

namespace sanad::app {

namespace {

struct DemoAccount {
  const char* username;
  auth::Role role;
  const char* area;  // scope, or nullptr for national
};

// Scopes show what each role sees: the coordinator runs Fès-Meknès (MA-03), the social worker the
// prefecture of Fès (MA-03.231).
constexpr DemoAccount kAccounts[] = {
    {"admin", auth::Role::kAdmin, nullptr},
    {"analyst", auth::Role::kNationalAnalyst, nullptr},
    {"coordinator", auth::Role::kRegionalCoordinator, "MA-03"},
    {"worker", auth::Role::kSocialWorker, "MA-03.231"},
    {"counselor", auth::Role::kCounselor, "MA-03"},
    {"mobile", auth::Role::kMobileUnit, "MA-03.231"},
    {"institution", auth::Role::kInstitutionManager, "MA-03"},
    {"committee", auth::Role::kCommitteeMember, "MA-03"},
    {"agent", auth::Role::kDataEntry, "MA-03.231"},
    {"payments", auth::Role::kPaymentOfficer, nullptr},
    {"auditor", auth::Role::kAuditor, nullptr},
};

}  // namespace

void RegisterDemoCommand(CLI::App& root) {
  struct Options {
    std::string db = "sqlite:var/demo.db";
    std::string data_dir = DefaultDataDir();
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand("demo", "Create or refresh a demonstration database with one account per role");
  cmd->add_option("--db", o->db, "Database URL")->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->callback([o] {
    auto p = OpenPlatform({o->db, o->data_dir, 1, true});
    if (!p) {
      spdlog::error("{}", p.error().message);
      std::exit(1);
    }
    std::cout << fmt::format("Demo database {} with reference areas of Morocco and Algeria.\n", (*p)->db->url().display);
    std::cout << fmt::format("{:<13} {:<22} {:<11} {}\n", "username", "role", "area", "password");
    for (const auto& a : kAccounts) {
      std::string password = auth::AuthService::RandomToken(9);  // 12 URL-safe characters
      std::optional<std::string> area;
      if (a.area) area = a.area;
      auto u = (*p)->auth->UpsertUser(a.username, password, {a.role}, area);
      if (!u) {
        spdlog::error("demo account {}: {}", a.username, u.error().message);
        std::exit(1);
      }
      std::cout << fmt::format("{:<13} {:<22} {:<11} {}\n", a.username, auth::RoleName(a.role), a.area ? a.area : "national",
                               password);
    }
  });
}

}  // namespace sanad::app
