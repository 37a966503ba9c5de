// Input layouts ("presets") the engine reads, and the model specification that suits each:
//  - sanad: the registry's canonical person columns (record_id, given_name_ar, family_name_ar,
//    given_name_lat, family_name_lat, father_name_ar, sex, birth_date, birth_commune_code,
//    national_id, phone); any may be empty or absent; unknown columns are ignored;
//  - febrl: the FEBRL synthetic sets (rec_id, given_name, surname, street_number, address_1,
//    address_2, suburb, postcode, state, date_of_birth, soc_sec_id);
//  - ncvr: the Leipzig NCVR extracts (recid, first name, last name, city, zip), read by position
//    because the 0 % files carry a wrong 19-column header over 5 columns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "linkage/model.h"
#include "linkage/record_store.h"

namespace sanad::linkage {

enum class Preset { kSanad, kFebrl, kNcvr };

Result<Preset> ParsePreset(std::string_view name);
std::string_view PresetName(Preset p);

struct LoadStats {
  std::size_t records = 0;
  std::vector<std::string> used_columns;  // input columns mapped to a field
};

// Appends the rows of a CSV file to `builder`, all tagged with `source`.
// Errors (the message names the file, line and column): kNotFound (cannot open), kInvalidArgument
// (empty file, no usable column, no id column, malformed CSV, more fields than the header, empty id).
Result<LoadStats> LoadCsv(const std::string& path, Preset preset, std::uint8_t source, RecordStoreBuilder& builder);

// The comparisons, blocking rules, training rules and deterministic rules of a preset, keeping only
// those whose columns hold data in `store`.
ModelSpec DefaultSpec(Preset preset, LinkType link_type, const RecordStore& store);

}  // namespace sanad::linkage
