// Reference data the synthetic generator draws from: communes with their 2024 weights and the seed lists
// of Maghrebi names. Everything is read from data/ (docs/domain.md §3, §4); nothing is hard-coded here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "synth/vocabulary.h"

namespace sanad::synth {

struct Commune {
  std::string area_code;  // "MA-01.511.01.01" or "DZ-1607"
  std::string name_fr;
  std::string name_ar;
  // Relative number of households living there. Morocco: households_2024 (HCP RGPH 2024).
  // Algeria has no population column: see LoadReferenceData for the documented assumption.
  double household_weight = 0;
  double mean_household_size = 0;  // persons per household
  double urban_probability = 0;    // Morocco: 1 or 0 (commune type); Algeria: assumed share
  std::uint8_t region = 0;         // Morocco: region 1..12 (HCP); Algeria: wilaya of code_commune
};

struct NameEntry {
  std::string latin;
  std::string arabic;
  Sex sex = Sex::kMale;  // given names only
  bool morocco = false;
  bool algeria = false;
  double weight = 0;  // weight_assumed (Zipf 1/rank, an assumption: data/names/PROVENANCE.md)
  // Other spellings of the same name: from maghreb_name_variants.csv plus rule-based ones (particles
  // fused/split, article dropped, French/English transliteration pairs). Never contains `latin`.
  std::vector<std::string> latin_variants;
  // Arabic spellings an operator might type: hamza dropped (أ→ا), ة→ه, ى→ي, compound joined/split.
  std::vector<std::string> arabic_variants;
};

struct ReferenceData {
  std::vector<Commune> morocco_communes;  // file order
  std::vector<Commune> algeria_communes;  // file order
  std::vector<NameEntry> given_names;
  std::vector<NameEntry> surnames;

  const std::vector<Commune>& Communes(Country country) const {
    return country == Country::kMorocco ? morocco_communes : algeria_communes;
  }
};

// Reads data_dir/admin/ma_communes_1503.csv, data_dir/admin/dz_communes_1541.csv,
// data_dir/names/maghreb_names_synthetic_seed.csv and data_dir/names/maghreb_name_variants.csv.
// Fails with kNotFound when a file is missing and kInvalidArgument (with file, row and column) when a
// row is malformed.
Result<ReferenceData> LoadReferenceData(const std::filesystem::path& data_dir);

// Splits one CSV line (RFC 4180 quoting, no embedded newlines; a trailing CR is ignored) into fields.
std::vector<std::string> SplitCsvLine(std::string_view line);

}  // namespace sanad::synth
