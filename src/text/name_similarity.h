// Similarity of two personal names, in either script, as the linkage comparison and the registry's
// name search use it.
#pragma once

#include <string_view>

namespace sanad::text {

// Jaro–Winkler of the within-script match forms (NameMatchForm), multiplied by a key factor: 1 when the
// cross-script keys (CrossScriptKey) are equal, else Jaro–Winkler of the keys clamped to [0.85, 0.93]. Plain
// Jaro–Winkler rates names that share a long prefix highly even when a consonant differs: Mohamed/M'hamed 0.96,
// Abdellah/Abdellaoui 0.95, Fatima/Fatiha 0.93. The key factor keeps such distinct names (maghreb_name_variants.csv,
// "do not merge") below 0.92 while spelling variants of one name, which share a key, keep their score. Names in
// different scripts are compared on their keys alone, squared: skeletons are short, so Jaro–Winkler runs high on them
// (MHMD/MHD = 0.93 → 0.87). In [0, 1]; 0 when either is empty.
double NameSimilarity(std::string_view name_a, std::string_view name_b);

// The same from precomputed forms and keys (byte strings: Latin forms, keys, or Arabic forms in a
// one-byte-per-letter encoding). Empty forms mean "other script": keys alone are compared.
double NameSimilarityOfForms(std::string_view form_a, std::string_view key_a, std::string_view form_b,
                             std::string_view key_b);

}  // namespace sanad::text
