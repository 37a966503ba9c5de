// Loads the administrative divisions shipped in data/admin (provenance in data/admin/PROVENANCE*.md):
//   Morocco: 12 regions, 75 prefectures/provinces (+8 Casablanca préfectures d'arrondissements, kept
//   as provinces of type "prefecture_arrondissements"), 1,503 communes with 2024 population and
//   OSM centroids; Algeria: 69 wilayas (59–69 valid from 2027-01-01) and 1,541 communes.
#pragma once

#include <string>

#include "core/error.h"
#include "geo/area.h"

namespace sanad::geo {

// Date from which Law 26-06 (JO n°25, 5 Apr 2026) gives wilayas 59–69 their powers.
inline constexpr const char* kAlgeria69WilayasFrom = "2027-01-01";
// Law 19-12 of 11 Dec 2019 promoted wilayas 49–58.
inline constexpr const char* kAlgeria58WilayasFrom = "2019-12-11";

// Reads every file; errors name the file and line.
Result<AreaSet> LoadReferenceAreas(const std::string& data_dir);

// A fingerprint of the reference files (size + FNV-1a of contents), to reload only when they change.
Result<std::string> ReferenceChecksum(const std::string& data_dir);

// Path of the boundaries GeoJSON for a country ("MA" | "DZ"), or empty if unknown.
std::string BoundariesPath(const std::string& data_dir, const std::string& country);

}  // namespace sanad::geo
