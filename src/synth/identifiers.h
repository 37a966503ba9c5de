// Text of the derived columns: row references, national ids, phones, social-security numbers, dates and
// addresses. None is stored: each is computed from the row (and, for a duplicate, from its true
// person's row), so a duplicate that keeps its id writes exactly the original's id.
//
// Synthetic formats (documented in docs/data-formats.md):
// - household_ref "H000000001", record_id "P000000001" (1-based row number, 9 digits).
// - Moroccan CIN: 1–2 letters + up to 6 digits, e.g. "BK123456". The first letter is drawn from letters
//   assumed for the household's region (not an official table); unique for up to 27 M persons per letter.
// - Algerian NIN: 18 digits = "1" + sex (0 M, 1 F) + 2-digit birth year + 4-digit birth commune code +
//   10-digit sequence. The structure is an assumption (the official one is not in our sources).
// - Phones: Morocco "+2126xxxxxxxx" / "+2127xxxxxxxx"; Algeria "+2135…", "+2136…", "+2137…".
// - Social-security numbers: 9 digits (CNSS/CNOPS/CMR), 12 digits (CNAS/CASNOS/CNR).
// All functions append to `out`; all are thread-safe (read-only on the registry).
#pragma once

#include <cstddef>
#include <string>

#include "synth/registry.h"

namespace sanad::synth {

void AppendHouseholdRef(std::string& out, std::size_t household);
void AppendRecordId(std::string& out, std::size_t person);
void AppendDate(std::string& out, DayNumber day);                                       // YYYY-MM-DD
void AppendBirthDate(std::string& out, const Registry& registry, std::size_t person);   // YYYY-MM-DD or YYYY
void AppendNationalId(std::string& out, const Registry& registry, std::size_t person);  // empty if none
void AppendPhone(std::string& out, const Registry& registry, std::size_t person);       // empty if none
void AppendSocialSecurityNumber(std::string& out, const Registry& registry, std::size_t person);
void AppendAddress(std::string& out, const Registry& registry, std::size_t household);  // may contain commas

}  // namespace sanad::synth
