// A small deterministic generator of Maghrebi person records with known truth, for the linkage
// benchmarks only (the registry's generator, src/synth, produces households; this one produces the
// hard cases of issue 4 directly): duplicates written in the other script or with transliteration
// variants (data/names/maghreb_name_variants.csv), typos, missing fields and date errors, and pairs of
// brothers (same family name, father, commune and household phone; different given name, birth date
// and national id) that must NOT be merged.
#pragma once

#include <cstdint>
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
};

struct SynthRegistry {
  std::vector<linkage::RawRecord> records;
  std::vector<std::uint32_t> person;  // truth: same value = same person
  std::size_t brother_pairs = 0;
  std::vector<std::pair<std::size_t, std::size_t>> brothers;  // input positions: first record of each brother
  std::size_t cross_script_duplicates = 0;  // duplicate records sharing no name script with their original
};

// Reads data/names/* and data/admin/ma_communes_1503.csv under `root`. Errors: kNotFound.
Result<SynthRegistry> GenerateMaghrebi(const std::string& root, const SynthOptions& options);

// Writes the records in the `sanad` preset's canonical columns.
Status WriteSanadCsv(const SynthRegistry& reg, const std::string& path);

}  // namespace sanad::bench
