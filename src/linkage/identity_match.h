// Is this woman one of these? Scoring a woman's identity against blocked candidates: the duplicate
// check of an empowerment registration (the same woman registered twice, at different offices, with
// different spellings, in either script, and her person in the social registry) and the mother of a
// birth notified by a civil registry whose identifier Sanad does not hold (docs/crvs.md). Candidates
// come from the callers' blocking queries (same cross-script name key, same birth date, same id or
// phone, the registry's name index); this scores each candidate against the probe with the record-linkage engine's
// comparisons (src/linkage: cross-script name levels, date levels, commune/province, identifier keying errors) and a
// Fellegi–Sunter model whose m/u values are fixed here (docs/empowerment.md §Duplicates) since one record is too few to
// train on. Pure: no SQL.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sanad::linkage {

// The identity fields compared; empty strings are missing.
struct Identity {
  std::int64_t id = 0;
  std::string given_ar, family_ar, given_lat, family_lat;
  std::string birth_date;  // YYYY-MM-DD
  std::string commune_code;
  std::string national_id;
  std::string phone;
};

struct Match {
  std::int64_t id = 0;
  double probability = 0;
  bool same_given_name = false;  // the given names agree (exact, same cross-script key or one edit)
};

// A candidate at or above kProbable is listed as a probable duplicate for staff to review.
inline constexpr double kProbable = 0.5;
// A registry person at or above kSamePerson whose given name agrees is linked to the registration.
inline constexpr double kSamePerson = 0.95;

// Every candidate's match probability against `probe`, best first; those below kProbable are left out.
std::vector<Match> ScoreCandidates(const Identity& probe, std::span<const Identity> candidates);

}  // namespace sanad::linkage
