// Benchmark: generate N households (default 1,000,000) and write households.csv and persons.csv.
// Prints households/s, persons/s, seconds per phase and the ratio to the 60 s goal.
//
//   synth_speed [--households N] [--country MA|DZ] [--seed S] [--threads T] [--out-dir DIR] [--keep]
// The files go to a temporary directory removed at the end unless --keep.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "synth/csv_writer.h"
#include "synth/generator.h"
#include "synth/reference_data.h"

namespace {

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  using namespace sanad::synth;
  Config config;
  config.households = 1'000'000;
  config.seed = 2026;
  std::filesystem::path out_dir = std::filesystem::temp_directory_path() / "sanad_synth_speed";
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--households" && next)
      config.households = std::atoll(argv[++i]);
    else if (arg == "--country" && next)
      config.country = std::strcmp(argv[++i], "DZ") == 0 ? Country::kAlgeria : Country::kMorocco;
    else if (arg == "--seed" && next)
      config.seed = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--threads" && next)
      config.threads = std::atoi(argv[++i]);
    else if (arg == "--out-dir" && next)
      out_dir = argv[++i];
    else if (arg == "--keep")
      keep = true;
    else {
      std::fprintf(
          stderr,
          "usage: synth_speed [--households N] [--country MA|DZ] [--seed S] [--threads T] [--out-dir DIR] [--keep]\n");
      return 2;
    }
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto reference = LoadReferenceData(std::filesystem::path(SANAD_SOURCE_ROOT) / "data");
  if (!reference) {
    std::fprintf(stderr, "reference data: %s (%s)\n", reference.error().message.c_str(),
                 reference.error().field.c_str());
    return 1;
  }
  const auto t1 = std::chrono::steady_clock::now();
  auto registry = Generate(*reference, config);
  if (!registry) {
    std::fprintf(stderr, "generate: %s\n", registry.error().message.c_str());
    return 1;
  }
  const auto t2 = std::chrono::steady_clock::now();
  std::filesystem::create_directories(out_dir);
  WriteOptions options{.threads = config.threads};
  if (auto s = WriteHouseholdsCsv(*registry, out_dir / "households.csv", options); !s) {
    std::fprintf(stderr, "write: %s\n", s.error().message.c_str());
    return 1;
  }
  if (auto s = WritePersonsCsv(*registry, out_dir / "persons.csv", options); !s) {
    std::fprintf(stderr, "write: %s\n", s.error().message.c_str());
    return 1;
  }
  const auto t3 = std::chrono::steady_clock::now();
  const auto bytes =
      std::filesystem::file_size(out_dir / "households.csv") + std::filesystem::file_size(out_dir / "persons.csv");
  if (!keep) std::filesystem::remove_all(out_dir);

  const double total = Seconds(t3 - t0);
  const double households = static_cast<double>(registry->HouseholdCount());
  const double persons = static_cast<double>(registry->PersonCount());
  const unsigned cores = std::thread::hardware_concurrency();
  std::printf("synth_speed: %s, %.0f households, %.0f persons, %u hardware threads, threads=%d\n",
              config.country == Country::kMorocco ? "MA" : "DZ", households, persons, cores, config.threads);
  std::printf("  load reference data  %8.3f s\n", Seconds(t1 - t0));
  std::printf("  generate             %8.3f s  (%.0f households/s, %.0f persons/s)\n", Seconds(t2 - t1),
              households / Seconds(t2 - t1), persons / Seconds(t2 - t1));
  std::printf("  write CSV            %8.3f s  (%.1f MB, %.0f MB/s)\n", Seconds(t3 - t2), bytes / 1e6,
              bytes / 1e6 / Seconds(t3 - t2));
  std::printf("  total                %8.3f s  (%.0f households/s, %.0f persons/s)\n", total, households / total,
              persons / total);
  const double goal_seconds = 60.0 * households / 1e6;
  std::printf("  goal: 1 M households in <= 60 s -> budget %.1f s for this run; used %.1f%% of it (%.1fx faster)\n",
              goal_seconds, 100 * total / goal_seconds, goal_seconds / total);
  return total <= goal_seconds ? 0 : 1;
}
