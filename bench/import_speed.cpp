// Import benchmark: about 1 M persons from CSV into a fresh SQLite registry.
//
//   import_speed [--households 260000] [--work-dir /tmp/sanad-import-bench] [--threads 0] [--keep] [--setup-only]
//
// 1. generates a synthetic Moroccan registry (households.csv, persons.csv) with src/synth;
// 2. imports the households into a fresh SQLite database and approves them (setup, timed for
//    information);
// 3. times `sanad import persons persons.csv --db … --user agent` — validation and staging, i.e. the
//    import up to the pending change request — and reports rows/s;
// 4. times the approval that applies the staged rows to the registry, separately;
// 5. times sqlite3's `.import --csv` of the same persons.csv into a bare table of a fresh database;
// prints both rates and the ratio against the goals (≥ 150,000 rows/s, ≥ 0.3× the bare import).
#include <fmt/format.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <regex>
#include <string>

#include "app/platform.h"
#include "registry/importer.h"
#include "synth/csv_writer.h"
#include "synth/generator.h"

namespace {

using Steady = std::chrono::steady_clock;
double Since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "import_speed: " << what << "\n";
  std::exit(1);
}

std::string Run(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) Die("cannot run " + cmd);
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  *status = pclose(p);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sanad;
  std::int64_t households = 260'000;
  std::string work = "/tmp/sanad-import-bench";
  int threads = 0;
  bool keep = false;
  bool setup_only = false;  // stop after the households (to profile `sanad import persons` by hand)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--households" && i + 1 < argc)
      households = std::atoll(argv[++i]);
    else if (a == "--work-dir" && i + 1 < argc)
      work = argv[++i];
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--keep")
      keep = true;
    else if (a == "--setup-only")
      keep = setup_only = true;
    else
      Die("usage: import_speed [--households N] [--work-dir DIR] [--threads N] [--keep] [--setup-only]");
  }
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  const std::string data_dir = std::string(SANAD_SOURCE_ROOT) + "/data";
  const std::string hh_csv = work + "/households.csv", p_csv = work + "/persons.csv";
  const std::string db_path = work + "/registry.db", bare_path = work + "/bare.db";

  // 1. the files
  auto t0 = Steady::now();
  auto ref = synth::LoadReferenceData(data_dir);
  if (!ref) Die(ref.error().message);
  synth::Config config;
  config.households = households;
  config.seed = 2026;
  config.duplicate_share = 0.0;  // duplicates are registrations of their own: keep the count exact
  auto reg = synth::Generate(*ref, config);
  if (!reg) Die(reg.error().message);
  if (!synth::WriteHouseholdsCsv(*reg, hh_csv) || !synth::WritePersonsCsv(*reg, p_csv))
    Die("cannot write the CSV files");
  const long long persons = static_cast<long long>(reg->PersonCount());
  const auto p_bytes = std::filesystem::file_size(p_csv);
  fmt::print("files: {} households, {} persons ({:.0f} MB persons.csv) generated in {:.1f} s\n", households, persons,
             p_bytes / 1e6, Since(t0));
  *reg = synth::Registry{};

  // 2. registry with its households
  auto platform = app::OpenPlatform({"sqlite:" + db_path, data_dir, 2, true});
  if (!platform) Die(platform.error().message);
  auto& p = **platform;
  const std::string password = "Bench-import-2026-pass";
  auto agent = p.auth->CreateUser("agent", password, {auth::Role::kDataEntry}, std::nullopt);
  auto coordinator = p.auth->CreateUser("coordinator", password, {auth::Role::kRegionalCoordinator}, std::nullopt);
  if (!agent || !coordinator) Die("cannot create the bench accounts");
  const std::string today = DateOf(p.clock->Now()).ToString();
  registry::Actor author{agent->id.value, "agent", {std::nullopt, today}, "bench", "bench"};
  registry::Actor reviewer{coordinator->id.value, "coordinator", {std::nullopt, today}, "bench", "bench"};
  registry::Importer importer(*p.registry, *p.changes, *p.clock);
  t0 = Steady::now();
  auto hh = importer.ImportFile(registry::ImportKind::kHouseholds, hh_csv, author, {.threads = threads});
  if (!hh || !hh->accepted()) Die("household import failed");
  const double hh_import = Since(t0);
  t0 = Steady::now();
  if (!p.changes->Approve(hh->change_request->id, reviewer, "bench", false)) Die("household approval failed");
  fmt::print("setup: households imported in {:.2f} s ({:.0f} rows/s), applied in {:.2f} s\n", hh_import,
             households / hh_import, Since(t0));

  if (setup_only) {
    fmt::print("setup kept in {}\n", work);
    return 0;
  }

  // 3. the persons import, through the command line
  int status = 0;
  const std::string cmd =
      fmt::format("{} import persons {} --db sqlite:{} --user agent --data-dir {} --threads {} 2>/dev/null",
                  SANAD_BINARY, p_csv, db_path, data_dir, threads);
  t0 = Steady::now();
  std::string out = Run(cmd, &status);
  const double import_s = Since(t0);
  std::smatch m;
  if (status != 0 || !std::regex_search(out, m, std::regex("change request ([0-9]+)")))
    Die("sanad import failed:\n" + out);
  const std::int64_t cr = std::stoll(m[1]);
  const double import_rate = persons / import_s;

  // 4. approval = apply
  t0 = Steady::now();
  // Synthetic registers hold duplicates that share national IDs: approved with the reviewer's documented
  // decision, as a ministry would let them in for deduplication.
  auto applied = p.changes->Approve(cr, reviewer, registry::ReviewDecision{"bench: duplicates kept", false, true});
  if (!applied) Die("approval failed: " + applied.error().message);
  const double apply_s = Since(t0);

  // 5. sqlite3 .import of the same file into a bare table
  t0 = Steady::now();
  Run(fmt::format("sqlite3 {} '.import --csv {} persons' 2>&1", bare_path, p_csv), &status);
  const double bare_s = Since(t0);
  if (status != 0) Die("sqlite3 .import failed");
  const double bare_rate = persons / bare_s;

  fmt::print(
      "sanad import persons (validate + stage, CLI): {:>9} rows in {:6.2f} s = {:>9.0f} rows/s   (goal >= 150000)\n",
      persons, import_s, import_rate);
  fmt::print("approval (apply staged rows + versions):      {:>9} rows in {:6.2f} s = {:>9.0f} rows/s\n", persons,
             apply_s, persons / apply_s);
  fmt::print("import + approval:                            {:>9} rows in {:6.2f} s = {:>9.0f} rows/s\n", persons,
             import_s + apply_s, persons / (import_s + apply_s));
  fmt::print("sqlite3 .import --csv (bare table):           {:>9} rows in {:6.2f} s = {:>9.0f} rows/s\n", persons,
             bare_s, bare_rate);
  fmt::print("ratio sanad import / bare import: {:.2f}x   (goal >= 0.30x)\n", import_rate / bare_rate);
  fmt::print("goals: rate {}, ratio {}\n", import_rate >= 150000 ? "MET" : "NOT MET",
             import_rate / bare_rate >= 0.3 ? "MET" : "NOT MET");
  if (!keep) std::filesystem::remove_all(work);
  return 0;
}
