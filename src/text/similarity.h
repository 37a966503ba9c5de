// String similarity measures used by name comparison. All work on bytes: pass ASCII-folded Latin
// (FoldLatin/PhoneticLatin), cross-script keys, or any single-byte encoding. For UTF-8 Arabic text use
// the char32_t overloads (or a one-byte-per-letter transcoding as the linkage record store does).
#pragma once

#include <string_view>

namespace sanad::text {

// Jaro–Winkler similarity in [0, 1]: Jaro (1989) with Winkler's (1990) prefix bonus, prefix scale 0.1
// over at most 4 characters, applied for every Jaro score (as in Splink's jaro_winkler_similarity and
// the recordlinkage toolkit). Two empty strings give 1, one empty string gives 0. Thread-safe.
double JaroWinkler(std::string_view a, std::string_view b);
double JaroWinkler(std::u32string_view a, std::u32string_view b);

// Jaro similarity (Jaro 1989) in [0, 1].
double Jaro(std::string_view a, std::string_view b);

// Levenshtein (1966) edit distance: insertions, deletions, substitutions, computed by the
// Wagner–Fischer (1974) dynamic programme in O(|a|·|b|) time and O(|b|) memory.
int Levenshtein(std::string_view a, std::string_view b);

// Damerau (1964) distance in its optimal-string-alignment form: Levenshtein plus transposition of two
// adjacent characters ("Hocine"/"Hoicne" = 1), each substring edited at most once.
int DamerauLevenshtein(std::string_view a, std::string_view b);

// True when DamerauLevenshtein(a, b) <= k, with an early exit on the length difference; cheaper for k ≤ 2.
bool WithinEdits(std::string_view a, std::string_view b, int k);

}  // namespace sanad::text
