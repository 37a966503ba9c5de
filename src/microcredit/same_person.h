// Earlier borrowers who are the applicant under another registry record: the record-linkage engine's
// comparisons (src/linkage) applied to the applicant and each candidate, so that a second loan is found
// even when the earlier one was granted to a duplicate record (other spelling, Arabic/Latin script,
// a keying error in the birth date) and not only by person id.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sanad::microcredit {

struct PersonForMatch {
  std::int64_t person_id = 0;
  std::string given_name_ar, family_name_ar, given_name_lat, family_name_lat, father_name_ar;
  std::string sex, birth_date, national_id;
};

// The candidates that are the same person as `applicant` (docs/microcredit.md "Same person"):
//   - the same national id (exact), or
//   - no conflicting national id (missing, or one keying error apart), given and family names agreeing at least at the
//   linkage engine's
//     "Jaro–Winkler ≥ 0.92" level (exact, same cross-script key, one edit or close), and birth dates
//     exact, with day and month swapped or one digit apart, and no conflicting sex.
// Candidates with the applicant's own person id are always the same person.
std::vector<std::int64_t> SamePersons(const PersonForMatch& applicant, const std::vector<PersonForMatch>& candidates);

}  // namespace sanad::microcredit
