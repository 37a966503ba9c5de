// Synthetic social registry generator: realistic Moroccan or Algerian households and
// persons, with a latent per-capita consumption and a known share of duplicate registrations.
//
//   auto ref = LoadReferenceData(data_dir);                  // communes + name seeds, once
//   auto reg = Generate(*ref, {.households = 1'000'000, .country = Country::kMorocco, .seed = 7});
//   WriteHouseholdsCsv(*reg, "households.csv"); WritePersonsCsv(*reg, "persons.csv");
//
// Pure: no SQL, no HTTP, no globals, no clock (the reference date is a parameter).
// Deterministic: the same ReferenceData and Config give byte-identical output whatever `threads` is —
// work is cut into fixed chunks of households, each with its own RNG seeded from (seed, chunk index).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/error.h"
#include "synth/reference_data.h"
#include "synth/registry.h"
#include "synth/vocabulary.h"

namespace sanad::synth {

struct Config {
  std::int64_t households = 1000;  // household rows to produce, duplicates included (1..50,000,000)
  Country country = Country::kMorocco;
  std::uint64_t seed = 1;
  // Restrict households to communes whose area code starts with this prefix ("MA-04" = region
  // Rabat-Salé-Kénitra, "MA-04.441" = one province, "DZ-16" = wilaya of Algiers). Empty: whole country.
  // Birth communes may still lie elsewhere in the country.
  std::string region;
  // Share of household rows that are duplicate registrations of another household of the output
  // (0 ≤ share ≤ 0.5). Each duplicate copies most members of the original with realistic errors.
  double duplicate_share = 0.05;
  // Share of pairs of consecutive children of one household (same parents) born as twins: same birth
  // date, different given names and ids (synth/twins.h). Twins are about 1.5 % of births in the Maghreb;
  // per sibling pair the default gives about that share of twin children.
  double twin_share = 0.01;
  int threads = 0;  // worker threads; 0 = hardware concurrency. Never changes the output.
  // "Today" for ages and registration dates.
  std::chrono::sys_days reference_date = std::chrono::sys_days(std::chrono::year{2026} / 1 / 1);
};

// Called with (households generated so far, total) from worker threads, one call at a time.
using ProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

// Generates the registry. Fails with kInvalidArgument (field named) for a bad config, including a
// region prefix that matches no commune of the country. Thread-safe: `reference` is only read.
Result<Registry> Generate(const ReferenceData& reference, const Config& config, const ProgressFn& progress = {});

// Households per chunk: the unit of work and of RNG seeding (part of the determinism contract).
inline constexpr std::int64_t kChunkHouseholds = 2048;

}  // namespace sanad::synth
