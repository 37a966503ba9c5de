// Comparison vectors (Fellegi & Sunter 1969, "A theory for record linkage", JASA 64:1183): for each
// candidate pair, every comparison yields an agreement level; the vector of levels (γ) is computed
// once per pair and packed into 32 bits, 3 bits per comparison, so that training aggregates pairs by
// pattern and scoring is a table lookup. Level 0 means "null" (a value missing on either side) and
// carries no evidence, as in Splink; levels 1..n run from the strongest agreement to "else".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "linkage/record_store.h"

namespace sanad::linkage {

enum class CompareKind : std::uint8_t {
  // Person name in either script. Levels: exact (same script) | same cross-script key |
  // one edit (Damerau) | Jaro–Winkler ≥ 0.92 | Jaro–Winkler ≥ 0.80 | else. Jaro–Winkler is the best of
  // Latin/Latin and Arabic/Arabic; an Arabic-only record against a Latin-only one compares the keys
  // alone (text::NameSimilarityOfForms: key Jaro–Winkler squared, as skeletons are short).
  kName,
  // Birth date. Levels: exact | day and month swapped | one digit differs | same month and day, year ±1 |
  // same year with one side a presumed 1 January | same year | else.
  kDate,
  // Commune code. Levels: same commune | same province (ProvinceFn) | else.
  kCommune,
  // Exact equality. Levels: equal | else.
  kExact,
  // Identifier-like codes (national id, postcode). Levels: equal | one edit (Damerau) | else.
  kExactOrTypo,
  // Free text (locality, street). Levels: equal | Jaro–Winkler ≥ 0.92 | Jaro–Winkler ≥ 0.80 | else.
  kText,
  // Fixed-format identifier (national id), on the normalised value. Levels: equal | one keying error
  // (OneKeyingError: one character replaced, or two adjacent characters swapped) | else. Unlike
  // kExactOrTypo, an id one character longer or shorter is another id, not a typo.
  kIdentifier,
};

// True when b is a with exactly one character replaced or exactly one pair of adjacent characters swapped
// (Damerau distance 1 without insertion or deletion). False for equal strings.
bool OneKeyingError(std::string_view a, std::string_view b);

// Number of non-null levels of a kind.
int LevelCount(CompareKind kind);
// Human-readable label of a level (1-based, 0 = "null").
std::string LevelLabel(CompareKind kind, int level);

struct ComparisonSpec {
  std::string name;  // "given_name", "birth_date", …
  CompareKind kind = CompareKind::kExact;
  Col col = Col::kSex;          // for kName: the Latin column (Arabic and key follow it); unused for kDate
  bool term_frequency = false;  // apply Splink's term-frequency adjustment at the exact level
};

inline constexpr int kBitsPerComparison = 3;
inline constexpr int kMaxComparisons = 10;

inline int LevelOf(std::uint32_t gamma, std::size_t c) {
  return static_cast<int>((gamma >> (kBitsPerComparison * c)) & 7u);
}

// Computes the packed comparison vector of records a and b. Thread-safe (reads only).
std::uint32_t ComputeGamma(const RecordStore& s, const std::vector<ComparisonSpec>& specs, std::uint32_t a,
                           std::uint32_t b);

// Level of one comparison (exposed for tests and explanations).
int CompareLevel(const RecordStore& s, const ComparisonSpec& spec, std::uint32_t a, std::uint32_t b);

// The date level alone, on yyyymmdd integers (0 = missing).
int DateLevel(std::int32_t a, std::int32_t b);

}  // namespace sanad::linkage
