#include "app/synth_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "app/cli_errors.h"
#include "app/platform.h"
#include "synth/csv_writer.h"
#include "synth/generator.h"
#include "synth/reference_data.h"

namespace sanad::app {
namespace {

struct SynthOptions {
  std::int64_t households = 1000;
  std::string country = "MA";
  std::uint64_t seed = 1;
  std::string region;
  double duplicates = 0.05;
  std::string out_dir;
  std::string data_dir = DefaultDataDir();
  int threads = 0;
  bool quiet = false;
};

// Prints "label: NN%" to stderr whenever the whole percentage changes.
class Progress {
 public:
  Progress(std::string label, bool quiet) : label_(std::move(label)), quiet_(quiet) {}
  void operator()(std::int64_t done, std::int64_t total) {
    if (quiet_ || total <= 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == last_) return;
    last_ = percent;
    std::fprintf(stderr, "\r%s: %3d%% (%lld/%lld)", label_.c_str(), percent, static_cast<long long>(done),
                 static_cast<long long>(total));
    if (done >= total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string label_;
  bool quiet_;
  int last_ = -1;
};

[[noreturn]] void FailSynth(const Error& error) { FailCommand("synth", error); }

void RunSynth(const SynthOptions& o) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto reference = synth::LoadReferenceData(o.data_dir);
  if (!reference) FailSynth(reference.error());

  synth::Config config;
  config.households = o.households;
  config.country = o.country == "DZ" ? synth::Country::kAlgeria : synth::Country::kMorocco;
  config.seed = o.seed;
  config.region = o.region;
  config.duplicate_share = o.duplicates;
  config.threads = o.threads;
  Progress gen_progress("generating households", o.quiet);
  auto registry = synth::Generate(*reference, config, [&](std::int64_t d, std::int64_t t) { gen_progress(d, t); });
  if (!registry) FailSynth(registry.error());
  const auto generated = Clock::now();

  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec)
    FailSynth(Error{Code::kUnavailable, fmt::format("cannot create {}: {}", o.out_dir, ec.message()), "out-dir", 0});
  Progress hh_progress("writing households.csv", o.quiet);
  synth::WriteOptions hh_options{o.threads, [&](std::int64_t d, std::int64_t t) { hh_progress(d, t); }};
  if (auto s = synth::WriteHouseholdsCsv(*registry, std::filesystem::path(o.out_dir) / "households.csv", hh_options);
      !s) {
    FailSynth(s.error());
  }
  Progress ps_progress("writing persons.csv", o.quiet);
  synth::WriteOptions ps_options{o.threads, [&](std::int64_t d, std::int64_t t) { ps_progress(d, t); }};
  if (auto s = synth::WritePersonsCsv(*registry, std::filesystem::path(o.out_dir) / "persons.csv", ps_options); !s) {
    FailSynth(s.error());
  }
  const auto written = Clock::now();

  std::size_t duplicate_households = 0, duplicate_persons = 0;
  for (std::size_t h = 0; h < registry->HouseholdCount(); ++h)
    duplicate_households += registry->IsDuplicateHousehold(h);
  for (std::size_t p = 0; p < registry->PersonCount(); ++p) duplicate_persons += registry->IsDuplicatePerson(p);
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::printf(
      "synth: %s seed %llu%s: %zu households (%zu duplicates), %zu persons (%zu duplicates) written to %s "
      "in %.2f s (generate %.2f s, write %.2f s)\n",
      o.country.c_str(), static_cast<unsigned long long>(o.seed),
      o.region.empty() ? "" : (" region " + o.region).c_str(), registry->HouseholdCount(), duplicate_households,
      registry->PersonCount(), duplicate_persons, o.out_dir.c_str(), seconds(written - start),
      seconds(generated - start), seconds(written - generated));
}

}  // namespace

void RegisterSynthCommand(CLI::App& root) {
  auto options = std::make_shared<SynthOptions>();
  CLI::App* cmd = root.add_subcommand("synth", "Generate a synthetic registry (households.csv, persons.csv)");
  cmd->add_option("--households", options->households, "Household rows to generate, duplicates included")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{50'000'000}));
  cmd->add_option("--country", options->country, "MA or DZ")->required()->check(CLI::IsMember({"MA", "DZ"}));
  cmd->add_option("--seed", options->seed, "Random seed (same seed, same files)")->required();
  cmd->add_option("--region", options->region, "Area-code prefix, e.g. MA-04 or DZ-16");
  cmd->add_option("--duplicates", options->duplicates, "Share of duplicate household registrations")
      ->check(CLI::Range(0.0, 0.5));
  cmd->add_option("--out-dir", options->out_dir, "Directory for households.csv and persons.csv")->required();
  cmd->add_option("--data-dir", options->data_dir, "Reference data directory")->capture_default_str();
  cmd->add_option("--threads", options->threads, "Worker threads (0 = all cores); output does not depend on it");
  cmd->add_flag("--quiet", options->quiet, "No progress on stderr");
  cmd->callback([options] { RunSynth(*options); });
}

}  // namespace sanad::app
