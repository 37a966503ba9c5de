// Latin-script folding for matching Maghrebi names written in French/English orthographies
// (docs/domain.md §4.1: ou/w, ch/sh, dj/j, c/s, doubled letters, final -e).
#pragma once

#include <string>
#include <string_view>

namespace sanad::text {

// Case and accent folding: lower-cases, strips diacritics (NFD, then drop combining marks, via ICU for
// non-ASCII input), maps ß æ œ ø đ ł ı, removes apostrophes (M'hamed → mhamed), turns every other
// non-alphanumeric character into a space and collapses spaces. Arabic letters are kept unchanged.
// Pure function, thread-safe.
std::string FoldLatin(std::string_view utf8);

// Phonetic folding of ONE folded Latin word (output of FoldLatin, no spaces), so that francophone and
// anglophone transliterations of the same Arabic name meet:
//   ou → u, w → u, dj → j, sh → ch, tch → ch, ph → f, ck/q → k, c before e/i/y → s, other c → k,
//   y → i, ee → i, oo → u, doubled letters → one, final silent -e dropped, final -h after a vowel dropped.
// Examples: Mohammed → mohamed, Youcef → iusef, Youssef → iusef, Djamel → jamel, Hanane → hanan.
std::string PhoneticLatin(std::string_view folded_word);

}  // namespace sanad::text
