// sanad demo --db URL: a demonstration database with the reference areas and one account per role,
// printed with fresh passwords each run (demo databases only; never use these accounts in production).
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <iostream>

#include "app/cli_errors.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/demo_registry.h"
#include "app/platform.h"
#include "auth/password.h"
#include "synth/generator.h"

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
    {"partner", auth::Role::kPartnerSystem, nullptr},  // a partner system's account for the DCI API
};

}  // namespace

void RegisterDemoCommand(CLI::App& root) {
  struct Options {
    DatabaseOptions db{"sqlite:var/demo.db"};
    std::string data_dir = DefaultDataDir();
    std::int64_t households = 0;
    std::string country = "MA";
    std::uint64_t seed = 1;
    std::string region;
    double duplicates = 0.05;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = root.add_subcommand("demo", "Create or refresh a demonstration database with one account per role");
  AddDatabaseOptions(*cmd, o->db);
  cmd->add_option("--data-dir", o->data_dir, "Folder of the reference data")->capture_default_str();
  cmd->add_option("--households", o->households, "Synthetic households to add to the registry (0: accounts only)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{50'000'000}))
      ->capture_default_str();
  cmd->add_option("--country", o->country, "MA or DZ")->check(CLI::IsMember({"MA", "DZ"}))->capture_default_str();
  cmd->add_option("--seed", o->seed, "Random seed (same seed, same registry)")->capture_default_str();
  cmd->add_option("--region", o->region, "Area code prefix the households live in, e.g. MA-03");
  cmd->add_option("--duplicates", o->duplicates, "Share of duplicate registrations")
      ->check(CLI::Range(0.0, 0.5))
      ->capture_default_str();
  cmd->callback([o] {
    auto p = OpenPlatform({o->db, o->data_dir, 1, true});
    if (!p) {
      spdlog::error("{}", CliErrorText(p.error()));
      std::exit(1);
    }
    std::cout << fmt::format("Demo database {} with reference areas of Morocco and Algeria.\n",
                             (*p)->db->url().display);
    std::cout << fmt::format("{:<13} {:<22} {:<11} {}\n", "username", "role", "area", "password");
    for (const auto& a : kAccounts) {
      // 16 URL-safe random characters, drawn again in the rare case the password policy refuses one
      // (a run of sequential characters, a dictionary word, the username).
      std::string password = auth::AuthService::RandomToken(12);
      for (int i = 0; i < 100 && !auth::CheckPasswordPolicy(password, a.username); ++i) {
        password = auth::AuthService::RandomToken(12);
      }
      std::optional<std::string> area;
      if (a.area) area = a.area;
      auto u = (*p)->auth->UpsertUser(a.username, password, {a.role}, area);
      if (!u) {
        spdlog::error("demo account {}: {}", a.username, CliErrorText(u.error()));
        std::exit(1);
      }
      std::cout << fmt::format("{:<13} {:<22} {:<11} {}\n", a.username, auth::RoleName(a.role),
                               a.area ? a.area : "national", password);
    }
    long long existing = 0;
    {
      auto session = (*p)->db->Acquire();
      session.sql() << "SELECT COUNT(*) FROM households", soci::into(existing);
    }
    if (o->households > 0 && existing > 0) {
      // make demo runs this on every start: the registry is filled once, then kept as it is.
      std::cout << fmt::format("Registry already holds {} households; none added.\n", existing);
    } else if (o->households > 0) {
      auto reference = synth::LoadReferenceData(o->data_dir);
      if (!reference) {
        spdlog::error("{}", CliErrorText(reference.error()));
        std::exit(1);
      }
      synth::Config config;
      config.households = o->households;
      config.country = o->country == "DZ" ? synth::Country::kAlgeria : synth::Country::kMorocco;
      config.seed = o->seed;
      config.region = o->region;
      config.duplicate_share = o->duplicates;
      const auto start = std::chrono::steady_clock::now();
      auto reg = synth::Generate(*reference, config);
      if (!reg) {
        spdlog::error("{}", CliErrorText(reg.error()));
        std::exit(1);
      }
      const auto generated = std::chrono::steady_clock::now();
      auto seeded = SeedRegistry(**p, *reg, [](std::size_t done, std::size_t total) {
        std::cerr << fmt::format("\rloading households: {}/{} ({:.0f}%)", done, total, 100.0 * done / total)
                  << std::flush;
      });
      std::cerr << "\n";
      if (!seeded) {
        spdlog::error("{}", CliErrorText(seeded.error()));
        std::exit(1);
      }
      const auto done = std::chrono::steady_clock::now();
      auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
      std::cout << fmt::format(
          "Registry: {} households and {} persons added (generated in {:.1f} s, loaded in {:.1f} s; "
          "change request {}).\n",
          seeded->households, seeded->persons, secs(start, generated), secs(generated, done),
          seeded->change_request_id);
    }
  });
}

}  // namespace sanad::app
