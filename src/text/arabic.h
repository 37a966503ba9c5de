// Arabic-script normalisation for matching (not for storage or display): see docs/domain.md §4.1.
#pragma once

#include <string>
#include <string_view>

namespace sanad::text {

// Returns the search form of an Arabic-script string, the standard normalisation used by Arabic search
// engines (Larkey et al. 2007 "light stemming" normaliser; Lucene's ArabicNormalizer):
//  - alef with hamza above/below, madda, wasla (أ إ آ ٱ) → bare alef ا;
//  - hamza seats: ؤ → و, ئ → ي, lone hamza ء removed;
//  - teh marbuta ة → heh ه; alef maqsura ى → yeh ي; Persian yeh/keheh (ی ک) → ي ك;
//  - harakat, tanween, shadda, sukun, superscript alef and Quranic marks removed; tatweel ـ removed;
//  - presentation forms (including the lam-alef ligatures ﻻ ﻷ ﻹ ﻵ) decomposed through ICU NFKC;
//  - Maghrebi letters folded: ݣ گ → ك (Moroccan /g/), ڨ → ق (Algerian /g/), ڤ → ف (/v/);
//  - Arabic-Indic and Persian digits → ASCII digits; punctuation → space; runs of spaces collapsed;
//  - the Maghrebi spelling الرحمان → الرحمن (Abderrahmane).
// Latin letters and digits pass through unchanged. Pure function, thread-safe, never fails.
std::string NormalizeArabic(std::string_view utf8);

}  // namespace sanad::text
