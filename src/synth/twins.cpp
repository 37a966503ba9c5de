#include "synth/twins.h"

#include <vector>

namespace sanad::synth {
namespace {

// SplitMix64 finaliser: a uniform draw in [0, 1) from (seed, row) whatever the generation order.
double Draw(std::uint64_t seed, std::uint64_t row) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + row * 0xD1B54A32D192ED03ULL + 0x7F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace

std::size_t MakeTwins(Registry& registry, double share) {
  if (share <= 0) return 0;
  auto& ps = registry.persons;
  const auto& hh = registry.households;
  std::vector<std::uint8_t> changed(registry.PersonCount(), 0);
  std::size_t pairs = 0;
  for (std::size_t h = 0; h < registry.HouseholdCount(); ++h) {
    if (registry.IsDuplicateHousehold(h)) continue;
    const std::size_t first = hh.first_person[h], end = first + hh.member_count[h];
    for (std::size_t a = first; a + 1 < end; ++a) {
      const std::size_t b = a + 1;
      const bool siblings = ps.relationship[a] == Relationship::kChild && ps.relationship[b] == Relationship::kChild &&
                            ps.father_name_ar[a] == ps.father_name_ar[b] &&
                            ps.mother_given_name_ar[a] == ps.mother_given_name_ar[b] &&
                            ps.given_name[a] != ps.given_name[b];
      if (!siblings || Draw(registry.seed, a) >= share) continue;
      // Born the same day, and in the same school year: enrolment follows age.
      ps.birth_date[b] = ps.birth_date[a];
      ps.birth_year_only[b] = ps.birth_year_only[a];
      ps.schooling[b] = ps.schooling[a];
      ps.education_level[b] = ps.education_level[a];
      changed[b] = 1;
      ++pairs;
      ++a;  // a child is the twin of one sibling at most
    }
  }
  for (std::size_t q = 0; q < registry.PersonCount(); ++q) {
    const std::size_t t = ps.true_person[q];
    if (t != q && changed[t]) {
      ps.birth_date[q] = ps.birth_date[t];
      ps.birth_year_only[q] = ps.birth_year_only[t];
      ps.schooling[q] = ps.schooling[t];
      ps.education_level[q] = ps.education_level[t];
    }
  }
  return pairs;
}

}  // namespace sanad::synth
