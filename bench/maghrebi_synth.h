// A small deterministic generator of Maghrebi person records with known truth, for the linkage
// benchmarks only (the registry's generator, src/synth, produces households; this one produces the
// hard cases of record linkage directly): duplicates written in the other script or with transliteration
// variants (data/names/maghreb_name_variants.csv), typos, missing fields and date errors, and pairs of
// brothers (same family name, father, commune and household phone; different given name, birth date
// and national id) and twins (the same, but born on the same day) that must NOT be merged, and national
// ids mistyped on re-registration (one substitution or one swap of adjacent characters) that must be.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "linkage/record_store.h"

namespace sanad::bench {

struct SynthOptions {
  std::size_t records = 100000;
  std::uint64_t seed = 1;
  double duplicate_share = 0.30;  // share of persons registered twice (a further 1/6 of those three times)
  double brother_share = 0.05;    // share of persons who get a brother in the registry
  // Share of persons registered with a twin: same family, father, commune, household phone and birth
  // date; own given name (never the sibling's), sex and national id. About 2 % of people are twins.
  double twin_share = 0.02;
  // Share of duplicate records carrying a national id whose id was keyed with one error: a character
  // replaced by another of the same class (digit/letter) or two adjacent different characters swapped.
  double id_typo_share = 0.05;
};

struct SynthRegistry {
  std::vector<linkage::RawRecord> records;
  std::vector<std::uint32_t> person;  // truth: same value = same person
  std::size_t brother_pairs = 0;
  std::vector<std::pair<std::size_t, std::size_t>> brothers;  // input positions: first record of each brother
  std::vector<std::pair<std::size_t, std::size_t>> twins;     // input positions: first record of each twin
  std::size_t mistyped_ids = 0;             // duplicate records whose national id carries one keying error
  std::size_t cross_script_duplicates = 0;  // duplicate records sharing no name script with their original
};

// One keying error in an identifier, never a change of length: a digit replaced by another digit or a
// letter by another letter, or two adjacent different characters swapped. Ids shorter than 2 characters
// are returned unchanged.
std::string MistypeId(const std::string& id, std::mt19937_64& rng);

// Reads data/names/* and data/admin/ma_communes_1503.csv under `root`. Errors: kNotFound.
Result<SynthRegistry> GenerateMaghrebi(const std::string& root, const SynthOptions& options);

// Writes the records in the `sanad` preset's canonical columns.
Status WriteSanadCsv(const SynthRegistry& reg, const std::string& path);

}  // namespace sanad::bench
